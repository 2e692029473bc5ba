// Taking a bounded number of items out of a list of resource entries (ResourceSpans,
// ResourceMetrics, ResourceLogs), keeping resource and scope, as the Collector's batch
// processor splits requests at send_batch_max_size.

import type { Metric, ResourceLogs, ResourceMetrics, ResourceSpans } from "../../../telemetry/otlp/pdata.ts";
import type { Signal } from "../../../telemetry/otlp/signal.ts";
import { countDataPoints, countLogRecords, countSpans, metricDataPoints } from "../../../telemetry/otlp/count.ts";

export type ResourceEntry = ResourceSpans | ResourceMetrics | ResourceLogs;

export function entryItems(signal: Signal, e: ResourceEntry): number {
  switch (signal) {
    case "traces":
      return countSpans({ resourceSpans: [e as ResourceSpans] });
    case "metrics":
      return countDataPoints({ resourceMetrics: [e as ResourceMetrics] });
    case "logs":
      return countLogRecords({ resourceLogs: [e as ResourceLogs] });
  }
}

/**
 * Removes up to `max` items from the front of `entries` (changing it) and returns them as
 * new resource entries. Entries that fit whole are moved; the one that does not is split.
 */
export function takeItems(signal: Signal, entries: ResourceEntry[], max: number): ResourceEntry[] {
  const out: ResourceEntry[] = [];
  let room = max;
  while (room > 0 && entries.length > 0) {
    const e = entries[0]!;
    const n = entryItems(signal, e);
    if (n <= room) {
      out.push(e);
      entries.shift();
      room -= n;
      continue;
    }
    const [head, tail] = splitEntry(signal, e, room);
    out.push(head);
    entries[0] = tail;
    room = 0;
  }
  return out;
}

/** Splits one resource entry into its first `n` items and the rest. */
function splitEntry(signal: Signal, e: ResourceEntry, n: number): [ResourceEntry, ResourceEntry] {
  switch (signal) {
    case "traces": {
      const rs = e as ResourceSpans;
      const [a, b] = splitScopes(rs.scopeSpans, n, (s) => s.spans.length, (s, from, to) => ({ ...s, spans: s.spans.slice(from, to) }));
      return [{ ...rs, scopeSpans: a }, { ...rs, scopeSpans: b }];
    }
    case "logs": {
      const rl = e as ResourceLogs;
      const [a, b] = splitScopes(rl.scopeLogs, n, (s) => s.logRecords.length, (s, from, to) => ({ ...s, logRecords: s.logRecords.slice(from, to) }));
      return [{ ...rl, scopeLogs: a }, { ...rl, scopeLogs: b }];
    }
    case "metrics": {
      const rm = e as ResourceMetrics;
      const [a, b] = splitScopes(
        rm.scopeMetrics,
        n,
        (s) => s.metrics.reduce((acc, m) => acc + metricDataPoints(m), 0),
        (s, from, to) => ({ ...s, metrics: sliceMetrics(s.metrics, from, to) }),
      );
      return [{ ...rm, scopeMetrics: a }, { ...rm, scopeMetrics: b }];
    }
  }
}

function splitScopes<S>(scopes: S[], n: number, count: (s: S) => number, slice: (s: S, from: number, to?: number) => S): [S[], S[]] {
  const head: S[] = [];
  let room = n;
  let i = 0;
  for (; i < scopes.length && room > 0; i++) {
    const s = scopes[i]!;
    const c = count(s);
    if (c <= room) {
      head.push(s);
      room -= c;
      continue;
    }
    head.push(slice(s, 0, room));
    return [head, [slice(s, room), ...scopes.slice(i + 1)]];
  }
  return [head, scopes.slice(i)];
}

/** Metrics covering data points [from, to) of the list, splitting a metric's points where needed. */
function sliceMetrics(metrics: Metric[], from: number, to?: number): Metric[] {
  const out: Metric[] = [];
  let pos = 0;
  const end = to ?? Number.POSITIVE_INFINITY;
  for (const m of metrics) {
    const c = metricDataPoints(m);
    const start = pos;
    pos += c;
    if (pos <= from || start >= end) continue;
    if (start >= from && pos <= end) {
      out.push(m);
      continue;
    }
    const lo = Math.max(0, from - start);
    const hi = Math.min(c, end - start);
    const data = m.data;
    if (data.case === undefined) continue;
    const value = { ...data.value, dataPoints: (data.value.dataPoints as unknown[]).slice(lo, hi) };
    out.push({ ...m, data: { case: data.case, value } as Metric["data"] });
  }
  return out;
}
