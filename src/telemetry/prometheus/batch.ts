// MetricsBatch: the unit of data that crosses prometheus.* components. Float samples
// are stored column-wise (one Labels reference, one float64 timestamp, one float64
// value per sample) so a scrape of N samples costs three array slots per sample and no
// per-sample object. Values keep their exact 64-bit pattern in the Float64Array's
// buffer, which is how the staleness marker survives (see staleness.ts). Exemplars,
// native histograms and metadata are rare and kept as small entry objects.

import type { Exemplar } from "./exemplar.ts";
import type { NativeHistogram } from "./histogram.ts";
import type { Labels } from "./labels.ts";
import type { Metadata } from "./metadata.ts";
import { isStaleAt, writeStaleAt } from "./staleness.ts";

export interface ExemplarEntry {
  series: Labels;
  exemplar: Exemplar;
}

export interface HistogramEntry {
  series: Labels;
  timestamp: number;
  histogram: NativeHistogram;
  /** True for the staleness marker of a histogram series (histogram content is then ignored). */
  stale: boolean;
}

export interface MetadataEntry {
  /** The series (or at least `{__name__="family"}`) the metadata belongs to. */
  series: Labels;
  metadata: Metadata;
}

const INITIAL_CAPACITY = 64;

export class MetricsBatch {
  /** Series of each float sample; `series[i]` goes with `timestamps[i]`, `values[i]`. */
  series: Labels[] = [];
  timestamps: Float64Array;
  values: Float64Array;
  #valueWords: Uint32Array;
  #valueBytes: Uint8Array | undefined;
  #length = 0;
  readonly exemplars: ExemplarEntry[] = [];
  readonly histograms: HistogramEntry[] = [];
  readonly metadata: MetadataEntry[] = [];

  constructor(capacity = INITIAL_CAPACITY) {
    const c = Math.max(1, capacity);
    this.timestamps = new Float64Array(c);
    this.values = new Float64Array(c);
    this.#valueWords = new Uint32Array(this.values.buffer);
  }

  /** Number of float samples. */
  get length(): number {
    return this.#length;
  }

  /** Float samples + histogram samples + exemplars, for limits and self-metrics. */
  get totalCount(): number {
    return this.#length + this.histograms.length + this.exemplars.length;
  }

  isEmpty(): boolean {
    return this.#length === 0 && this.histograms.length === 0 && this.exemplars.length === 0 && this.metadata.length === 0;
  }

  #grow(): void {
    const c = this.timestamps.length * 2;
    const ts = new Float64Array(c);
    ts.set(this.timestamps);
    const vs = new Float64Array(c);
    // Copy as words so NaN payloads (the staleness marker) are preserved.
    const words = new Uint32Array(vs.buffer);
    words.set(this.#valueWords);
    this.timestamps = ts;
    this.values = vs;
    this.#valueWords = words;
  }

  appendSample(series: Labels, timestamp: number, value: number): void {
    const i = this.#length;
    if (i === this.timestamps.length) this.#grow();
    this.series[i] = series;
    this.timestamps[i] = timestamp;
    this.values[i] = value;
    this.#length = i + 1;
  }

  /** Appends the staleness marker for `series` at `timestamp`. */
  appendStaleMarker(series: Labels, timestamp: number): void {
    const i = this.#length;
    if (i === this.timestamps.length) this.#grow();
    this.series[i] = series;
    this.timestamps[i] = timestamp;
    writeStaleAt(this.#valueWords, i);
    this.#length = i + 1;
  }

  /** Copies sample `i` of `from` (bits included) onto this batch, optionally under other labels. */
  copySample(from: MetricsBatch, i: number, series: Labels = from.series[i]!): void {
    const j = this.#length;
    if (j === this.timestamps.length) this.#grow();
    this.series[j] = series;
    this.timestamps[j] = from.timestamps[i]!;
    const fw = from.#valueWords;
    this.#valueWords[2 * j] = fw[2 * i]!;
    this.#valueWords[2 * j + 1] = fw[2 * i + 1]!;
    this.#length = j + 1;
  }

  /** Appends a sample whose value is the 8 little-endian bytes at `offset` of `bytes` (bits kept). */
  appendSampleBits(series: Labels, timestamp: number, bytes: Uint8Array, offset: number): void {
    const i = this.#length;
    if (i === this.timestamps.length) this.#grow();
    this.series[i] = series;
    this.timestamps[i] = timestamp;
    let vb = this.#valueBytes;
    if (vb === undefined || vb.buffer !== this.values.buffer) vb = this.#valueBytes = new Uint8Array(this.values.buffer);
    const o = i * 8;
    for (let b = 0; b < 8; b++) vb[o + b] = bytes[offset + b]!;
    this.#length = i + 1;
  }

  isStale(i: number): boolean {
    return isStaleAt(this.#valueWords, i);
  }

  /** The raw bytes of the value column (little-endian float64s), for encoders that copy bits. */
  valueBytes(): Uint8Array {
    return new Uint8Array(this.values.buffer, 0, this.#length * 8);
  }

  appendExemplar(series: Labels, exemplar: Exemplar): void {
    this.exemplars.push({ series, exemplar });
  }

  appendHistogram(series: Labels, timestamp: number, histogram: NativeHistogram): void {
    this.histograms.push({ series, timestamp, histogram, stale: false });
  }

  appendHistogramStaleMarker(series: Labels, timestamp: number, histogram: NativeHistogram): void {
    this.histograms.push({ series, timestamp, histogram, stale: true });
  }

  updateMetadata(series: Labels, metadata: Metadata): void {
    this.metadata.push({ series, metadata });
  }

  /** Visits every float sample; `stale` tells staleness markers apart from ordinary NaN. */
  forEachSample(fn: (series: Labels, timestamp: number, value: number, stale: boolean, index: number) => void): void {
    for (let i = 0; i < this.#length; i++) {
      fn(this.series[i]!, this.timestamps[i]!, this.values[i]!, isStaleAt(this.#valueWords, i), i);
    }
  }

  /**
   * A new batch with every series passed through `map` (undefined drops the entry).
   * Histograms, exemplars and metadata follow the same mapping. This is what
   * relabeling and external labels use; `map` is expected to cache per series.
   */
  mapSeries(map: (series: Labels) => Labels | undefined): MetricsBatch {
    const out = new MetricsBatch(Math.max(this.#length, 1));
    for (let i = 0; i < this.#length; i++) {
      const s = map(this.series[i]!);
      if (s !== undefined) out.copySample(this, i, s);
    }
    for (const e of this.exemplars) {
      const s = map(e.series);
      if (s !== undefined) out.exemplars.push({ series: s, exemplar: e.exemplar });
    }
    for (const h of this.histograms) {
      const s = map(h.series);
      if (s !== undefined) out.histograms.push({ ...h, series: s });
    }
    for (const m of this.metadata) {
      const s = map(m.series);
      if (s !== undefined) out.metadata.push({ series: s, metadata: m.metadata });
    }
    return out;
  }
}
