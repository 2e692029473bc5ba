// Diagnostics are values: the parser, the evaluator and the runtime collect them
// and the caller decides how to render them. Rendering lives in diag_render.ts.

import type { Pos } from "./ast.ts";

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** File name as used in the rendered position (`main.alloy:3:5`). Empty when unknown. */
  file: string;
  /** Undefined when the position is unknown (rendered as `-`). */
  start?: Pos;
  end?: Pos;
}

/** A list of diagnostics thrown as one error where a caller needs an exception. */
export class DiagnosticsError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(formatDiagnosticsOneLine(diagnostics));
    this.name = "DiagnosticsError";
  }
}

/** Go's token.Position.String(): `file:line:col`, just `file` without a position, `-` with neither. */
export function formatPos(file: string, pos: Pos | undefined): string {
  if (!pos) return file || "-";
  return file ? `${file}:${pos.line}:${pos.column}` : `${pos.line}:${pos.column}`;
}

/** `<pos>: <message>`, Alloy's one-line form. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${formatPos(d.file, d.start)}: ${d.message}`;
}

/** The first diagnostic plus ` (and N more diagnostics)`, as Alloy's diag.Diagnostics.Error(). */
export function formatDiagnosticsOneLine(ds: Diagnostic[]): string {
  if (ds.length === 0) return "no diagnostics";
  const first = formatDiagnostic(ds[0]!);
  return ds.length === 1 ? first : `${first} (and ${ds.length - 1} more diagnostics)`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}
