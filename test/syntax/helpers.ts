// Shared helpers for the syntax back-end tests: parse and evaluate one expression.

import { parseExpression, parseFile } from "../../src/syntax/parser.ts";
import { EvalError, Scope, evaluate, type EvalOptions } from "../../src/syntax/vm.ts";
import { newObject, type ObjectValue, type Value } from "../../src/syntax/value.ts";
import { formatDiagnostic, type Diagnostic } from "../../src/syntax/diag.ts";
import type { Body, Expr } from "../../src/syntax/ast.ts";

export function expr(src: string): Expr {
  const r = parseExpression(src, "test");
  if (!r.expr) throw new Error(`parse failed: ${r.diagnostics.map(formatDiagnostic).join("; ")}`);
  return r.expr;
}

export function body(src: string): Body {
  const r = parseFile("test", src);
  if (r.diagnostics.length > 0) throw new Error(`parse failed: ${r.diagnostics.map(formatDiagnostic).join("; ")}`);
  return r.file.body;
}

export function opts(extra: Partial<EvalOptions> = {}): EvalOptions {
  return { file: "test", stability: "generally-available", ...extra };
}

/** Evaluates `src` with optional scope variables. */
export function ev(src: string, vars: ObjectValue = newObject(), extra: Partial<EvalOptions> = {}): Value {
  return evaluate(expr(src), new Scope(vars), opts(extra));
}

/** The one-line diagnostic (`test:1:7: message`) that evaluating `src` fails with. */
export function evErr(src: string, vars: ObjectValue = newObject(), extra: Partial<EvalOptions> = {}): string {
  try {
    const v = ev(src, vars, extra);
    return `no error; got ${String(v)}`;
  } catch (e) {
    if (e instanceof EvalError) return formatDiagnostic(e.diagnostic);
    throw e;
  }
}

export function diagOf(e: unknown): Diagnostic[] {
  if (e && typeof e === "object" && "diagnostics" in e) return (e as { diagnostics: Diagnostic[] }).diagnostics;
  throw e;
}

export function obj(fields: Record<string, Value>): ObjectValue {
  const o = newObject();
  Object.assign(o, fields);
  return o;
}
