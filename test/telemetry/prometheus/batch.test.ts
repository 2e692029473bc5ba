import { describe, expect, test } from "bun:test";
import { FanOut, newAppender, receiverFunc } from "../../../src/telemetry/prometheus/appendable.ts";
import { MetricsBatch } from "../../../src/telemetry/prometheus/batch.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";

const up = Labels.fromStrings("__name__", "up");

describe("MetricsBatch", () => {
  test("grows and keeps staleness markers apart from ordinary NaN", () => {
    const b = new MetricsBatch(1);
    for (let i = 0; i < 100; i++) {
      if (i % 10 === 0) b.appendStaleMarker(up, i);
      else b.appendSample(up, i, i === 5 ? NaN : i);
    }
    expect(b.length).toBe(100);
    expect(b.isStale(0)).toBe(true);
    expect(b.isStale(90)).toBe(true);
    expect(b.isStale(5)).toBe(false);
    expect(Number.isNaN(b.values[5]!)).toBe(true);
    expect(b.values[7]).toBe(7);
    const bytes = b.valueBytes();
    expect(Array.from(bytes.subarray(0, 8))).toEqual([2, 0, 0, 0, 0, 0, 0xf0, 0x7f]);
  });

  test("mapSeries drops and renames, carrying staleness", () => {
    const b = new MetricsBatch();
    const other = Labels.fromStrings("__name__", "drop_me");
    b.appendStaleMarker(up, 1);
    b.appendSample(other, 2, 3);
    b.appendExemplar(other, { labels: Labels.EMPTY, value: 1, timestamp: 0, hasTimestamp: false });
    const renamed = Labels.fromStrings("__name__", "up", "job", "j");
    const out = b.mapSeries((s) => (s === up ? renamed : undefined));
    expect(out.length).toBe(1);
    expect(out.series[0]).toBe(renamed);
    expect(out.isStale(0)).toBe(true);
    expect(out.exemplars.length).toBe(0);
  });
});

describe("appendable", () => {
  test("commit hands the batch over; rollback discards it", async () => {
    const got: MetricsBatch[] = [];
    const app = newAppender(receiverFunc((b) => void got.push(b)));
    app.append(up, 1, 1);
    app.rollback();
    app.append(up, 2, 1);
    await app.commit();
    expect(got.length).toBe(1);
    expect(got[0]!.length).toBe(1);
    expect(got[0]!.timestamps[0]).toBe(2);
    await app.commit(); // empty: nothing sent
    expect(got.length).toBe(1);
  });

  test("fan-out delivers to every child and reports failures after delivering to the rest", async () => {
    let a = 0;
    let c = 0;
    const fan = new FanOut([
      receiverFunc((b) => void (a += b.length)),
      receiverFunc(() => {
        throw new Error("disk full");
      }),
      receiverFunc((b) => void (c += b.length)),
    ]);
    const b = new MetricsBatch();
    b.appendSample(up, 1, 1);
    await expect(fan.appendBatch(b)).rejects.toThrow("1 of 3 receivers failed: disk full");
    expect(a).toBe(1);
    expect(c).toBe(1);
    fan.setChildren([]);
    await fan.appendBatch(b);
  });
});
