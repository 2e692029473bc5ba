// Helpers for defining stdlib functions with Alloy's argument checks.

import { FunctionValue, type CallContext, type Value } from "../value.ts";
import { ArgError, FunctionError, ValueError, toStringValue } from "../convert.ts";

type Impl = (args: Value[], ctx: CallContext) => Value;

/** A function taking exactly `n` arguments (`expected 2 args, got 1` otherwise). */
export function fixed(name: string, n: number, impl: Impl): FunctionValue {
  return new FunctionValue(name, (args, ctx) => {
    if (args.length !== n) throw new FunctionError(`expected ${n} args, got ${args.length}`);
    return impl(args, ctx);
  });
}

/** A function with `min` leading arguments followed by any number more. */
export function variadic(name: string, min: number, impl: Impl): FunctionValue {
  return new FunctionValue(name, (args, ctx) => {
    if (args.length < min) throw new FunctionError(`expected at least ${min} args, got ${args.length}`);
    return impl(args, ctx);
  });
}

/** A function that checks its own arguments (Alloy's raw functions). */
export function raw(name: string, impl: Impl): FunctionValue {
  return new FunctionValue(name, impl);
}

/** Decodes argument `i`, reporting failures against that argument. */
export function arg<T>(args: Value[], i: number, decode: (v: Value) => T): T {
  try {
    return decode(args[i]!);
  } catch (e) {
    if (e instanceof ValueError) throw new ArgError(i, e);
    throw e;
  }
}

/** A string argument; null decodes to "" as Go's zero value. */
export function stringArg(args: Value[], i: number): string {
  return arg(args, i, (v) => (v === null ? "" : toStringValue(v)));
}

/** Turns a plain failure of the function into Alloy's function-level error. */
export function failure(message: string): FunctionError {
  return new FunctionError(message);
}
