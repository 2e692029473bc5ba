// Pieces of the Prometheus → OTLP conversion: times, bucket layouts and exemplars.

import { create } from "@bufbuild/protobuf";
import { ExemplarSchema, KeyValueSchema, type Exemplar as OtlpExemplar, type KeyValue } from "../../../../telemetry/otlp/index.ts";
import type { Exemplar as PromExemplar } from "../../../../telemetry/prometheus/exemplar.ts";
import { stringValue } from "../../processor/matching.ts";

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n;
}

/**
 * Dense absolute counts from spans. `shift` is 1 for exponential schemas (Prometheus bucket i
 * is OTLP bucket i-1) and 0 for custom buckets (index = position in the bounds).
 */
export function denseCounts(spans: readonly { offset: number; length: number }[], counts: readonly number[], shift: number): { offset: number; counts: number[] } {
  const out = new Map<number, number>();
  let idx = 0;
  let k = 0;
  spans.forEach((s) => {
    idx += s.offset;
    for (let j = 0; j < s.length; j++) out.set(idx++, counts[k++] ?? 0);
  });
  if (out.size === 0) return { offset: 0, counts: [] };
  const keys = [...out.keys()];
  const first = Math.min(...keys);
  const last = Math.max(...keys);
  const dense: number[] = [];
  for (let i = first; i <= last; i++) dense.push(out.get(i) ?? 0);
  if (shift === 0) {
    const full: number[] = [];
    for (let i = 0; i < first; i++) full.push(0);
    return { offset: 0, counts: full.concat(dense) };
  }
  return { offset: first - shift, counts: dense };
}

/** trace_id/span_id labels become the exemplar's ids; other labels its filtered attributes. */
export function otlpExemplar(e: PromExemplar): OtlpExemplar {
  const filteredAttributes: KeyValue[] = [];
  let traceId = new Uint8Array(0);
  let spanId = new Uint8Array(0);
  e.labels.forEach((n, v) => {
    if (n === "trace_id" && /^[0-9a-f]{32}$/i.test(v)) traceId = Uint8Array.from(Buffer.from(v, "hex"));
    else if (n === "span_id" && /^[0-9a-f]{16}$/i.test(v)) spanId = Uint8Array.from(Buffer.from(v, "hex"));
    else filteredAttributes.push(create(KeyValueSchema, { key: n, value: stringValue(v) }));
  });
  return create(ExemplarSchema, {
    value: { case: "asDouble", value: e.value },
    timeUnixNano: e.hasTimestamp ? msToNs(e.timestamp) : 0n,
    traceId,
    spanId,
    filteredAttributes,
  });
}
