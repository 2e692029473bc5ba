// Merging and splitting batches by item count, for batching processors and exporters'
// sending queues. Merged protobuf bytes are the concatenation of the parts' bytes (a repeated
// field's entries simply follow each other), so merged batches still forward without encoding.

import { create } from "@bufbuild/protobuf";
import { newBatch, type AnyBatch, type BatchOptions } from "./batch.ts";
import { concatBytes } from "../concat_bytes.ts";
import { metricDataPoints } from "./count.ts";
import {
  MetricSchema,
  ResourceLogsSchema,
  ResourceMetricsSchema,
  ResourceSpansSchema,
  SIGNAL_DESCRIPTORS,
  ScopeLogsSchema,
  ScopeMetricsSchema,
  ScopeSpansSchema,
  type ExportRequest,
  type Metric,
  type ResourceLogs,
  type ResourceMetrics,
  type ResourceSpans,
} from "./pdata.ts";

/** One batch holding every resource entry of `batches` (all of the same signal), in order. */
export function mergeBatches<B extends AnyBatch>(batches: readonly B[]): B {
  const first = batches[0];
  if (first === undefined) throw new Error("mergeBatches needs at least one batch");
  if (batches.length === 1) return first;
  const signal = first.signal;
  const request = create(SIGNAL_DESCRIPTORS[signal].request) as ExportRequest;
  for (const b of batches) {
    if (b.signal !== signal) throw new Error(`cannot merge ${b.signal} into ${signal}`);
    resourcesOf(request).push(...(resourcesOf(b.request as ExportRequest) as never[]));
  }
  const opts: BatchOptions = {};
  if (batches.every((b) => b.encoded !== undefined)) opts.encoded = concatBytes(batches.map((b) => b.encoded!));
  // Client metadata survives only when every part came from the same client.
  if (batches.every((b) => b.client === first.client) && first.client) opts.client = first.client;
  return newBatch(signal, request, opts) as B;
}

/**
 * Splits a batch into batches of at most `maxItems` spans, data points or log records,
 * keeping each item under its resource and scope. A batch within the limit is returned as is.
 */
export function splitBatch<B extends AnyBatch>(batch: B, maxItems: number): B[] {
  if (!(maxItems > 0)) throw new Error(`maxItems must be positive, got ${maxItems}`);
  if (batch.itemCount() <= maxItems) return [batch];
  const parts: ExportRequest[] = [];
  let current = create(SIGNAL_DESCRIPTORS[batch.signal].request) as ExportRequest;
  let room = maxItems;
  const flush = () => {
    parts.push(current);
    current = create(SIGNAL_DESCRIPTORS[batch.signal].request) as ExportRequest;
    room = maxItems;
  };
  const take = (n: number): number => {
    if (room === 0) flush();
    const k = Math.min(n, room);
    room -= k;
    return k;
  };
  switch (batch.signal) {
    case "traces":
      for (const rs of batch.request.resourceSpans) splitSpans(rs, take, () => current as ExportRequest<"traces">);
      break;
    case "metrics":
      for (const rm of batch.request.resourceMetrics) splitMetrics(rm, take, () => current as ExportRequest<"metrics">);
      break;
    case "logs":
      for (const rl of batch.request.resourceLogs) splitLogs(rl, take, () => current as ExportRequest<"logs">);
      break;
  }
  if (resourcesOf(current).length > 0) parts.push(current);
  const opts: BatchOptions = batch.client ? { client: batch.client } : {};
  return parts.map((r) => newBatch(batch.signal, r, opts) as B);
}

function resourcesOf(r: ExportRequest): unknown[] {
  return "resourceSpans" in r ? r.resourceSpans : "resourceMetrics" in r ? r.resourceMetrics : r.resourceLogs;
}

// Which input entry (resource or scope level) each output entry was made from.
const sourceOf = new WeakMap<object, object>();

/** The last entry of `list` if it was made from `source`, else a new one appended. */
function entryFor<T extends object>(list: T[], source: object, make: () => T): T {
  const last = list.at(-1);
  if (last !== undefined && sourceOf.get(last) === source) return last;
  const t = make();
  sourceOf.set(t, source);
  list.push(t);
  return t;
}

type Take = (n: number) => number;

function splitSpans(rs: ResourceSpans, take: Take, current: () => ExportRequest<"traces">): void {
  for (const ss of rs.scopeSpans) {
    let i = 0;
    while (i < ss.spans.length) {
      const k = take(ss.spans.length - i);
      const req = current();
      const outRs = entryFor(req.resourceSpans, rs, () => create(ResourceSpansSchema, { resource: rs.resource, schemaUrl: rs.schemaUrl }));
      const outSs = entryFor(outRs.scopeSpans, ss, () => create(ScopeSpansSchema, { scope: ss.scope, schemaUrl: ss.schemaUrl }));
      outSs.spans.push(...ss.spans.slice(i, i + k));
      i += k;
    }
  }
}

function splitLogs(rl: ResourceLogs, take: Take, current: () => ExportRequest<"logs">): void {
  for (const sl of rl.scopeLogs) {
    let i = 0;
    while (i < sl.logRecords.length) {
      const k = take(sl.logRecords.length - i);
      const req = current();
      const outRl = entryFor(req.resourceLogs, rl, () => create(ResourceLogsSchema, { resource: rl.resource, schemaUrl: rl.schemaUrl }));
      const outSl = entryFor(outRl.scopeLogs, sl, () => create(ScopeLogsSchema, { scope: sl.scope, schemaUrl: sl.schemaUrl }));
      outSl.logRecords.push(...sl.logRecords.slice(i, i + k));
      i += k;
    }
  }
}

function splitMetrics(rm: ResourceMetrics, take: Take, current: () => ExportRequest<"metrics">): void {
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      const total = metricDataPoints(m);
      let i = 0;
      // A metric without points still travels (it counts zero items).
      do {
        const k = total === 0 ? 0 : take(total - i);
        const req = current();
        const outRm = entryFor(req.resourceMetrics, rm, () => create(ResourceMetricsSchema, { resource: rm.resource, schemaUrl: rm.schemaUrl }));
        const outSm = entryFor(outRm.scopeMetrics, sm, () => create(ScopeMetricsSchema, { scope: sm.scope, schemaUrl: sm.schemaUrl }));
        outSm.metrics.push(i === 0 && k === total ? m : metricSlice(m, i, i + k));
        i += k;
      } while (i < total);
    }
  }
}

/** The same metric with only data points [from, to). */
function metricSlice(m: Metric, from: number, to: number): Metric {
  const d = m.data;
  const copy = create(MetricSchema, { name: m.name, description: m.description, unit: m.unit, metadata: m.metadata });
  if (d.case === undefined) return copy;
  const value = { ...d.value, dataPoints: d.value.dataPoints.slice(from, to) };
  copy.data = { case: d.case, value } as Metric["data"];
  return copy;
}

