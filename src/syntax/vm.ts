// The expression evaluator: an AST expression plus a scope gives a Value.
// Identifiers resolve from the scope chain first, then the standard library.
// Every failure becomes one Diagnostic positioned on the offending expression,
// worded as Alloy words it.

import type { Expr, Pos } from "./ast.ts";
import { DiagnosticsError, type Diagnostic } from "./diag.ts";
import { FunctionValue, newObject, typeOf, type ObjectValue, type StabilityLevel, type Value } from "./value.ts";
import { ArgError, FunctionError, ValueError, capsuleObject, toInt, typeError, type PathSegment } from "./convert.ts";
import { OperatorError, binaryOp, unaryOp } from "./ops.ts";
import { printExpr } from "./printer/index.ts";
import { DEPRECATED_IDENTIFIERS, EXPERIMENTAL_IDENTIFIERS, defaultStdlib, type Host, createStdlib } from "./stdlib/index.ts";

/** Variables visible to an expression; a child scope shadows its parent. */
export class Scope {
  constructor(
    readonly variables: ObjectValue,
    readonly parent?: Scope,
  ) {}

  lookup(name: string): Value | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (Object.hasOwn(s.variables, name)) return s.variables[name];
    }
    return undefined;
  }

  has(name: string): boolean {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (Object.hasOwn(s.variables, name)) return true;
    }
    return false;
  }
}

export interface EvalOptions {
  /** File name used in diagnostics. */
  file: string;
  /** Minimum stability level allowed (`--stability.level`). */
  stability: StabilityLevel;
  /** Receives warnings such as the use of a deprecated stdlib alias. */
  onWarning?: (d: Diagnostic) => void;
  /** Host facts for sys.env, constants and file.path_join; defaults to the running process. */
  host?: Host;
}

/** An evaluation failure: exactly one diagnostic, positioned on the offending expression. */
export class EvalError extends DiagnosticsError {
  constructor(readonly diagnostic: Diagnostic) {
    super([diagnostic]);
    this.name = "EvalError";
  }
}

const STABILITY_RANK: Record<StabilityLevel, number> = {
  experimental: 0,
  "public-preview": 1,
  "generally-available": 2,
};

/** Whether a feature at `level` may be used when `minimum` is the lowest level allowed. */
export function stabilityAllowed(level: StabilityLevel, minimum: StabilityLevel): boolean {
  return STABILITY_RANK[level] >= STABILITY_RANK[minimum];
}

/** Alloy's featuregate message for a feature below the allowed stability level. */
export function stabilityMessage(feature: string, level: StabilityLevel, minimum: StabilityLevel): string {
  return (
    `${feature} is at stability level "${level}", which is below the minimum allowed stability level "${minimum}". ` +
    `Use --stability.level command-line flag to enable "${level}" features`
  );
}

export const DEPRECATION_MESSAGE =
  "this stdlib function is deprecated; please refer to the documentation for updated usage and alternatives";

function diagAt(file: string, start: Pos | undefined, end: Pos | undefined, message: string): Diagnostic {
  return { severity: "error", message, file, start, end };
}

function unparen(e: Expr): Expr {
  while (e.kind === "paren") e = e.inner;
  return e;
}

/**
 * Turns a ValueError about the value of `root` into Alloy's diagnostic: the
 * path descends into array and object literals where it can (so the caret
 * lands on the literal element) and is printed as `.key`/`[i]` otherwise.
 */
export function valueErrorDiagnostic(file: string, root: Expr, message: string, path: readonly PathSegment[]): Diagnostic {
  let node = root;
  let suffix = "";
  for (const seg of path) {
    const inner = unparen(node);
    if (suffix === "" && typeof seg === "number" && inner.kind === "array" && inner.elements[seg]) {
      node = inner.elements[seg]!;
      continue;
    }
    if (suffix === "" && typeof seg === "string" && inner.kind === "object") {
      const field = [...inner.fields].reverse().find((f) => f.name === seg);
      if (field) {
        node = field.value;
        continue;
      }
    }
    suffix += typeof seg === "number" ? `[${seg}]` : `.${seg}`;
  }
  return diagAt(file, node.start, node.end, `${exprText(node)}${suffix} ${message}`);
}

/** Converts an error thrown while decoding the value of `root` into an EvalError. */
export function toEvalError(file: string, root: Expr, err: unknown): unknown {
  if (err instanceof ValueError) return new EvalError(valueErrorDiagnostic(file, root, err.message, err.path));
  return err;
}

class Evaluator {
  private readonly stdlib: ObjectValue;

  constructor(
    private readonly scope: Scope,
    private readonly opts: EvalOptions,
  ) {
    this.stdlib = opts.host ? createStdlib(opts.host) : defaultStdlib();
  }

  private fail(start: Pos | undefined, end: Pos | undefined, message: string): never {
    throw new EvalError(diagAt(this.opts.file, start, end, message));
  }

  private failValue(root: Expr, err: ValueError): never {
    throw new EvalError(valueErrorDiagnostic(this.opts.file, root, err.message, err.path));
  }

  /** The stdlib identifier an expression names when nothing in scope shadows it. */
  private stdlibName(e: Expr): string | undefined {
    if (e.kind === "identifier") return this.scope.has(e.name) ? undefined : e.name;
    if (e.kind === "access") {
      const base = this.stdlibName(e.value);
      return base === undefined ? undefined : `${base}.${e.name.name}`;
    }
    return undefined;
  }

  eval(e: Expr): Value {
    switch (e.kind) {
      case "literal":
        return literalValue(e.literal, e.raw);
      case "paren":
        return this.eval(e.inner);
      case "array":
        return e.elements.map((el) => this.eval(el));
      case "object": {
        const obj = newObject();
        for (const f of e.fields) obj[f.name] = this.eval(f.value);
        return obj;
      }
      case "identifier": {
        const v = this.scope.lookup(e.name);
        if (v !== undefined) return v;
        if (Object.hasOwn(this.stdlib, e.name)) {
          if (DEPRECATED_IDENTIFIERS.has(e.name) && this.opts.onWarning) {
            this.opts.onWarning({
              severity: "warning",
              message: DEPRECATION_MESSAGE,
              file: this.opts.file,
              start: e.start,
              end: e.end,
            });
          }
          return this.stdlib[e.name]!;
        }
        return this.fail(e.start, e.end, `identifier ${JSON.stringify(e.name)} does not exist`);
      }
      case "access": {
        const name = this.stdlibName(e);
        if (name !== undefined && EXPERIMENTAL_IDENTIFIERS.has(name) && !stabilityAllowed("experimental", this.opts.stability)) {
          this.fail(e.start, e.end, stabilityMessage(name, "experimental", this.opts.stability));
        }
        const v = this.eval(e.value);
        const t = typeOf(v);
        if (t === "object") {
          const obj = v as ObjectValue;
          if (!Object.hasOwn(obj, e.name.name)) {
            this.fail(e.name.start, e.name.end, `field ${JSON.stringify(e.name.name)} does not exist`);
          }
          return obj[e.name.name]!;
        }
        if (t === "capsule") {
          const converted = capsuleObject(v);
          if (converted) {
            if (!Object.hasOwn(converted, e.name.name)) {
              this.fail(e.name.start, e.name.end, `field ${JSON.stringify(e.name.name)} does not exist`);
            }
            return converted[e.name.name]!;
          }
          this.failValue(e.value, new ValueError(`expected object or array or a capsule convertible to an object, got ${t}`, v));
        }
        return this.failValue(
          e.value,
          new ValueError(`cannot access field ${JSON.stringify(e.name.name)} on value of type ${t}`, v),
        );
      }
      case "index": {
        const v = this.eval(e.value);
        const idx = this.eval(e.index);
        const t = typeOf(v);
        if (t === "array") {
          const arr = v as Value[];
          if (typeof idx !== "bigint" && typeof idx !== "number") this.failValue(e.index, typeError(idx, "number"));
          const i = toInt(idx);
          if (i < 0n || i >= BigInt(arr.length)) {
            this.failValue(e.index, new ValueError(`index ${i} is out of range of array with length ${arr.length}`, idx));
          }
          return arr[Number(i)]!;
        }
        if (t === "object") {
          if (typeof idx !== "string") this.failValue(e.index, typeError(idx, "string"));
          const obj = v as ObjectValue;
          return Object.hasOwn(obj, idx) ? obj[idx]! : null;
        }
        if (t === "capsule") {
          const converted = capsuleObject(v);
          if (converted) {
            if (typeof idx !== "string") this.failValue(e.index, typeError(idx, "string"));
            return Object.hasOwn(converted, idx) ? converted[idx]! : null;
          }
          this.failValue(e.value, new ValueError(`expected object or array or a capsule convertible to an object, got ${t}`, v));
        }
        return this.failValue(e.value, new ValueError(`expected object or array, got ${t}`, v));
      }
      case "unary": {
        const v = this.eval(e.value);
        try {
          return unaryOp(e.op, v);
        } catch (err) {
          if (err instanceof ValueError) this.failValue(e.value, err);
          throw err;
        }
      }
      case "binary": {
        // Both sides are always evaluated: Alloy has no short-circuit.
        const l = this.eval(e.left);
        const r = this.eval(e.right);
        try {
          return binaryOp(l, e.op, r);
        } catch (err) {
          if (err instanceof OperatorError) this.failValue(err.operand === "left" ? e.left : e.right, err.inner);
          throw err;
        }
      }
      case "call": {
        const fn = this.eval(e.value);
        if (!(fn instanceof FunctionValue)) this.failValue(e.value, typeError(fn, "function"));
        const args = e.args.map((a) => this.eval(a));
        try {
          return fn.call(args, { stability: this.opts.stability });
        } catch (err) {
          if (err instanceof ArgError) {
            const root = e.args[err.index] ?? e.value;
            this.failValue(root, err.inner);
          }
          if (err instanceof FunctionError || err instanceof ValueError) {
            this.failValue(e.value, err instanceof ValueError ? err : new ValueError(err.message, fn));
          }
          if (err instanceof DiagnosticsError) throw err;
          if (err instanceof Error) this.fail(e.start, e.end, err.message);
          throw err;
        }
      }
    }
  }
}

/** Evaluates an expression. Throws EvalError with Alloy's message and position. */
export function evaluate(expr: Expr, scope: Scope, opts: EvalOptions): Value {
  return new Evaluator(scope, opts).eval(expr);
}

const MAX_UINT64 = (1n << 64n) - 1n;

/** The value of a literal token, with Go's number parsing (base 0: a leading zero means octal). */
export function literalValue(kind: "NUMBER" | "FLOAT" | "STRING" | "BOOL" | "NULL", raw: string): Value {
  switch (kind) {
    case "NULL":
      return null;
    case "BOOL":
      return raw === "true";
    case "FLOAT":
      return Number(raw);
    case "STRING":
      return unquote(raw);
    case "NUMBER": {
      if (raw.length > 1 && raw[0] === "0") {
        if (/^0[0-7]+$/.test(raw)) {
          const n = BigInt("0o" + raw.slice(1));
          if (n <= MAX_UINT64) return n;
        }
        return Number(raw);
      }
      const n = BigInt(raw);
      return n <= MAX_UINT64 ? n : Number(raw);
    }
  }
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, '"': 34,
};

/** Go's strconv.Unquote for the string forms the scanner accepts. */
export function unquote(raw: string): string {
  if (raw.startsWith("`")) return raw.slice(1, -1).replaceAll("\r", "");
  const body = raw.slice(1, -1);
  if (!body.includes("\\")) return body;
  const bytes: number[] = [];
  const pushText = (s: string) => {
    for (const b of utf8.encode(s)) bytes.push(b);
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c !== "\\") {
      const cp = body.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      pushText(ch);
      i += ch.length;
      continue;
    }
    const k = body[i + 1] ?? "";
    if (k in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[k]!);
      i += 2;
    } else if (k === "x") {
      bytes.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (k === "u") {
      pushText(String.fromCodePoint(parseInt(body.slice(i + 2, i + 6), 16)));
      i += 6;
    } else if (k === "U") {
      pushText(String.fromCodePoint(parseInt(body.slice(i + 2, i + 10), 16)));
      i += 10;
    } else if (k >= "0" && k <= "7") {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8) & 0xff);
      i += 4;
    } else {
      // The scanner rejects other escapes; keep the text rather than fail here.
      pushText(k);
      i += 2;
    }
  }
  return utf8Decoder.decode(new Uint8Array(bytes));
}

/** The source text of an expression as Alloy's printer writes it: the first words of value errors. */
export function exprText(e: Expr): string {
  return printExpr(e);
}
