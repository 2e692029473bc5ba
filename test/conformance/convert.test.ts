// `alloy convert` conformance: every fixture converts to the expected Alloy text and diagnostics,
// judged as Alloy's converter test harness does (Info diagnostics dropped, ignore-lists per directory).
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { convert, diagnosticText, Severity } from "../../src/convert/index.ts";

function conformanceDir(): string {
  let dir = new URL(".", import.meta.url).pathname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "shared", "conformance");
    if (existsSync(candidate)) return candidate;
    dir = join(dir, "..");
  }
  throw new Error("shared/conformance not found above " + import.meta.url);
}

const OTEL_IGNORE = [
  "(Warning) the service/telemetry/logs/sampling configuration is not supported",
  "(Warning) the service/telemetry/metrics/readers configuration is not supported - to gather Alloy's own telemetry refer to: https://grafana.com/docs/alloy/latest/collect/metamonitoring/",
];

interface FixtureDir {
  format: string;
  dir: string;
  extraArgs: string[];
  ignore: string[];
  /** Why the directory cannot pass yet; its cases are reported as todo. */
  todo?: string;
  /** Cases of an implemented format that need features not converted yet (reported as todo). */
  pending?: Record<string, string>;
  /** For a partly implemented format: the only cases expected to pass; the rest are todo with `todo` as reason. */
  ready?: string[];
}

const staticTodo =
  "static mode: only metrics and logs configs are converted (no integrations, traces, server; no hashed remote_write names)";


const dirs: FixtureDir[] = [
  { format: "prometheus", dir: "prometheus", extraArgs: [], ignore: [] },
  { format: "promtail", dir: "promtail", extraArgs: [], ignore: [] },
  { format: "promtail", dir: "promtail/testdata_windows", extraArgs: [], ignore: [] },
  { format: "static", dir: "static", extraArgs: ["-config.expand-env"], ignore: [], todo: staticTodo, ready: ["dup_labels", "prom_missing_name", "promtail_scrape"] },
  { format: "static", dir: "static/testdata-v2", extraArgs: ["-enable-features", "integrations-next", "-config.expand-env"], ignore: [], todo: staticTodo },
  { format: "static", dir: "static/testdata_linux", extraArgs: ["-config.expand-env"], ignore: [], todo: staticTodo, ready: ["promtail_metrics"] },
  { format: "static", dir: "static/testdata_windows", extraArgs: ["-config.expand-env"], ignore: [], todo: staticTodo },
  { format: "static", dir: "static/testdata-v2_windows", extraArgs: ["-enable-features", "integrations-next"], ignore: [], todo: staticTodo },
  { format: "otelcol", dir: "otelcol", extraArgs: [], ignore: OTEL_IGNORE, todo: "otelcol converter not implemented" },
  { format: "otelcol", dir: "otelcol/otelcol_dedup", extraArgs: [], ignore: OTEL_IGNORE, todo: "otelcol converter not implemented" },
  { format: "otelcol", dir: "otelcol/otelcol_without_validation", extraArgs: [], ignore: OTEL_IGNORE, todo: "otelcol converter not implemented" },
  { format: "otelcol", dir: "otelcol/otelcol_errors", extraArgs: [], ignore: OTEL_IGNORE, todo: "otelcol converter not implemented" },
  { format: "otelcol", dir: "otelcol/otelcol_telemetry", extraArgs: [], ignore: [], todo: "otelcol converter not implemented" },
  { format: "otelcol", dir: "otelcol/envvars", extraArgs: [], ignore: OTEL_IGNORE, todo: "otelcol converter not implemented" },
];

const root = join(conformanceDir(), "convert");
const lf = (s: string): string => s.replace(/\r\n/g, "\n");
const tally = new Map<string, { passed: number; total: number }>();

for (const d of dirs) {
  const full = join(root, d.dir);
  const cases = readdirSync(full).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5)).sort();
  const t = tally.get(d.format) ?? { passed: 0, total: 0 };
  tally.set(d.format, t);
  t.total += cases.length;

  describe(`convert conformance ${d.dir}`, () => {
    for (const name of cases) {
      const base = join(full, name);
      const notReady = d.ready ? !d.ready.includes(name) : true;
      const reason = (notReady ? d.todo : undefined) ?? d.pending?.[name];
      if (reason) {
        test.todo(`${name}: ${reason}`);
        continue;
      }
      test(`${name}: output and diagnostics match Alloy's`, () => {
        const hasAlloy = existsSync(`${base}.alloy`);
        const hasDiags = existsSync(`${base}.diags`);
        expect(hasAlloy || hasDiags).toBe(true);
        const { output, diags } = convert(readFileSync(`${base}.yaml`, "utf8"), d.format, d.extraArgs);
        const got = diags.items
          .filter((x) => x.severity !== Severity.Info)
          .map(diagnosticText)
          .filter((text) => !d.ignore.includes(text))
          .map((text) => text + "\n")
          .join("");
        expect(got).toBe(hasDiags ? lf(readFileSync(`${base}.diags`, "utf8")) : "");
        const want = hasAlloy ? lf(readFileSync(`${base}.alloy`, "utf8")) : "";
        if (want !== "") expect(output).toBe(want);
        else expect(diags.has(Severity.Critical)).toBe(true);
        t.passed++;
      });
    }
  });
}

afterAll(() => {
  for (const [format, t] of tally) console.log(`convert conformance ${format}: ${t.passed}/${t.total} passed`);
});
