import { describe, expect, test } from "bun:test";
import {
  acceptHeader,
  chooseFormat,
  DEFAULT_SCRAPE_PROTOCOLS,
  newParser,
  validateScrapeProtocol,
} from "../../../../src/telemetry/prometheus/textparse/negotiation.ts";

describe("scrape content negotiation", () => {
  test("Accept header matches Prometheus's for the default and protobuf-first lists", () => {
    expect(acceptHeader(DEFAULT_SCRAPE_PROTOCOLS, "underscores")).toBe(
      "application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=underscores;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
    );
    expect(acceptHeader(["PrometheusProto", ...DEFAULT_SCRAPE_PROTOCOLS], "dots")).toBe(
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=dots;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=dots;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1",
    );
  });

  test("unknown protocols are rejected with the supported list", () => {
    expect(validateScrapeProtocol("OpenMetricsText1.0.0")).toBeUndefined();
    expect(validateScrapeProtocol("Foo")).toBe(
      "unknown scrape protocol Foo, supported: [OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0]",
    );
  });

  test("chooses the parser from Content-Type, falling back as configured", () => {
    expect(chooseFormat("application/openmetrics-text; version=1.0.0; charset=utf-8", undefined)).toEqual({ format: "application/openmetrics-text" });
    expect(chooseFormat("Text/Plain; version=0.0.4", undefined)).toEqual({ format: "text/plain" });
    expect(chooseFormat("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", undefined)).toEqual({
      format: "application/vnd.google.protobuf",
    });
    expect(chooseFormat("", undefined).error).toMatch(/blank Content-Type and no fallback_scrape_protocol/);
    expect(chooseFormat(null, "PrometheusText0.0.4")).toMatchObject({ format: "text/plain", warning: expect.stringContaining("blank Content-Type") });
    expect(chooseFormat("application/json", "PrometheusText0.0.4")).toMatchObject({ format: "text/plain", warning: expect.stringContaining("unsupported") });
    expect(chooseFormat("application/json", undefined).error).toMatch(/received unsupported Content-Type "application\/json"/);
    expect(chooseFormat("garbage;;", undefined).error).toMatch(/cannot parse Content-Type/);
  });

  test("newParser decodes the body for the chosen format", () => {
    const p = newParser(new TextEncoder().encode("up 1\n"), "text/plain");
    expect(p.next()).toBe("series");
    expect(p.labels().toObject()).toEqual({ __name__: "up" });
    const om = newParser(new TextEncoder().encode("up 1\n# EOF\n"), "application/openmetrics-text");
    expect([om.next(), om.next()]).toEqual(["series", "eof"]);
    const nhcb = newParser(new TextEncoder().encode('# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\n'), "text/plain", {
      convertClassicHistogramsToNhcb: true,
    });
    expect([nhcb.next(), nhcb.next(), nhcb.next()]).toEqual(["type", "histogram", "eof"]);
  });
});

describe("type and unit labels (enable_type_and_unit_labels)", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const firstSeries = (p: ReturnType<typeof newParser>) => {
    for (let e = p.next(); e !== "eof" && e !== "invalid"; e = p.next()) if (e === "series") return p.labels().toObject();
    return undefined;
  };

  test("text formats add __type__ (and OpenMetrics __unit__), replacing user-provided ones", () => {
    const text = '# TYPE req_seconds summary\nreq_seconds{quantile="1",__type__="gauge"} 1\n';
    expect(firstSeries(newParser(enc(text), "text/plain", { typeAndUnitLabels: true }))).toEqual({
      __name__: "req_seconds",
      __type__: "summary",
      quantile: "1.0",
    });
    expect(firstSeries(newParser(enc(text), "text/plain"))).toEqual({ __name__: "req_seconds", __type__: "gauge", quantile: "1.0" });
    const om = "# TYPE req_seconds counter\n# UNIT req_seconds seconds\nreq_seconds_total 1\n# EOF\n";
    expect(firstSeries(newParser(enc(om), "application/openmetrics-text", { typeAndUnitLabels: true }))).toEqual({
      __name__: "req_seconds_total",
      __type__: "counter",
      __unit__: "seconds",
    });
    // Untyped series keep a user-provided __type__.
    expect(firstSeries(newParser(enc('x{__type__="gauge"} 1\n'), "text/plain", { typeAndUnitLabels: true }))).toEqual({ __name__: "x", __type__: "gauge" });
  });
});
