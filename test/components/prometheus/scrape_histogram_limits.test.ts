import { expect, test } from "bun:test";
import { BUCKET_LIMIT_ERROR, limitHistogram, pickSchema, reduceResolution } from "../../../src/components/prometheus/scrape/histogram_limits.ts";
import { CUSTOM_BUCKETS_SCHEMA, type FloatHistogram, type IntHistogram } from "../../../src/telemetry/prometheus/histogram.ts";

function float(schema: number, positiveSpans: FloatHistogram["positiveSpans"], positiveBuckets: number[]): FloatHistogram {
  return {
    kind: "float",
    counterResetHint: 0,
    schema,
    zeroThreshold: 0,
    zeroCount: 0,
    count: positiveBuckets.reduce((a, b) => a + b, 0),
    sum: 10,
    positiveSpans,
    negativeSpans: [],
    positiveBuckets,
    negativeBuckets: [],
    customValues: [],
  };
}

test("pickSchema turns a minimum bucket growth factor into a schema, as Prometheus", () => {
  expect(pickSchema(0)).toBe(8);
  expect(pickSchema(1.1)).toBe(2);
  expect(pickSchema(2)).toBe(0);
  expect(pickSchema(4)).toBe(-1);
  expect(pickSchema(65536)).toBe(-4);
  expect(pickSchema(1e300)).toBe(-4);
});

test("reduceResolution merges buckets into the coarser schema (Prometheus's TestReduceResolution case)", () => {
  const h = float(0, [{ offset: 0, length: 4 }, { offset: 0, length: 0 }, { offset: 3, length: 2 }], [1, 2, 3, 4, 5, 6]);
  const r = reduceResolution(h, -1);
  expect(r.schema).toBe(-1);
  expect(r.positiveSpans).toEqual([{ offset: 0, length: 3 }, { offset: 1, length: 1 }]);
  expect(r.positiveBuckets).toEqual([1, 5, 4, 11]);
});

test("reduceResolution keeps integer histograms delta-encoded", () => {
  const h: IntHistogram = {
    ...float(0, [{ offset: 0, length: 4 }, { offset: 0, length: 0 }, { offset: 3, length: 2 }], []),
    kind: "int",
    positiveBuckets: [1, 1, 1, 1, 1, 1],
  };
  const r = reduceResolution(h, -1);
  expect(r.positiveBuckets).toEqual([1, 4, -1, 7]);
});

test("limitHistogram reduces resolution until within the bucket limit, and fails when it cannot", () => {
  const h = float(2, [{ offset: 0, length: 8 }], [1, 1, 1, 1, 1, 1, 1, 1]);
  const r = limitHistogram(h, 3, 8);
  expect(r).not.toBe(BUCKET_LIMIT_ERROR);
  const ok = r as FloatHistogram;
  expect(ok.positiveBuckets.length).toBeLessThanOrEqual(3);
  expect(ok.positiveBuckets.reduce((a, b) => a + b, 0)).toBe(8);
  expect(ok.schema).toBeLessThan(2);
  // Buckets either side of 1 never merge.
  expect(limitHistogram(float(0, [{ offset: 0, length: 2 }], [1, 1]), 1, 8)).toBe(BUCKET_LIMIT_ERROR);
  expect(limitHistogram({ ...float(0, [{ offset: 0, length: 3 }], [1, 1, 1]), schema: CUSTOM_BUCKETS_SCHEMA }, 2, 8)).toBe(BUCKET_LIMIT_ERROR);
});

test("limitHistogram caps the schema from native_histogram_min_bucket_factor", () => {
  const h = float(3, [{ offset: 1, length: 2 }], [2, 3]);
  const r = limitHistogram(h, 0, pickSchema(2)) as FloatHistogram;
  expect(r.schema).toBe(0);
  expect(r.positiveBuckets.reduce((a, b) => a + b, 0)).toBe(5);
});

test("classic histograms become native histograms with custom buckets (NHCB)", async () => {
  const { NHCBParser } = await import("../../../src/components/prometheus/scrape/nhcb.ts");
  const { PromTextParser } = await import("../../../src/telemetry/prometheus/textparse/promtext.ts");
  const text = `# TYPE req histogram
req_bucket{path="/a",le="100"} 10
req_bucket{path="/a",le="1000"} 10
req_bucket{path="/a",le="+Inf"} 30
req_sum{path="/a"} 12345
req_count{path="/a"} 30
req_bucket{path="/b",le="100"} 1
req_bucket{path="/b",le="1000"} 2
req_bucket{path="/b",le="+Inf"} 2
req_sum{path="/b"} 150
req_count{path="/b"} 2
# TYPE other gauge
other 1
`;
  const drain = (keepClassic: boolean) => {
    const p = new NHCBParser(new PromTextParser(text), keepClassic);
    const out: Array<{ entry: string; labels?: Record<string, string>; h?: unknown }> = [];
    for (let e = p.next(); e !== "eof" && e !== "invalid"; e = p.next()) {
      if (e === "series") out.push({ entry: e, labels: p.labels().toObject() });
      if (e === "histogram") out.push({ entry: e, labels: p.labels().toObject(), h: p.histogram() });
    }
    return out;
  };
  const out = drain(false);
  expect(out.map((o) => o.entry)).toEqual(["histogram", "histogram", "series"]);
  expect(out[0]!.labels).toEqual({ __name__: "req", path: "/a" });
  expect(out[0]!.h).toMatchObject({
    kind: "int",
    schema: CUSTOM_BUCKETS_SCHEMA,
    count: 30,
    sum: 12345,
    customValues: [100, 1000],
    // Buckets 10, 0, 20: the empty middle one is left out.
    positiveSpans: [{ offset: 0, length: 1 }, { offset: 1, length: 1 }],
    positiveBuckets: [10, 10],
  });
  expect(out[1]!.h).toMatchObject({ count: 2, sum: 150, positiveSpans: [{ offset: 0, length: 2 }], positiveBuckets: [1, 0] });
  expect(out[2]!.labels).toEqual({ __name__: "other" });
  // With scrape_classic_histograms the classic series stay too.
  const both = drain(true);
  expect(both.filter((o) => o.entry === "series")).toHaveLength(11);
  expect(both.filter((o) => o.entry === "histogram")).toHaveLength(2);
});
