// Alloy holds its log lines until the config's `logging` block has set the
// format, so every line comes out in the chosen format. Lines logged before
// the first load are kept here and written once it is done, re-rendered as
// JSON when the config asked for JSON.

import type { LogSettings } from "../runtime/logger.ts";

export class DeferredLogSink {
  private pending: string[] | undefined = [];

  constructor(
    private readonly settings: LogSettings,
    private readonly write: (line: string) => void,
  ) {}

  /** The sink to put in LogSettings.sinks. */
  readonly sink = (line: string): void => {
    if (this.pending) this.pending.push(line);
    else this.write(line);
  };

  /** Writes what was held back in the format now configured, and stops holding. */
  flush(): void {
    const lines = this.pending;
    this.pending = undefined;
    if (!lines) return;
    for (const line of lines) this.write(this.settings.format === "json" && !line.startsWith("{") ? logfmtToJSON(line) : line);
  }
}

/** Re-renders one of our logfmt lines (`k=v k="quoted value"`) as a JSON object line. */
export function logfmtToJSON(line: string): string {
  const fields: Record<string, string> = {};
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const m of line.trimEnd().matchAll(re)) {
    const raw = m[2]!;
    fields[m[1]!] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  }
  return JSON.stringify(fields) + "\n";
}
