import { describe, expect, test } from "bun:test";
import { BufferPool, PushBatch } from "../../../../src/components/loki/write/batch.ts";
import { newLabelSet, type Entry } from "../../../../src/telemetry/loki/entry.ts";
import { formatLabels } from "../../../../src/telemetry/loki/labels.ts";
import { decodePushRequest, encodePushRequest } from "../../../../src/telemetry/loki/push.ts";

function batchOf(entries: Entry[]): Uint8Array {
  const b = new PushBatch("");
  for (const e of entries) b.add(formatLabels(e.labels), e, PushBatch.sizeOf(e));
  return b.encode();
}

describe("PushBatch", () => {
  test("encodes timestamps around second boundaries, zero and before 1970 as the reference encoder does", () => {
    const labels = newLabelSet({ job: "a" });
    const times = [0n, 1n, 999_999_999n, 1_000_000_000n, 1_000_000_001n, -1n, -1_000_000_000n, -1_500_000_000n, 1_704_067_200_123_456_789n, 1_704_067_200_123_456_790n, 1_704_067_201_000_000_000n, 1_704_067_200_000_000_000n];
    const entries = times.map((timestamp, i) => ({ labels, timestamp, line: `line ${i}`, structuredMetadata: [] }));
    const got = batchOf(entries);
    expect(got).toEqual(encodePushRequest([{ labels, entries }]));
    expect(decodePushRequest(got)[0]!.entries.map((e) => e.timestamp)).toEqual(times);
  });

  test("groups entries by stream in arrival order, with non-ASCII lines and structured metadata", () => {
    const a = newLabelSet({ job: "a" });
    const b = newLabelSet({ job: "b", level: "héllo" });
    const entries: Entry[] = [
      { labels: a, timestamp: 5n, line: "first", structuredMetadata: [] },
      { labels: b, timestamp: 6n, line: "ünïcödé ✓ 𝄞", structuredMetadata: [{ name: "trace_id", value: "abc" }] },
      { labels: a, timestamp: 7n, line: "", structuredMetadata: [{ name: "", value: "v" }] },
    ];
    const streams = decodePushRequest(batchOf(entries));
    expect(streams.map((s) => [formatLabels(s.labels), s.entries.map((e) => [e.timestamp, e.line, e.structuredMetadata])])).toEqual([
      ['{job="a"}', [[5n, "first", []], [7n, "", [{ name: "", value: "v" }]]]],
      ['{job="b", level="héllo"}', [[6n, "ünïcödé ✓ 𝄞", [{ name: "trace_id", value: "abc" }]]]],
    ]);
  });
});

describe("PushBatch with a buffer pool", () => {
  const copy = (raw: Uint8Array) => new Uint8Array(raw);

  test("batches that reuse the pool's buffers encode exactly what the reference encoder does", () => {
    const pool = new BufferPool();
    const streams = ["a", "b", "c"].map((job) => newLabelSet({ job }));
    const outputs: Uint8Array[] = [];
    const expected: Uint8Array[] = [];
    for (let round = 0; round < 4; round++) {
      // Interleaved streams, lines of growing length: the first batches grow their buffer past its first size.
      const entries: Entry[] = Array.from({ length: 500 * (round + 1) }, (_, i) => ({
        labels: streams[i % 3]!,
        timestamp: 1_700_000_000_000_000_000n + BigInt(i * 7_919_000 + round),
        line: `round ${round} entry ${i} ${"x".repeat(i % 300)} ✓`,
        structuredMetadata: i % 5 === 0 ? [{ name: "i", value: String(i) }] : [],
      }));
      const b = new PushBatch("", pool);
      for (const e of entries) b.add(formatLabels(e.labels), e, PushBatch.sizeOf(e));
      outputs.push(b.encodeCompressed(copy));
      expected.push(encodePushRequest(streams.map((labels) => ({ labels, entries: entries.filter((e) => e.labels === labels) }))));
    }
    // Earlier outputs are untouched by the batches that reused their buffers.
    expect(outputs).toEqual(expected);
  });

  test("a busy stream, rare streams between its entries and entries larger than a slab keep their order per stream", () => {
    const pool = new BufferPool();
    const busy = newLabelSet({ job: "busy" });
    const rare = [newLabelSet({ job: "r1" }), newLabelSet({ job: "r2" })];
    for (let round = 0; round < 3; round++) {
      const entries: Entry[] = [];
      for (let i = 0; i < 3000; i++) {
        const big = i % 997 === 0;
        entries.push({ labels: busy, timestamp: BigInt(i), line: big ? `${i} ${"b".repeat(100_000 + round)}` : `busy ${i}`, structuredMetadata: [] });
        if (i % 50 === 0) entries.push({ labels: rare[(i / 50) % 2]!, timestamp: BigInt(i), line: big ? "r".repeat(70_000) : `rare ${i}`, structuredMetadata: [] });
      }
      const b = new PushBatch("", pool);
      for (const e of entries) b.add(formatLabels(e.labels), e, PushBatch.sizeOf(e));
      const want = encodePushRequest([busy, ...rare].map((labels) => ({ labels, entries: entries.filter((e) => e.labels === labels) })));
      expect(b.encodeCompressed(copy)).toEqual(want);
    }
  });

  test("the pool keeps its largest buffers and hands out the smallest that fits", () => {
    const pool = new BufferPool(2);
    const small = pool.take(10);
    const mid = pool.take(1 << 18);
    const big = pool.take(1 << 20);
    expect(small.length).toBeGreaterThanOrEqual(10);
    expect(big.length).toBeGreaterThanOrEqual(1 << 20);
    pool.give(big);
    pool.give(small);
    pool.give(mid);
    expect(pool.take(1)).toBe(mid);
    expect(pool.take(1)).toBe(big);
    expect(pool.take(1)).not.toBe(small);
    pool.give(mid);
    pool.give(big);
    expect(pool.takeLargest()).toBe(big);
  });
});
