// The log entry that travels between loki.* components: Alloy's loki.Entry
// (a label set plus logproto.Entry), as plain data.

import { formatLabels } from "./labels.ts";

/** Stream labels: label name → value. Order is irrelevant; see formatLabels for the canonical text. */
export type LabelSet = Record<string, string>;

/** One structured-metadata pair; kept as a list because Loki keeps the order it was given. */
export interface LabelPair {
  name: string;
  value: string;
}

/** Nanoseconds since the Unix epoch (UTC). bigint keeps Go's time.Time nanosecond precision. */
export type TimestampNs = bigint;

export interface Entry {
  labels: LabelSet;
  timestamp: TimestampNs;
  line: string;
  structuredMetadata: LabelPair[];
}

/** A Loki stream: the entries of one label set, as a push request carries them. */
export interface Stream {
  labels: LabelSet;
  entries: StreamEntry[];
}

/** An entry inside a stream (the stream carries the labels). */
export interface StreamEntry {
  timestamp: TimestampNs;
  line: string;
  structuredMetadata: LabelPair[];
}

/** A label set with no inherited keys, so names like `__proto__` are ordinary labels. */
export function newLabelSet(from?: Readonly<LabelSet>): LabelSet {
  const out = Object.create(null) as LabelSet;
  if (from) for (const k of Object.keys(from)) out[k] = from[k]!;
  return out;
}

export function newEntry(
  labels: Readonly<LabelSet>,
  timestamp: TimestampNs,
  line: string,
  structuredMetadata: readonly LabelPair[] = [],
): Entry {
  return { labels: newLabelSet(labels), timestamp, line, structuredMetadata: structuredMetadata.map((p) => ({ ...p })) };
}

/** A deep copy; a component clones before changing an entry it received (receivers share entries). */
export function cloneEntry(e: Entry): Entry {
  return {
    labels: newLabelSet(e.labels),
    timestamp: e.timestamp,
    line: e.line,
    structuredMetadata: e.structuredMetadata.map((p) => ({ name: p.name, value: p.value })),
  };
}

export const NS_PER_MS = 1_000_000n;

/** Converts a JavaScript millisecond time (Date.now()) to nanoseconds. */
export function msToNs(ms: number): TimestampNs {
  const whole = Math.floor(ms);
  return BigInt(whole) * NS_PER_MS + BigInt(Math.round((ms - whole) * 1e6));
}

/** Converts nanoseconds to milliseconds (fraction kept as far as a double allows). */
export function nsToMs(ns: TimestampNs): number {
  return Number(ns / NS_PER_MS) + Number(ns % NS_PER_MS) / 1e6;
}

/** Current wall-clock time in nanoseconds, with sub-millisecond precision where the clock offers it. */
export function nowNs(): TimestampNs {
  const origin = performance.timeOrigin + performance.now();
  return msToNs(origin);
}

/** Groups entries into streams by their label set (canonical label text as the key), keeping order. */
export function groupIntoStreams(entries: readonly Entry[], keyOf: (labels: LabelSet) => string = formatLabels): Stream[] {
  const byKey = new Map<string, Stream>();
  for (const e of entries) {
    const key = keyOf(e.labels);
    let s = byKey.get(key);
    if (!s) {
      s = { labels: e.labels, entries: [] };
      byKey.set(key, s);
    }
    s.entries.push({ timestamp: e.timestamp, line: e.line, structuredMetadata: e.structuredMetadata });
  }
  return [...byKey.values()];
}
