// Function values callable from templates, with Go-like signatures so the
// executor can check arity and argument types as Go's reflection does.

/**
 * Parameter kinds: "value" receives the raw value (undefined when missing,
 * like a reflect.Value), "any" an interface{} (missing becomes null), the
 * others must hold that Go type.
 */
export type ParamType = "value" | "any" | "string" | "int" | "float" | "bool";

export interface GoFunc {
  readonly params: readonly ParamType[];
  /** The last parameter repeats (Go's ...T). */
  readonly variadic: boolean;
  readonly call: (...args: never[]) => unknown;
}

export type TemplateFunc = GoFunc | ((...args: never[]) => unknown);
export type FuncMap = Record<string, TemplateFunc>;

export function goFunc<A extends unknown[]>(params: readonly ParamType[], call: (...args: A) => unknown, variadic = false): GoFunc {
  return { params, variadic, call: call as unknown as (...args: never[]) => unknown };
}

/** Plain JavaScript functions take any number of interface{} arguments. */
export function asGoFunc(f: TemplateFunc): GoFunc {
  if (typeof f === "function") return { params: ["any"], variadic: true, call: f };
  return f;
}
