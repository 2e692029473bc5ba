// `alloy convert` entry point: one function per source format, all returning output text and diagnostics.

import { Diagnostics, Severity } from "./diagnostics.ts";
import { convertPrometheus } from "./prometheus/convert.ts";
import { convertPromtail } from "./promtail/convert.ts";
import { convertStatic } from "./static/convert.ts";

export { Diagnostics, Severity, reportText, conversionFails, diagnosticText } from "./diagnostics.ts";
export { parseExtraArgs } from "./extra_args.ts";

export interface ConvertResult {
  /** The Alloy config; undefined when nothing could be generated. */
  output?: string;
  diags: Diagnostics;
}

export const sourceFormats = ["otelcol", "prometheus", "promtail", "static"] as const;

export function convert(input: string, format: string, extraArgs: readonly string[] = []): ConvertResult {
  switch (format) {
    case "prometheus":
      return convertPrometheus(input, extraArgs);
    case "promtail":
      return convertPromtail(input, extraArgs);
    case "static":
      return convertStatic(input, extraArgs);
    case "otelcol": {
      const diags = new Diagnostics();
      diags.add(Severity.Critical, `conversion from ${format} is not supported yet`);
      return { diags };
    }
    default: {
      const diags = new Diagnostics();
      diags.add(Severity.Critical, `unrecognized kind "${format}" given to the config converter`);
      return { diags };
    }
  }
}
