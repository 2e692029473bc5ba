import { describe, expect, test } from "bun:test";
import { NhcbParser } from "../../../../src/telemetry/prometheus/textparse/nhcb.ts";
import { OpenMetricsParser } from "../../../../src/telemetry/prometheus/textparse/openmetrics.ts";
import { PromTextParser } from "../../../../src/telemetry/prometheus/textparse/promtext.ts";
import { drain } from "./helpers.ts";

const text = `# HELP rpc Latency.
# TYPE rpc histogram
rpc_bucket{code="200",le="0.1"} 2
rpc_bucket{code="200",le="0.5"} 2
rpc_bucket{code="200",le="1"} 5
rpc_bucket{code="200",le="+Inf"} 7
rpc_sum{code="200"} 3.5
rpc_count{code="200"} 7
rpc_bucket{code="500",le="0.1"} 0
rpc_bucket{code="500",le="+Inf"} 1.5
rpc_sum{code="500"} 2
rpc_count{code="500"} 1.5
# TYPE up gauge
up 1
`;

describe("classic histograms to NHCB", () => {
  test("collates bucket, sum and count series into one custom-buckets histogram per label set", () => {
    const p = new NhcbParser(new PromTextParser(text));
    const kinds: string[] = [];
    const hs: unknown[] = [];
    for (let e = p.next(); e !== "eof"; e = p.next()) {
      kinds.push(e);
      if (e === "histogram") hs.push({ text: p.seriesText, labels: p.labels().toObject(), h: p.histogram() });
    }
    expect(kinds).toEqual(["help", "type", "histogram", "histogram", "type", "series"]);
    expect(hs[0]).toEqual({
      text: 'rpc{code="200"}',
      labels: { __name__: "rpc", code: "200" },
      h: {
        kind: "int",
        counterResetHint: 0,
        schema: -53,
        zeroThreshold: 0,
        zeroCount: 0,
        count: 7,
        sum: 3.5,
        // Per-bucket counts 2, 0, 3, 2: the empty bucket stays inside the span (≤ 2 empties).
        positiveSpans: [{ offset: 0, length: 4 }],
        positiveBuckets: [2, -2, 3, -1],
        negativeSpans: [],
        negativeBuckets: [],
        customValues: [0.1, 0.5, 1],
      },
    });
    expect(hs[1]).toMatchObject({
      labels: { __name__: "rpc", code: "500" },
      h: { kind: "float", count: 1.5, positiveSpans: [{ offset: 1, length: 1 }], positiveBuckets: [1.5], customValues: [0.1] },
    });
  });

  test("keeps the classic series when asked, and leaves inconsistent histograms classic", () => {
    const keep = drain(new NhcbParser(new PromTextParser(text), { keepClassicHistograms: true }));
    expect(keep.filter((e) => e.kind === "series").length).toBe(11);
    expect(keep.filter((e) => e.kind === "histogram").length).toBe(2);
    const broken = `# TYPE h histogram\nh_bucket{le="1"} 5\nh_bucket{le="2"} 3\nh_count 5\n`;
    expect(drain(new NhcbParser(new PromTextParser(broken))).map((e) => e.kind)).toEqual(["type", "eof"]);
  });

  test("carries exemplars and created timestamps from OpenMetrics", () => {
    const om = `# TYPE h histogram\nh_bucket{le="1"} 1 # {id="a"} 0.5 10\nh_bucket{le="+Inf"} 2\nh_count 2\nh_sum 1\nh_created 100\n# EOF\n`;
    const p = new NhcbParser(new OpenMetricsParser(om, { skipCreatedSeries: true }), { parseCreatedTimestamps: true });
    const got = drain(p, { ct: true });
    expect(got.map((g) => g.kind)).toEqual(["type", "histogram", "eof"]);
    expect(got[1]).toMatchObject({ m: "h", exemplars: [{ labels: { id: "a" }, value: 0.5, ts: 10000 }], ct: 100000 });
  });
});
