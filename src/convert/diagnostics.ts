// Converter diagnostics: severities, texts and the `--report` file, as Alloy's converter/diag.

export enum Severity {
  Info = 1,
  Warning = 2,
  Error = 3,
  Critical = 4,
}

const severityNames: Record<Severity, string> = {
  [Severity.Info]: "Info",
  [Severity.Warning]: "Warning",
  [Severity.Error]: "Error",
  [Severity.Critical]: "Critical",
};

export interface ConvertDiagnostic {
  severity: Severity;
  summary: string;
  detail?: string;
}

export function diagnosticText(d: ConvertDiagnostic): string {
  const head = `(${severityNames[d.severity]}) ${d.summary}`;
  return d.detail ? `${head}\n${d.detail}` : head;
}

export class Diagnostics {
  readonly items: ConvertDiagnostic[] = [];

  add(severity: Severity, summary: string, detail?: string): void {
    this.items.push(detail === undefined ? { severity, summary } : { severity, summary, detail });
  }

  addAll(other: Diagnostics | readonly ConvertDiagnostic[]): void {
    this.items.push(...(other instanceof Diagnostics ? other.items : other));
  }

  has(severity: Severity): boolean {
    return this.items.some((d) => d.severity === severity);
  }

  toString(): string {
    return this.items.map(diagnosticText).join("\n");
  }
}

const criticalFooter =
  "\n\nA configuration file was not generated due to critical issues. Refer to the critical messages for more information.";
const errorFooter =
  "\n\nA configuration file was not generated due to errors. Refer to the error messages for more information.\n\nYou can bypass the errors by using the --bypass-errors flag. Bypassing errors isn't recommended for production environments.";
const successFooter = "\n\nA configuration file was generated successfully.";

/** The text `alloy convert --report` writes: the diagnostics that matter for the outcome, then a footer. */
export function reportText(diags: Diagnostics, bypassErrors: boolean): string {
  let kept = diags.items;
  let footer = successFooter;
  if (diags.has(Severity.Critical)) {
    kept = kept.filter((d) => d.severity === Severity.Critical);
    footer = criticalFooter;
  } else if (diags.has(Severity.Error) && !bypassErrors) {
    kept = kept.filter((d) => d.severity >= Severity.Error);
    footer = errorFooter;
  }
  return kept.map(diagnosticText).join("\n") + footer;
}

/** Whether the conversion must fail: any Critical, or any Error unless bypassed. */
export function conversionFails(diags: Diagnostics, bypassErrors: boolean): boolean {
  return diags.has(Severity.Critical) || (!bypassErrors && diags.has(Severity.Error));
}

/** Go's `%s` of a []string: `[a b]`. */
export function goStringSlice(xs: readonly string[]): string {
  return `[${xs.join(" ")}]`;
}

/** The shared validator texts for settings the converter cannot carry over. */
export function unsupported(diags: Diagnostics, name: string, message = "", severity = Severity.Error): void {
  const summary = message
    ? `The converter does not support converting the provided ${name} config: ${message}`
    : `The converter does not support converting the provided ${name} config.`;
  diags.add(severity, summary);
}
