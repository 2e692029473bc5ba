import { describe, expect, test } from "bun:test";
import { toBinary } from "@bufbuild/protobuf";
import { encodedBatch, type TracesBatch } from "../../../src/telemetry/otlp/batch.ts";
import { ExportTraceServiceRequestSchema } from "../../../src/telemetry/otlp/pdata.ts";
import { tracesRequest } from "./fixtures.ts";

/** A received request: protobuf bytes in a buffer of their own. */
function received(spans = 3) {
  const bytes = toBinary(ExportTraceServiceRequestSchema, tracesRequest(spans));
  return { bytes, batch: encodedBatch("traces", bytes) as TracesBatch };
}

describe("releasing a batch's bytes", () => {
  test("an owned batch frees its buffer when its holder releases it, and refuses to be read again", () => {
    const { bytes, batch } = received();
    expect(batch.ownBytes()).toBe(batch);
    expect(batch.itemCount()).toBe(3);
    batch.release();
    expect(bytes.buffer.byteLength).toBe(0);
    expect(bytes.byteLength).toBe(0);
    expect(batch.encoded).toBeUndefined();
    expect(() => batch.request).toThrow("traces batch used after its last holder released it");
    // A second release has nothing left to free.
    batch.release();
  });

  test("a batch nobody declared the owner of is left to the garbage collector", () => {
    const { bytes, batch } = received();
    batch.release();
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(batch.request.resourceSpans[0]!.scopeSpans[0]!.spans).toHaveLength(3);
  });

  test("a shared batch is freed only when every holder has released it", () => {
    const { bytes, batch } = received();
    batch.ownBytes().share(2);
    batch.release();
    batch.release();
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(batch.request.resourceSpans[0]!.scopeSpans[0]!.spans).toHaveLength(3);
    batch.release();
    expect(bytes.byteLength).toBe(0);
  });

  test("sharing a batch that is not owned keeps it unowned", () => {
    const { bytes, batch } = received();
    batch.share(1);
    batch.release();
    batch.release();
    expect(bytes.byteLength).toBeGreaterThan(0);
  });

  test("a mutated batch no longer owns the bytes its decoded request may still view", () => {
    const { bytes, batch } = received();
    batch.ownBytes();
    batch.markMutated();
    batch.release();
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(batch.request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId).toHaveLength(16);
  });

  test("owned bytes that view part of a buffer free the whole buffer, so only the buffer's maker may own them", () => {
    const whole = new Uint8Array(toBinary(ExportTraceServiceRequestSchema, tracesRequest(1)).length + 10);
    const view = whole.subarray(0, whole.length - 10);
    view.set(toBinary(ExportTraceServiceRequestSchema, tracesRequest(1)));
    const batch = encodedBatch("traces", view).ownBytes();
    batch.release();
    expect(whole.byteLength).toBe(0);
  });
});
