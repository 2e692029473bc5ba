// Property tests: untrusted input never crashes a parser or decoder, and codecs round-trip.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { RE2JS } from "re2js";
import { MetricsBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";
import { compileRegex } from "../../../src/telemetry/prometheus/relabel/regex.ts";
import { decodeWriteRequest, RemoteWriteDecodeError } from "../../../src/telemetry/prometheus/remotewrite/decode.ts";
import { encodeWriteRequest } from "../../../src/telemetry/prometheus/remotewrite/encode.ts";
import { decodeWriteRequestV2 } from "../../../src/telemetry/prometheus/remotewrite/v2.ts";
import { NhcbParser } from "../../../src/telemetry/prometheus/textparse/nhcb.ts";
import { OpenMetricsParser } from "../../../src/telemetry/prometheus/textparse/openmetrics.ts";
import type { ExpositionParser } from "../../../src/telemetry/prometheus/textparse/parser.ts";
import { PromTextParser } from "../../../src/telemetry/prometheus/textparse/promtext.ts";
import { ProtobufParser } from "../../../src/telemetry/prometheus/textparse/protobuf.ts";

function drainAll(p: ExpositionParser): string {
  for (let i = 0; i < 100_000; i++) {
    const e = p.next();
    if (e === "series" || e === "histogram") {
      p.labels();
      p.exemplars();
      p.createdTimestamp();
    }
    if (e === "eof" || e === "invalid") return e;
  }
  throw new Error("parser did not terminate");
}

// Text built from the characters that matter to the exposition grammars.
const expositionText = fc
  .array(fc.constantFrom("a", "_", ":", "{", "}", "=", ",", '"', "\\", "n", " ", "\t", "\n", "#", " HELP ", " TYPE ", " EOF", "1", ".", "e", "+", "-", "Inf", "NaN", "le", "_created", "_bucket", "_count", "_sum", "le=\"1\"", " # {", "\u00e9", "\u0000"), { maxLength: 60 })
  .map((parts) => parts.join(""));

describe("robustness", () => {
  test("text parsers never throw and always terminate", () => {
    fc.assert(
      fc.property(expositionText, (text) => {
        expect(["eof", "invalid"]).toContain(drainAll(new PromTextParser(text)));
        expect(["eof", "invalid"]).toContain(drainAll(new OpenMetricsParser(text)));
        expect(["eof", "invalid"]).toContain(drainAll(new NhcbParser(new PromTextParser(`# TYPE a histogram\n${text}`), { keepClassicHistograms: true })));
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  test("the protobuf parser never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(["eof", "invalid"]).toContain(drainAll(new ProtobufParser(bytes)));
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  test("the remote write decoder only ever fails with RemoteWriteDecodeError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const decode of [decodeWriteRequest, decodeWriteRequestV2]) {
          try {
            decode(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(RemoteWriteDecodeError);
          }
        }
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  test("remote write round-trips random batches", () => {
    const labelSet = fc
      .dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/), fc.string({ minLength: 1, maxLength: 8 }), { maxKeys: 4 })
      .map((o) => Labels.fromObject({ ...o, __name__: "m" }));
    const sample = fc.record({
      series: labelSet,
      t: fc.integer({ min: -1e12, max: 4e12 }),
      v: fc.oneof(fc.double(), fc.constant(0), fc.constant(-0)),
      stale: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 20 }), (samples) => {
        const b = new MetricsBatch(1);
        for (const s of samples) {
          if (s.stale) b.appendStaleMarker(s.series, s.t);
          else b.appendSample(s.series, s.t, s.v);
        }
        const got = decodeWriteRequest(encodeWriteRequest(b)).batch;
        // Samples come back grouped by series, in order of first appearance.
        const want = new Map<string, [number, number, boolean][]>();
        b.forEachSample((s, t, v, stale) => {
          const k = s.key();
          if (!want.has(k)) want.set(k, []);
          want.get(k)!.push([t, stale ? NaN : v, stale]);
        });
        const have = new Map<string, [number, number, boolean][]>();
        got.forEachSample((s, t, v, stale) => {
          const k = s.key();
          if (!have.has(k)) have.set(k, []);
          have.get(k)!.push([t, stale ? NaN : v, stale]);
        });
        expect(have).toEqual(want);
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  test("translated regexes agree with RE2 on random patterns and inputs", () => {
    const atom = fc.constantFrom("a", "b", ".", "\\d", "\\w", "\\s", "\\S", "[a-c]", "[^a]", "[[:alpha:]]", "\\.", "(a|b)", "(?:ab)", "x?", "\\pL", "é", "\\x{61}", "[\\s]");
    const quant = fc.constantFrom("", "*", "+", "?", "{2}", "{1,2}", "*?", "+?");
    const pattern = fc.array(fc.tuple(atom, quant), { minLength: 1, maxLength: 5 }).map((xs) => xs.map(([a, q]) => a + q).join(""));
    const input = fc.array(fc.constantFrom("a", "b", "c", "1", " ", "\t", "\n", "\r", ".", "é", "x", "\u00a0", "_"), { maxLength: 8 }).map((c) => c.join(""));
    fc.assert(
      fc.property(pattern, fc.boolean(), fc.array(input, { minLength: 1, maxLength: 5 }), (p, ci, inputs) => {
        const src = ci ? `(?i)${p}` : p;
        let re2: RE2JS;
        try {
          re2 = RE2JS.compile(`^(?:${src})$`);
        } catch {
          return;
        }
        const ours = compileRegex(src);
        for (const s of inputs) {
          expect([src, s, ours.test(s)]).toEqual([src, s, re2.testExact(s)]);
          const m = ours.exec(s);
          const r = re2.exec(s);
          expect([src, s, m === null ? null : m.map((g) => g ?? "")]).toEqual([src, s, r === null ? null : Array.from({ length: ours.groupCount + 1 }, (_, g) => r[g] ?? "")]);
        }
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
