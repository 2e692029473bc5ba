import { describe, expect, test } from "bun:test";
import { MetricsBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { formatSeries, formatTextExposition } from "../../../src/telemetry/prometheus/exposition.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";
import { PromTextParser } from "../../../src/telemetry/prometheus/textparse/promtext.ts";

describe("text exposition", () => {
  test("writes families with HELP/TYPE, Go float formatting, and parses back", () => {
    const b = new MetricsBatch();
    const req = (code: string) => Labels.fromStrings("__name__", "http_requests_total", "code", code, "path", 'a"b\\c\nd');
    b.updateMetadata(Labels.fromStrings("__name__", "http_requests_total"), { type: "counter", help: "Requests\nserved.", unit: "" });
    b.appendSample(req("200"), 1000, 1e6);
    b.appendSample(Labels.fromStrings("__name__", "up"), 1000, 1);
    b.appendSample(req("500"), 1000, 0.000012);
    b.appendSample(Labels.fromStrings("__name__", "temp"), 1000, -Infinity);
    b.appendStaleMarker(Labels.fromStrings("__name__", "gone"), 1000);
    const text = formatTextExposition(b, { timestamps: true });
    expect(text).toBe(
      [
        "# HELP http_requests_total Requests\\nserved.",
        "# TYPE http_requests_total counter",
        'http_requests_total{code="200",path="a\\"b\\\\c\\nd"} 1e+06 1000',
        'http_requests_total{code="500",path="a\\"b\\\\c\\nd"} 1.2e-05 1000',
        "up 1 1000",
        "temp -Inf 1000",
        "",
      ].join("\n"),
    );
    const p = new PromTextParser(text);
    const got: Record<string, string>[] = [];
    for (let e = p.next(); e !== "eof"; e = p.next()) if (e === "series") got.push(p.labels().toObject());
    expect(got[0]).toEqual(req("200").toObject());
  });

  test("quotes names that are not valid legacy names", () => {
    expect(formatSeries(Labels.fromStrings("__name__", "my.metric", "läbel", "x"))).toBe('{"my.metric","läbel"="x"}');
  });
});
