import { afterEach, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MetricsBatch } from "../../../../src/telemetry/prometheus/batch.ts";
import { Labels } from "../../../../src/telemetry/prometheus/labels.ts";
import { isStaleAt } from "../../../../src/telemetry/prometheus/staleness.ts";
import { decodeRecord, encodeBatchSamples, encodeExemplars, encodeHistograms, encodeMetadata, encodeSeries, type WalRecord } from "../../../../src/telemetry/prometheus/wal/records.ts";
import { frameRecords, scanSegment } from "../../../../src/telemetry/prometheus/wal/segment.ts";
import { truncationMinTime } from "../../../../src/telemetry/prometheus/wal/truncation.ts";
import { replayDir, WalFullError, WriteAheadLog } from "../../../../src/telemetry/prometheus/wal/wal.ts";
import type { WalEntry } from "../../../../src/telemetry/prometheus/wal/reader.ts";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "wal-test-"));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const a = Labels.fromStrings("__name__", "a", "job", "x");
const b = Labels.fromStrings("__name__", "b");

function samplesRecord(t0: number, n: number, stale = false): Uint8Array {
  const batch = new MetricsBatch();
  const refs: number[] = [];
  for (let i = 0; i < n; i++) {
    if (stale && i === n - 1) batch.appendStaleMarker(a, t0 + i);
    else batch.appendSample(i % 2 ? b : a, t0 + i, i * 1.5);
    refs.push(i % 2 ? 2 : 1);
  }
  return encodeBatchSamples(refs, batch);
}

async function replayAll(dir: string) {
  const entries: WalEntry[] = [];
  const stats = await replayDir(dir, (e) => entries.push(e));
  return { entries, stats, samples: entries.flatMap((e) => (e.record.type === "samples" ? Array.from(e.record.timestamps) : [])) };
}

describe("WAL records", () => {
  test("round-trip every record type, keeping staleness bits", () => {
    const recs: WalRecord[] = [
      decodeRecord(encodeSeries([{ ref: 1, labels: a }, { ref: 2, labels: b }])),
      decodeRecord(samplesRecord(1000, 4, true)),
      decodeRecord(encodeExemplars([{ ref: 1, exemplar: { labels: Labels.fromStrings("trace_id", "t"), value: 2, timestamp: 5, hasTimestamp: true } }])),
      decodeRecord(
        encodeHistograms([
          {
            ref: 3,
            timestamp: 7,
            stale: false,
            histogram: { kind: "int", counterResetHint: 0, schema: 1, zeroThreshold: 0, zeroCount: 0, count: 3, sum: 1, positiveSpans: [{ offset: 0, length: 1 }], negativeSpans: [], positiveBuckets: [3], negativeBuckets: [], customValues: [] },
          },
        ]),
      ),
      decodeRecord(encodeMetadata([{ ref: 1, metadata: { type: "counter", help: "h", unit: "u" } }])),
    ];
    expect(recs[0]).toEqual({ type: "series", series: [{ ref: 1, labels: a }, { ref: 2, labels: b }] });
    const s = recs[1]!;
    if (s.type !== "samples") throw new Error("want samples");
    expect(Array.from(s.refs)).toEqual([1, 2, 1, 2]);
    expect(Array.from(s.timestamps)).toEqual([1000, 1001, 1002, 1003]);
    expect(s.values[1]).toBe(1.5);
    expect(isStaleAt(new Uint32Array(s.values.buffer), 3)).toBe(true);
    expect(recs[2]).toMatchObject({ type: "exemplars", exemplars: [{ ref: 1, exemplar: { value: 2, timestamp: 5, hasTimestamp: true } }] });
    expect(recs[3]).toMatchObject({ type: "histograms", histograms: [{ ref: 3, timestamp: 7, histogram: { count: 3, positiveBuckets: [3] } }] });
    expect(recs[4]).toEqual({ type: "metadata", metadata: [{ ref: 1, metadata: { type: "counter", help: "h", unit: "u" } }] });
    expect(() => decodeRecord(new Uint8Array([9, 1]))).toThrow("unknown WAL record type 9");
  });

  test("framing detects a flipped byte and resynchronises on the next record", () => {
    const framed = frameRecords([encodeSeries([{ ref: 1, labels: a }]), samplesRecord(0, 3), samplesRecord(10, 3)]);
    const first = scanSegment(framed, "seg", 0, true);
    expect(first.records.length).toBe(3);
    const bad = framed.slice();
    bad[first.records[1]!.offset + 12]! ^= 0xff;
    const res = scanSegment(bad, "seg", 0, true);
    expect(res.records.map((r) => r.offset)).toEqual([first.records[0]!.offset, first.records[2]!.offset]);
    expect(res.corruptions).toEqual([
      { file: "seg", offset: first.records[1]!.offset, length: first.records[2]!.offset - first.records[1]!.offset, reason: "corrupt record (checksum or header mismatch)" },
    ]);
  });
});

describe("WriteAheadLog", () => {
  test("data logged before a crash is replayed after reopening", async () => {
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir);
    await wal.log([encodeSeries([{ ref: 1, labels: a }, { ref: 2, labels: b }])]);
    await wal.log([samplesRecord(1000, 10, true)]);
    // No close(): the process "crashes". A new process opens the same directory.
    const reopened = await WriteAheadLog.open(dir);
    const { entries, stats, samples } = await replayAll(dir);
    expect(stats.corruptionCount).toBe(0);
    expect(entries[0]!.record).toEqual({ type: "series", series: [{ ref: 1, labels: a }, { ref: 2, labels: b }] });
    expect(samples).toEqual(Array.from({ length: 10 }, (_, i) => 1000 + i));
    const last = entries[1]!.record;
    if (last.type !== "samples") throw new Error("want samples");
    expect(isStaleAt(new Uint32Array(last.values.buffer), 9)).toBe(true);
    expect(reopened.currentSegment).toBeGreaterThan(wal.currentSegment);
    await reopened.close();
    await wal.close();
  });

  test("concurrent log calls are all committed, in order", async () => {
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => wal.log([samplesRecord(i * 10, 1)])));
    await wal.close();
    const { samples } = await replayAll(dir);
    expect(samples).toEqual(Array.from({ length: 200 }, (_, i) => i * 10));
  });

  test("segments rotate at the configured size and a reader tails across them", async () => {
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir, { segmentSize: 300 });
    const reader = wal.reader();
    for (let i = 0; i < 20; i++) await wal.log([samplesRecord(i * 100, 5)]);
    const segs = await wal.segments();
    expect(segs.last - segs.first).toBeGreaterThan(3);
    const first = await reader.read();
    expect(first.flatMap((e) => (e.record.type === "samples" ? Array.from(e.record.timestamps) : [])).length).toBe(100);
    expect(await reader.read()).toEqual([]);
    await wal.log([samplesRecord(99_000, 2)]);
    const more = await reader.read();
    expect(more.flatMap((e) => (e.record.type === "samples" ? Array.from(e.record.timestamps) : []))).toEqual([99_000, 99_001]);
    expect(reader.corruptionCount).toBe(0);
    await wal.close();
  });

  test("corrupted bytes in a segment are reported with file and offset; the rest is replayed", async () => {
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir);
    for (let i = 0; i < 5; i++) await wal.log([samplesRecord(i * 100, 3)]);
    await wal.close();
    const file = join(dir, "00000000");
    const bytes = new Uint8Array(await readFile(file));
    const offsets = scanSegment(bytes, file, 0, true).records.map((r) => r.offset);
    bytes[offsets[2]! + 13]! ^= 0x55; // inside the third record's payload
    await writeFile(file, bytes);
    const { stats, samples } = await replayAll(dir);
    expect(stats.corruptionCount).toBe(1);
    expect(stats.corruptions[0]).toMatchObject({ file, offset: offsets[2]! });
    expect(samples).toEqual([0, 1, 2, 100, 101, 102, 300, 301, 302, 400, 401, 402]);
  });

  test("a torn last record is reported and skipped; writing continues in a new segment", async () => {
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir);
    await wal.log([encodeSeries([{ ref: 1, labels: a }])]);
    await wal.log([samplesRecord(0, 3)]);
    await wal.close();
    const file = join(dir, "00000000");
    const size = (await readFile(file)).length;
    await truncate(file, size - 5);
    const after = await WriteAheadLog.open(dir);
    await after.log([samplesRecord(500, 2)]);
    const { stats, samples, entries } = await replayAll(dir);
    expect(entries[0]!.record.type).toBe("series");
    expect(stats.corruptionCount).toBe(1);
    expect(stats.corruptions[0]!.reason).toBe("torn record at the end of the segment");
    expect(samples).toEqual([500, 501]);
    await after.close();
  });

  test("a reader loads bounded chunks, including records larger than a chunk", async () => {
    const { WalReader } = await import("../../../../src/telemetry/prometheus/wal/reader.ts");
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir);
    for (let i = 0; i < 10; i++) await wal.log([samplesRecord(i * 10, 3)]);
    await wal.log([samplesRecord(5000, 100)]); // ~1.8 KB, far larger than the chunk
    const reader = new WalReader(dir, 0, undefined, false, 120);
    const calls: number[] = [];
    const ts: number[] = [];
    for (;;) {
      const got = await reader.read();
      if (got.length === 0) break;
      calls.push(got.length);
      for (const e of got) if (e.record.type === "samples") ts.push(...e.record.timestamps);
    }
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...calls)).toBeLessThan(11);
    expect(ts.length).toBe(130);
    expect(reader.corruptionCount).toBe(0);
    await wal.close();
  });

  test("a live reader waits for a record that is still being written", async () => {
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir);
    await wal.log([samplesRecord(0, 2)]);
    const file = join(dir, "00000000");
    const full = frameRecords([samplesRecord(50, 2)]);
    const { appendFile } = await import("node:fs/promises");
    await appendFile(file, full.subarray(0, 7));
    const reader = wal.reader();
    expect((await reader.read()).length).toBe(1);
    await appendFile(file, full.subarray(7));
    const next = await reader.read();
    expect(next.length).toBe(1);
    expect(reader.corruptionCount).toBe(0);
    await wal.close();
  });

  test("checkpoint keeps referenced series and recent samples, then drops old segments", async () => {
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir, { segmentSize: 400 });
    await wal.log([encodeSeries([{ ref: 1, labels: a }, { ref: 2, labels: b }])]);
    for (let i = 0; i < 10; i++) await wal.log([samplesRecord(i * 10, 2)]);
    const before = await wal.segments();
    const stats = await wal.checkpoint((ref) => ref === 1, 50);
    expect(stats).toMatchObject({ seriesKept: 1, seriesDropped: 1, samplesKept: 5, samplesDropped: 15 });
    const after = await wal.segments();
    expect(after.first).toBeGreaterThan(before.last);
    expect((await readdir(dir)).filter((n) => n.startsWith("checkpoint."))).toEqual([`checkpoint.${String(stats.index).padStart(8, "0")}`]);
    await wal.log([samplesRecord(1000, 1)]);
    const { entries, samples, stats: rs } = await replayAll(dir);
    expect(rs.fromCheckpoint).toBe(stats.index);
    expect(entries[0]!.record).toEqual({ type: "series", series: [{ ref: 1, labels: a }] });
    expect(samples).toEqual([50, 60, 70, 80, 90, 1000]);
    // A second checkpoint folds the first one in and removes it.
    const s2 = await wal.checkpoint(() => true, 0);
    expect(s2.seriesKept).toBe(1);
    expect((await readdir(dir)).filter((n) => n.startsWith("checkpoint."))).toEqual([`checkpoint.${String(s2.index).padStart(8, "0")}`]);
    expect((await replayAll(dir)).samples).toEqual([50, 60, 70, 80, 90, 1000]);
    await wal.close();
  });

  test("the size limit rejects writes with a clear error instead of growing", async () => {
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir, { maxSizeBytes: 1000 });
    await wal.log([samplesRecord(0, 10)]);
    const big = samplesRecord(0, 200);
    await expect(wal.log([big])).rejects.toBeInstanceOf(WalFullError);
    await expect(wal.log([big])).rejects.toThrow(/reached its size limit of 1000 bytes/);
    await wal.log([samplesRecord(1, 1)]);
    await wal.close();
    await expect(wal.log([big])).rejects.toThrow(/is closed/);
    expect((await replayAll(dir)).samples.length).toBe(11);
  });
});

describe("WriteAheadLog on a full disk", () => {
  // /dev/full fails every write with ENOSPC; a segment file that is a symlink to it
  // stands in for a disk that filled up.
  test.skipIf(process.platform !== "linux")("ENOSPC rejects the write with a clear error and does not crash", async () => {
    const { existsSync } = await import("node:fs");
    if (!existsSync("/dev/full")) return;
    const { symlink } = await import("node:fs/promises");
    const dir = await tempDir();
    const wal = await WriteAheadLog.open(dir, { segmentSize: 100 });
    await wal.log([samplesRecord(0, 5)]);
    await symlink("/dev/full", join(dir, "00000001"));
    const err = await wal.log([samplesRecord(10, 20)]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WalFullError);
    expect(String(err)).toMatch(/no space left on device writing WAL segment .*00000001/);
    await wal.close();
    await rm(join(dir, "00000001"));
    expect((await replayAll(dir)).samples).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("WAL truncation time", () => {
  test("keeps min_keepalive margin and caps age at max_keepalive", () => {
    const cfg = { truncateFrequencyMs: 0, minKeepaliveMs: 300_000, maxKeepaliveMs: 28_800_000 };
    const now = 100_000_000;
    expect(truncationMinTime(now - 60_000, now, cfg)).toBe(now - 360_000);
    expect(truncationMinTime(0, now, cfg)).toBe(now - 28_800_000);
  });
});

describe("WalStorage", () => {
  test("acts as the remote_write receiver: batches become durable series and samples, refs survive a restart", async () => {
    const { WalStorage } = await import("../../../../src/telemetry/prometheus/wal/storage.ts");
    const dir = await tempDir();
    const st = await WalStorage.open(dir);
    const batch = new MetricsBatch();
    batch.appendSample(a, 1000, 1);
    batch.appendSample(b, 1000, 2);
    batch.appendStaleMarker(a, 2000);
    batch.updateMetadata(a, { type: "gauge", help: "A.", unit: "" });
    await st.appendBatch(batch);
    expect(st.seriesCount).toBe(2);
    // Restart without closing: refs are restored from the WAL and new series get new refs.
    const again = await WalStorage.open(dir);
    expect(again.replayStats?.corruptionCount).toBe(0);
    expect(again.labelsOf(1)).toEqual(a);
    const next = new MetricsBatch();
    next.appendSample(a, 3000, 5);
    next.appendSample(Labels.fromStrings("__name__", "c"), 3000, 7);
    await again.appendBatch(next);
    const { entries } = await replayAll(dir);
    const series = entries.flatMap((e) => (e.record.type === "series" ? e.record.series.map((s) => [s.ref, s.labels.metricName()]) : []));
    expect(series).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ]);
    const samples = entries.flatMap((e) => (e.record.type === "samples" ? Array.from(e.record.refs) : []));
    expect(samples).toEqual([1, 2, 1, 1, 3]);
    // Truncation forgets series without recent samples and checkpoints the rest.
    const stats = await again.truncate(2500);
    expect(again.seriesCount).toBe(2);
    expect(stats.seriesKept).toBe(2);
    expect((await replayAll(dir)).samples).toEqual([3000, 3000]);
    await again.close();
    await st.close();
  });
});

describe("series records with known refs", () => {
  test("take the caller's labels for known refs, skip their bytes, and decode the others", () => {
    const a = Labels.fromStrings("__name__", "up", "job", "x");
    const b = Labels.fromStrings("__name__", "up", "job", "ÿ-not-ascii");
    const c = Labels.fromStrings("__name__", "down");
    const rec = decodeRecord(encodeSeries([{ ref: 1, labels: a }, { ref: 2, labels: b }, { ref: 3, labels: c }]), (ref) => (ref === 2 ? b : undefined));
    if (rec.type !== "series") throw new Error(`got a ${rec.type} record`);
    expect(rec.series.map((s) => s.ref)).toEqual([1, 2, 3]);
    expect(rec.series[1]!.labels).toBe(b);
    expect(rec.series[0]!.labels.equals(a)).toBe(true);
    expect(rec.series[2]!.labels.equals(c)).toBe(true);
  });
});
