import { describe, expect, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import { TracesBatch } from "../../../src/telemetry/otlp/batch.ts";
import { ConsumerError, isPermanentError, type OtelConsumer } from "../../../src/telemetry/otlp/consumer.ts";
import { fanoutConsumer } from "../../../src/telemetry/otlp/fanout.ts";
import { ExportTraceServiceRequestSchema } from "../../../src/telemetry/otlp/pdata.ts";
import { tracesRequest } from "./fixtures.ts";

function recorder(mutates: boolean) {
  const seen: TracesBatch[] = [];
  const c: OtelConsumer = {
    capabilities: { mutatesData: mutates },
    async consumeTraces(b) {
      seen.push(b);
      if (mutates) b.request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name = "changed";
    },
  };
  return { c, seen };
}

function batchWithBytes() {
  const req = tracesRequest(2);
  return new TracesBatch(req, { encoded: toBinary(ExportTraceServiceRequestSchema, req) });
}

describe("fanoutConsumer", () => {
  test("read-only consumers share the batch and keep its original bytes", async () => {
    const a = recorder(false);
    const b = recorder(false);
    const batch = batchWithBytes();
    await fanoutConsumer([a.c, b.c]).consumeTraces!(batch);
    expect(a.seen[0]).toBe(batch);
    expect(b.seen[0]).toBe(batch);
    expect(a.seen[0]!.encoded).toBeDefined();
  });

  test("a mutating consumer gets its own copy without bytes, so readers never see its changes", async () => {
    const reader = recorder(false);
    const writer = recorder(true);
    const batch = batchWithBytes();
    await fanoutConsumer([writer.c, reader.c]).consumeTraces!(batch);
    expect(writer.seen[0]!.request).not.toBe(batch.request);
    expect(writer.seen[0]!.encoded).toBeUndefined();
    expect(reader.seen[0]!.request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe("span-0");
    expect(batch.encoded).toBeDefined();
  });

  test("the last of several mutating consumers takes the original request when there is no reader", async () => {
    const w1 = recorder(true);
    const w2 = recorder(true);
    const batch = batchWithBytes();
    await fanoutConsumer([w1.c, w2.c]).consumeTraces!(batch);
    expect(w1.seen[0]!.request).not.toBe(batch.request);
    expect(w2.seen[0]!.request).toBe(batch.request);
    expect(w2.seen[0]!.encoded).toBeUndefined();
  });

  test("each reader holds the shared batch: its bytes are freed only after the last one released it", async () => {
    const bytes = toBinary(ExportTraceServiceRequestSchema, tracesRequest(2));
    const size = bytes.byteLength;
    const batch = new TracesBatch(undefined, { encoded: bytes }, 2).ownBytes();
    const lengths: number[] = [];
    // Each reader releases as soon as it is called, before the next one runs.
    const releasing: OtelConsumer = {
      async consumeTraces(b) {
        lengths.push(b.encoded?.byteLength ?? 0);
        b.release();
      },
    };
    await fanoutConsumer([releasing, releasing, releasing]).consumeTraces!(batch);
    expect(lengths).toEqual([size, size, size]);
    expect(bytes.byteLength).toBe(0);
  });

  test("consumers without the signal are skipped", async () => {
    const metricsOnly: OtelConsumer = { consumeMetrics: async () => {} };
    const a = recorder(false);
    await fanoutConsumer([metricsOnly, a.c]).consumeTraces!(batchWithBytes());
    expect(a.seen.length).toBe(1);
  });

  test("a failure is permanent only if every failing consumer failed permanently", async () => {
    const perm: OtelConsumer = { consumeTraces: async () => Promise.reject(ConsumerError.permanent("bad data")) };
    const retry: OtelConsumer = { consumeTraces: async () => Promise.reject(new Error("network down")) };
    const f1 = fanoutConsumer([perm, retry]);
    const e1 = await f1.consumeTraces!(batchWithBytes()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPermanentError(e1)).toBe(false);
    expect(String(e1)).toContain("bad data");
    expect(String(e1)).toContain("network down");
    const f2 = fanoutConsumer([perm, perm]);
    const e2 = await f2.consumeTraces!(batchWithBytes()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPermanentError(e2)).toBe(true);
  });

  test("a consumer that throws synchronously does not stop the others", async () => {
    const thrower = { consumeTraces: (() => {
      throw ConsumerError.permanent("sync failure");
    }) as OtelConsumer["consumeTraces"] };
    const a = recorder(false);
    const err = await fanoutConsumer([thrower, a.c]).consumeTraces!(batchWithBytes()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(err)).toContain("sync failure");
    expect(a.seen.length).toBe(1);
  });

  test("partial successes are merged", async () => {
    const p1: OtelConsumer = { consumeTraces: async () => ({ rejected: 1, message: "one bad" }) };
    const p2: OtelConsumer = { consumeTraces: async () => ({ rejected: 2, message: "two bad" }) };
    const res = await fanoutConsumer([p1, p2]).consumeTraces!(batchWithBytes());
    expect(res).toEqual({ rejected: 2, message: "one bad; two bad" });
  });
});

describe("batches", () => {
  test("count spans, points and records", async () => {
    const { MetricsBatch, LogsBatch } = await import("../../../src/telemetry/otlp/batch.ts");
    const { metricsRequest, logsRequest } = await import("./fixtures.ts");
    expect(new TracesBatch(tracesRequest(4, 2)).itemCount()).toBe(8);
    expect(new MetricsBatch(metricsRequest(5)).itemCount()).toBe(7);
    expect(new LogsBatch(logsRequest(3)).itemCount()).toBe(3);
  });

  test("clones are deep, independent copies, with or without original bytes", async () => {
    const { equals, fromBinary } = await import("@bufbuild/protobuf");
    const { MetricsBatch } = await import("../../../src/telemetry/otlp/batch.ts");
    const { metricsRequest } = await import("./fixtures.ts");
    const { ExportMetricsServiceRequestSchema } = await import("../../../src/telemetry/otlp/pdata.ts");
    for (const original of [batchWithBytes(), new TracesBatch(tracesRequest(3))]) {
      const before = original.encoded ? Uint8Array.from(original.encoded) : undefined;
      const copy = original.clone();
      expect(equals(ExportTraceServiceRequestSchema, copy.request, original.request)).toBe(true);
      const span = copy.request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
      span.traceId[0] = span.traceId[0]! ^ 0xff;
      span.name = "changed";
      expect(original.request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe("span-0");
      expect(equals(ExportTraceServiceRequestSchema, copy.request, original.request)).toBe(false);
      if (before) expect(Buffer.from(original.encoded!).equals(Buffer.from(before))).toBe(true);
    }
    const m = new MetricsBatch(metricsRequest(2));
    expect(equals(ExportMetricsServiceRequestSchema, m.clone().request, m.request)).toBe(true);
    // Unknown fields survive a clone.
    const withUnknown = Uint8Array.from([...toBinary(ExportTraceServiceRequestSchema, tracesRequest(1)), 0x48, 0x07]);
    const u = new TracesBatch(fromBinary(ExportTraceServiceRequestSchema, withUnknown));
    expect(Buffer.from(u.clone().toBinary()).equals(Buffer.from(withUnknown))).toBe(true);
  });

  test("toBinary returns the original bytes until the batch is marked mutated", () => {
    const batch = batchWithBytes();
    const original = batch.encoded!;
    expect(batch.toBinary()).toBe(original);
    batch.request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name = "x";
    batch.markMutated();
    const fresh = batch.toBinary();
    expect(fresh).not.toBe(original);
    expect(new TextDecoder().decode(fresh)).toContain("x");
  });
});
