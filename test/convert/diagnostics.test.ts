import { describe, expect, test } from "bun:test";
import { conversionFails, Diagnostics, reportText, Severity, unsupported } from "../../src/convert/diagnostics.ts";

function sample(...sevs: Severity[]): Diagnostics {
  const d = new Diagnostics();
  const names: Record<number, string> = { 1: "i", 2: "w", 3: "e", 4: "c" };
  for (const s of sevs) d.add(s, names[s]!);
  return d;
}

describe("convert diagnostics", () => {
  test("render as (Severity) summary with an optional detail line", () => {
    const d = new Diagnostics();
    d.add(Severity.Warning, "w");
    d.add(Severity.Info, "Converted x", "\tA prometheus.scrape.x component");
    expect(d.toString()).toBe("(Warning) w\n(Info) Converted x\n\tA prometheus.scrape.x component");
  });

  test("the shared validator texts end in a period or carry the message", () => {
    const d = new Diagnostics();
    unsupported(d, "remote_read");
    unsupported(d, "metrics wal_directory", "Use the run command flag --storage.path instead.", Severity.Warning);
    expect(d.toString()).toBe(
      "(Error) The converter does not support converting the provided remote_read config.\n" +
        "(Warning) The converter does not support converting the provided metrics wal_directory config: Use the run command flag --storage.path instead.",
    );
  });

  test("a report with a critical keeps only criticals", () => {
    expect(reportText(sample(Severity.Error, Severity.Critical, Severity.Info), true)).toBe(
      "(Critical) c\n\nA configuration file was not generated due to critical issues. Refer to the critical messages for more information.",
    );
  });

  test("a report with errors and no bypass drops infos and warnings", () => {
    expect(reportText(sample(Severity.Error, Severity.Warning, Severity.Info), false)).toBe(
      "(Error) e\n\nA configuration file was not generated due to errors. Refer to the error messages for more information.\n\nYou can bypass the errors by using the --bypass-errors flag. Bypassing errors isn't recommended for production environments.",
    );
  });

  test("a bypassed or clean report keeps everything", () => {
    expect(reportText(sample(Severity.Error, Severity.Warning, Severity.Info), true)).toBe(
      "(Error) e\n(Warning) w\n(Info) i\n\nA configuration file was generated successfully.",
    );
    expect(reportText(new Diagnostics(), false)).toBe("\n\nA configuration file was generated successfully.");
  });

  test("bypass never overrides a critical", () => {
    expect(conversionFails(sample(Severity.Critical), true)).toBe(true);
    expect(conversionFails(sample(Severity.Error), true)).toBe(false);
    expect(conversionFails(sample(Severity.Error), false)).toBe(true);
    expect(conversionFails(sample(Severity.Warning), false)).toBe(false);
  });
});
