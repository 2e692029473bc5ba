// Alloy's unary and binary operators and value equality. Ints are bigint and
// wrap at 64 bits; floats are numbers; the widest kind of the two operands
// decides the arithmetic. Errors name which operand was wrong so the evaluator
// can point at it.

import type { BinaryOp, UnaryOp } from "./ast.ts";
import { Capsule, Secret, typeOf, type AlloyType, type Value } from "./value.ts";
import { ValueError, typeError } from "./convert.ts";

/** An operator failure: `operand` says which side the error is about. */
export class OperatorError extends Error {
  constructor(
    readonly operand: "left" | "right",
    readonly inner: ValueError,
  ) {
    super(inner.message);
    this.name = "OperatorError";
  }
}

const ALLOWED: Record<Exclude<BinaryOp, "==" | "!=">, AlloyType[]> = {
  "||": ["bool"],
  "&&": ["bool"],
  "+": ["number", "string", "capsule"],
  "-": ["number"],
  "*": ["number"],
  "/": ["number"],
  "%": ["number"],
  "^": ["number"],
  "<": ["number", "string"],
  ">": ["number", "string"],
  "<=": ["number", "string"],
  ">=": ["number", "string"],
};

const MAX_INT64 = (1n << 63n) - 1n;

/** Wraps an exact integer result to int64, or to uint64 when both inputs were beyond int64 (uint kind). */
function wrapInt(n: bigint, a: bigint, b: bigint): bigint {
  const uintKind = (a > MAX_INT64 || a >= 0n) && (b > MAX_INT64 || b >= 0n) && (a > MAX_INT64 || b > MAX_INT64);
  return uintKind ? BigInt.asUintN(64, n) : BigInt.asIntN(64, n);
}

/** Go's math.Pow, which differs from Math.pow for a few special cases. */
function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if ((x === -1) && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return Math.pow(x, y);
}

/** Alloy's intPow: repeated multiplication, so a negative exponent returns the base. */
function intPow(n: bigint, m: bigint, wrap: (x: bigint) => bigint): bigint {
  if (m === 0n || n === 1n) return 1n;
  if (n === 0n && m > 0n) return 0n;
  if (m < 2n) return n;
  // Square-and-multiply modulo 2^64 equals repeated wrapping multiplication.
  let result = 1n;
  let base = BigInt.asUintN(64, n);
  let e = m;
  while (e > 0n) {
    if (e & 1n) result = BigInt.asUintN(64, result * base);
    base = BigInt.asUintN(64, base * base);
    e >>= 1n;
  }
  return wrap(result);
}

/** Secrets and strings meet as secrets (optional secrets are strings or Secrets here). */
function unwrapSecrets(lhs: Value, rhs: Value): [Value, Value] {
  if (lhs instanceof Secret && typeof rhs === "string") return [lhs, new Secret(rhs)];
  if (typeof lhs === "string" && rhs instanceof Secret) return [new Secret(lhs), rhs];
  return [lhs, rhs];
}

function capsuleEqual(a: Value, b: Value): boolean {
  if (a instanceof Secret && b instanceof Secret) return a.value === b.value;
  if (a instanceof Capsule && b instanceof Capsule) return a.typeName === b.typeName && Object.is(a.value, b.value);
  return false;
}

/** `==` semantics: different types are unequal, numbers compare across kinds, containers deeply. */
export function valuesEqual(lhs: Value, rhs: Value): boolean {
  const t = typeOf(lhs);
  if (t !== typeOf(rhs)) return false;
  switch (t) {
    case "null":
      return true;
    case "number":
      if (typeof lhs === "bigint" && typeof rhs === "bigint") return lhs === rhs;
      return Number(lhs) === Number(rhs);
    case "string":
    case "bool":
      return lhs === rhs;
    case "array": {
      const a = lhs as Value[];
      const b = rhs as Value[];
      return a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]!));
    }
    case "object": {
      const a = lhs as { [k: string]: Value };
      const b = rhs as { [k: string]: Value };
      const keys = Object.keys(a);
      if (keys.length !== Object.keys(b).length) return false;
      return keys.every((k) => Object.hasOwn(b, k) && valuesEqual(a[k]!, b[k]!));
    }
    case "function":
      return false;
    case "capsule":
      return capsuleEqual(lhs, rhs);
  }
}

function fail(operand: "left" | "right", message: string, value: Value): never {
  throw new OperatorError(operand, new ValueError(message, value));
}

/** Applies a binary operator. Throws OperatorError with Alloy's message. */
export function binaryOp(origLHS: Value, op: BinaryOp, origRHS: Value): Value {
  const [lhs, rhs] = unwrapSecrets(origLHS, origRHS);
  if (op === "==") return valuesEqual(lhs, rhs);
  if (op === "!=") return !valuesEqual(lhs, rhs);

  const allowed = ALLOWED[op];
  const lt = typeOf(lhs);
  const rt = typeOf(rhs);
  if (!allowed.includes(lt)) fail("left", `should be one of [${allowed.join(" ")}] for binop ${op}, got ${lt}`, origLHS);
  if (!allowed.includes(rt)) fail("right", `should be one of [${allowed.join(" ")}] for binop ${op}, got ${rt}`, origRHS);
  if (lt !== rt) throw new OperatorError("right", typeError(rhs, lt));

  switch (op) {
    case "||":
      return (lhs as boolean) || (rhs as boolean);
    case "&&":
      return (lhs as boolean) && (rhs as boolean);
  }

  if (lt === "string") {
    const a = lhs as string;
    const b = rhs as string;
    switch (op) {
      case "+":
        return a + b;
      case "<":
        return compareBytes(a, b) < 0;
      case ">":
        return compareBytes(a, b) > 0;
      case "<=":
        return compareBytes(a, b) <= 0;
      case ">=":
        return compareBytes(a, b) >= 0;
    }
  }

  if (lt === "capsule") {
    // Only `+` reaches here.
    if (lhs instanceof Secret && rhs instanceof Secret) return new Secret(lhs.value + rhs.value);
    fail("left", `could not perform binop ${op} for unknown types lhs ${lt} rhs ${rt}`, origLHS);
  }

  const a = lhs as bigint | number;
  const b = rhs as bigint | number;
  if ((op === "/" || op === "%") && (b === 0n || b === 0)) fail("right", "divide by zero error", origRHS);

  if (typeof a === "bigint" && typeof b === "bigint") {
    const wrap = (n: bigint) => wrapInt(n, a, b);
    switch (op) {
      case "+":
        return wrap(a + b);
      case "-":
        return wrap(a - b);
      case "*":
        return wrap(a * b);
      case "/":
        return wrap(a / b);
      case "%":
        return wrap(a % b);
      case "^":
        return intPow(a, b, wrap);
      case "<":
        return a < b;
      case ">":
        return a > b;
      case "<=":
        return a <= b;
      case ">=":
        return a >= b;
    }
  }

  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return x / y;
    case "%":
      return x % y;
    case "^":
      return goPow(x, y);
    case "<":
      return x < y;
    case ">":
      return x > y;
    case "<=":
      return x <= y;
    case ">=":
      return x >= y;
  }
  throw new Error(`unreachable binop ${op}`);
}

const encoder = new TextEncoder();

/** Byte-wise (UTF-8) string comparison, as Go compares strings. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** Applies a unary operator. Throws ValueError about the operand. */
export function unaryOp(op: UnaryOp, v: Value): Value {
  if (op === "!") {
    if (typeof v !== "boolean") throw typeError(v, "bool");
    return !v;
  }
  if (typeof v === "bigint") return BigInt.asIntN(64, -v);
  if (typeof v === "number") return -v;
  throw typeError(v, "number");
}

