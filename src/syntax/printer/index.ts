// Public API of the Alloy printer (`alloy fmt`): syntax tree → canonical text.

import type { Expr, File } from "../ast.ts";
import { Printer } from "./printer.ts";
import { tabwrite } from "./tabwriter.ts";
import { trimTrailingWhitespace } from "./trimmer.ts";
import { type RedactSecret, Walker } from "./walker.ts";

export type { RedactSecret } from "./walker.ts";

export interface PrintOptions {
  /** Return true to print an attribute's literal value as `"(secret)"` (the UI's redacted view; `fmt` never redacts). */
  redactSecret?: RedactSecret;
}

function render(p: Printer): string {
  return trimTrailingWhitespace(tabwrite(p.finish()));
}

/** Formats a file exactly as `alloy fmt` does, without the final newline `fmt` appends. */
export function printFile(file: File, opts: PrintOptions = {}): string {
  const p = new Printer();
  p.setComments(file.comments);
  new Walker(p, opts.redactSecret).stmts(file.body);
  return render(p);
}

/** Formats a single expression (no comments). */
export function printExpr(expr: Expr): string {
  const p = new Printer();
  new Walker(p).expr(expr);
  return render(p);
}
