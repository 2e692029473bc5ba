// Turning one scrape response into a batch, as Prometheus's scrapeLoop.append:
// parse, attach the target's labels (honor_labels or `exported_` renames), check
// names and limits, skip duplicates, and write staleness markers for series that
// were in the previous scrape but are gone now. A failed scrape is an empty
// scrape: every series of the previous one gets a staleness marker.

import { MetricsBatch } from "../../../telemetry/prometheus/batch.ts";
import {
  Labels,
  LabelsBuilder,
  METRIC_NAME,
  isValidLegacyLabelName,
  isValidLegacyMetricName,
} from "../../../telemetry/prometheus/labels.ts";
import type { NativeHistogram } from "../../../telemetry/prometheus/histogram.ts";
import { LabelsIndex } from "../../../telemetry/prometheus/labels_index.ts";
import type { Metadata } from "../../../telemetry/prometheus/metadata.ts";
import { newParser, type ExpositionFormat } from "../../../telemetry/prometheus/textparse/negotiation.ts";
import type { ScrapeConfig } from "./arguments.ts";
import { BUCKET_LIMIT_ERROR, limitHistogram } from "./histogram_limits.ts";
import { NHCBParser } from "./nhcb.ts";
import { SeriesTexts } from "./text_index.ts";

const EXPORTED_PREFIX = "exported_";

/**
 * One series of a target after label mutation, shared by every exposed text that
 * yields the same labels. Generation stamps replace per-scrape sets: duplicates and
 * staleness are decided by comparing them with the scrape's generation. It is itself
 * the cache entry of the first text that yields it (no separate entry object for the
 * common one-text series); other texts get a TextEntry pointing at it.
 */
export class ScrapedSeries {
  /** The scrape generation that last appended a sample of it. */
  appended = 0;
  /** The generation whose staleness set holds it (the last scrape that appended it, tracked). */
  tracked = 0;
  /** The generation in which it carried an explicit timestamp (left out of staleness). */
  untracked = 0;
  /** Cache entries (exposed texts) pointing at it; at 0 it is forgotten. */
  texts = 0;
  /** As the cache entry of its first text: the scrape generation that last saw that text. */
  gen = 0;

  constructor(readonly labels: Labels) {}
}

/** The cache entry of a text that is not its series' own entry: a dropped or failing series, or a second text of one. */
export interface TextEntry {
  /** Undefined when relabeling left no labels (the series is skipped). */
  series: ScrapedSeries | undefined;
  /** The scrape generation that last saw this text; older entries are swept. */
  gen: number;
  /** Set when the series fails the scrape (missing name, invalid names, label limits). */
  error?: string;
  labelLimit?: boolean;
}

/** A series as exposed, after label mutation and checks; cached by its text. */
export type SeriesEntry = ScrapedSeries | TextEntry;

/** What a cache entry depends on besides the exposed series (Prometheus's reusableCache). */
function entrySettings(target: Labels, cfg: ScrapeConfig): string {
  return [
    target.key(),
    cfg.honorLabels,
    cfg.validation,
    cfg.labelLimit,
    cfg.labelNameLengthLimit,
    cfg.labelValueLengthLimit,
    cfg.typeAndUnitLabels,
  ].join("\u0000");
}

/** Builds the cache entry of a series seen for the first time. */
function newEntry(exposed: Labels, target: Labels, cfg: ScrapeConfig, meta: Map<string, Metadata>, cache: SeriesCache, gen: number): SeriesEntry {
  const withMeta = cfg.typeAndUnitLabels ? withTypeAndUnit(exposed, meta) : exposed;
  const mutated = mutateSampleLabels(withMeta, target, cfg.honorLabels);
  if (mutated.size === 0) return { series: undefined, gen } satisfies TextEntry;
  let series = cache.series.get(mutated);
  if (series === undefined) {
    series = new ScrapedSeries(cache.retain(mutated));
    cache.series.set(series.labels, series);
  }
  series.texts++;
  const lset = series.labels;
  let error: string | undefined;
  let labelLimit = false;
  if (!lset.has(METRIC_NAME)) error = "missing metric name (__name__ label)";
  else if (!validNames(lset, cfg.validation)) error = `invalid metric name or label names: ${lset.toString()}`;
  else {
    error = labelLimitError(lset, cfg);
    labelLimit = error !== undefined;
  }
  if (error === undefined && series.texts === 1) {
    series.gen = gen;
    return series;
  }
  const entry: TextEntry = { series, gen };
  if (error !== undefined) entry.error = error;
  if (labelLimit) entry.labelLimit = true;
  return entry;
}

/** State that survives from one scrape of a target to the next (and across config reloads). */
export class SeriesCache {
  /** Series text as exposed → labels after mutation, or null when dropped. */
  entries = new SeriesTexts<SeriesEntry>();
  /** Counts scrapes, to tell which entries the current one touched. */
  gen = 0;
  /** The settings the entries were built with; entries are rebuilt when these change. */
  entriesFor = "";
  /** Metadata last sent per family (honor_metadata), to resend only on change. */
  familyMetadata = new Map<string, string>();
  /** Every series some entry points at, by label set. */
  series = new LabelsIndex<ScrapedSeries>();
  /** The generation whose appended series form the staleness set (0: none yet). */
  trackedGen = 0;
  /** Capacity for the next scrape's batch: the last one's size plus room for the report series. */
  batchCapacity = 256;
  /** One retained copy of each label string of the cached series (see retain). */
  #strings = new Map<string, string>();

  /**
   * The labels of a new cached series, built from strings this cache owns: the
   * parser's strings are slices of the response body, and a slice keeps the whole
   * body alive; and series of a target repeat the same names and values, which are
   * then held once. The table is rebuilt when churn leaves it much larger than the
   * strings the live series can use.
   */
  retain(labels: Labels): Labels {
    const strings = this.#strings;
    if (strings.size > 1024 + 8 * this.series.size) strings.clear();
    const f = labels.flat;
    const out = new Array<string>(f.length);
    for (let i = 0; i < f.length; i++) {
      const s = f[i]!;
      let kept = strings.get(s);
      if (kept === undefined) {
        kept = ownedCopy(s);
        strings.set(kept, kept);
      }
      out[i] = kept;
    }
    return Labels.fromSortedFlat(out);
  }
}

/** A string with its own characters, not a view into a larger string (which it would keep alive). */
export function ownedCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

export interface AppendResult {
  /** Samples in the response (scrape_samples_scraped). */
  total: number;
  /** Samples after relabeling and limits (scrape_samples_post_metric_relabeling). */
  added: number;
  /** Series not in the previous scrape (scrape_series_added). */
  seriesAdded: number;
  duplicates: number;
  error?: string;
  /** Which limit failed the scrape, for the counters. */
  limit?: "sample" | "label" | "bucket";
}

/**
 * The target's labels added to an exposed label set that has none of their names: a
 * merge of two sorted lists, what mutateSampleLabels yields then without a builder
 * and a sort. Undefined when a name is shared or repeated (the general path handles those).
 */
function mergeTargetLabels(lset: Labels, target: Labels): Labels | undefined {
  const a = lset.flat;
  const b = target.flat;
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    if (i > 0 && i < a.length && a[i] === a[i - 2]) return undefined;
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) {
      out[k++] = a[i]!;
      out[k++] = a[i + 1]!;
      i += 2;
    } else if (i >= a.length || b[j]! < a[i]!) {
      out[k++] = b[j]!;
      out[k++] = b[j + 1]!;
      j += 2;
    } else return undefined;
  }
  return Labels.fromSortedFlat(out);
}

/** Prometheus's mutateSampleLabels without metric relabeling (Alloy has prometheus.relabel for that). */
export function mutateSampleLabels(lset: Labels, target: Labels, honorLabels: boolean): Labels {
  if (!honorLabels && target.size > 0) {
    const merged = mergeTargetLabels(lset, target);
    if (merged !== undefined) return merged;
  }
  const lb = new LabelsBuilder(lset);
  if (honorLabels) {
    target.forEach((n, v) => {
      if (!lset.has(n)) lb.set(n, v);
    });
    return lb.labels();
  }
  const conflicts: Array<[string, string]> = [];
  target.forEach((n, v) => {
    const existing = lset.get(n);
    if (existing !== "") conflicts.push([n, existing]);
    lb.set(n, v);
  });
  conflicts.sort((a, b) => a[0].length - b[0].length);
  for (const [name, value] of conflicts) {
    let newName = name;
    for (;;) {
      newName = EXPORTED_PREFIX + newName;
      if (lb.get(newName) === "") {
        lb.set(newName, value);
        break;
      }
    }
  }
  return lb.labels();
}

/** Labels of up, scrape_duration_seconds, ...: the target's labels win over the metric's own. */
export function reportLabels(name: string, target: Labels): Labels {
  const lb = new LabelsBuilder(Labels.fromStrings(METRIC_NAME, name));
  target.forEach((n, v) => lb.set(n, v));
  return lb.labels();
}

function labelLimitError(lset: Labels, cfg: ScrapeConfig): string | undefined {
  const met = lset.metricName().slice(0, 50);
  if (cfg.labelLimit > 0 && lset.size > cfg.labelLimit) {
    return `label_limit exceeded (metric: ${met}, number of labels: ${lset.size}, limit: ${cfg.labelLimit})`;
  }
  if (cfg.labelNameLengthLimit === 0 && cfg.labelValueLengthLimit === 0) return undefined;
  for (const [n, v] of lset) {
    const nl = [...n].length;
    if (cfg.labelNameLengthLimit > 0 && nl > cfg.labelNameLengthLimit) {
      return `label_name_length_limit exceeded (metric: ${met}, label name: ${n.slice(0, 50)}, length: ${nl}, limit: ${cfg.labelNameLengthLimit})`;
    }
    const vl = [...v].length;
    if (cfg.labelValueLengthLimit > 0 && vl > cfg.labelValueLengthLimit) {
      return `label_value_length_limit exceeded (metric: ${met}, label name: ${n.slice(0, 50)}, value: ${JSON.stringify(v.slice(0, 50))}, length: ${vl}, limit: ${cfg.labelValueLengthLimit})`;
    }
  }
  return undefined;
}

function validNames(lset: Labels, scheme: "legacy" | "utf8"): boolean {
  if (scheme === "utf8") return true;
  for (const [n, v] of lset) {
    if (n === METRIC_NAME ? !isValidLegacyMetricName(v) : !isValidLegacyLabelName(n)) return false;
  }
  return true;
}

const FAMILY_SUFFIXES = ["_bucket", "_count", "_sum", "_total", "_created", "_info", "_gcount", "_gsum"];

/** The family a series belongs to, by name or name minus a known suffix, with its metadata. */
function familyOf(meta: Map<string, Metadata>, name: string): [string, Metadata] | undefined {
  const direct = meta.get(name);
  if (direct) return [name, direct];
  for (const s of FAMILY_SUFFIXES) {
    if (!name.endsWith(s)) continue;
    const fam = name.slice(0, -s.length);
    const md = meta.get(fam);
    if (md) return [fam, md];
  }
  return undefined;
}

/** True, for the whole scrape, when a family's metadata differs from the previous scrape's. */
function metadataChanged(cache: SeriesCache, changed: Set<string>, fam: string, md: Metadata): boolean {
  if (changed.has(fam)) return true;
  const id = `${md.type}\u0000${md.unit}\u0000${md.help}`;
  if (cache.familyMetadata.get(fam) === id) return false;
  cache.familyMetadata.set(fam, id);
  changed.add(fam);
  return true;
}

/** The zero sample at a histogram's created timestamp: same layout, nothing counted. */
function zeroHistogram(h: NativeHistogram): NativeHistogram {
  return { ...h, count: 0, sum: 0, zeroCount: 0, positiveSpans: [], negativeSpans: [], positiveBuckets: [], negativeBuckets: [] };
}

/** Prometheus's type-and-unit labels: `__type__` (unless unknown) and `__unit__` from the family's metadata. */
function withTypeAndUnit(lset: Labels, meta: Map<string, Metadata>): Labels {
  const md = familyOf(meta, lset.metricName())?.[1];
  if (!md) return lset;
  const lb = new LabelsBuilder(lset);
  if (md.type !== "unknown") lb.set("__type__", md.type);
  if (md.unit !== "") lb.set("__unit__", md.unit);
  return lb.labels();
}

/**
 * The batch of one scrape: the parsed `body` on success, nothing from it on
 * failure; staleness markers in both cases. The caller adds the report series.
 */
export function appendScrape(
  body: Uint8Array | undefined,
  format: ExpositionFormat | undefined,
  target: Labels,
  cfg: ScrapeConfig,
  cache: SeriesCache,
  appendTime: number,
): { batch: MetricsBatch; result: AppendResult } {
  // Sized from the last scrape so the columns are allocated once, not grown by doubling.
  let batch = new MetricsBatch(cache.batchCapacity);
  const res: AppendResult = { total: 0, added: 0, seriesAdded: 0, duplicates: 0 };
  const gen = ++cache.gen;
  const entriesFor = entrySettings(target, cfg);
  if (cache.entriesFor !== entriesFor) {
    cache.entries.clear();
    for (const s of cache.series.values()) s.texts = 0;
    cache.entriesFor = entriesFor;
  }
  const meta = new Map<string, Metadata>();
  const changedFamilies = new Set<string>();
  if (body !== undefined && format !== undefined && body.length > 0) {
    const inner = newParser(body, format, {
      ignoreNativeHistograms: !cfg.nativeHistograms,
      keepClassicHistograms: cfg.classicHistograms,
      skipCreatedSeries: cfg.ctZeroIngestion,
    });
    const p = cfg.convertClassicToNHCB ? new NHCBParser(inner, cfg.classicHistograms) : inner;
    loop: for (;;) {
      const e = p.next();
      switch (e) {
        case "eof":
          break loop;
        case "invalid":
          res.error = p.error ? p.error.message : "invalid exposition";
          break loop;
        case "help":
        case "type":
        case "unit": {
          const fam = p.metricFamily;
          const m = meta.get(fam) ?? { type: "unknown", help: "", unit: "" };
          if (e === "help") m.help = p.help;
          else if (e === "type") m.type = p.type;
          else m.unit = p.unit;
          meta.set(fam, m);
          continue;
        }
        case "comment":
          continue;
        case "series":
        case "histogram": {
          res.total++;
          const text = p.seriesText;
          let entry = cache.entries.get(text);
          const created = entry === undefined;
          if (entry === undefined) {
            entry = newEntry(p.labels(), target, cfg, meta, cache, gen);
            cache.entries.set(ownedCopy(text), entry);
          } else entry.gen = gen;
          let series: ScrapedSeries;
          if (entry instanceof ScrapedSeries) series = entry;
          else {
            if (entry.series === undefined) continue;
            if (entry.error !== undefined) {
              res.error = entry.error;
              if (entry.labelLimit) res.limit = "label";
              break loop;
            }
            series = entry.series;
          }
          const lset = series.labels;
          const explicitTs = cfg.honorTimestamps ? p.timestamp : undefined;
          const t = explicitTs ?? appendTime;
          // Prometheus counts every post-relabeling sample as added, duplicates and
          // samples over the limit included; only new series that were stored count as added series.
          res.added++;
          if (explicitTs === undefined && series.appended === gen) {
            res.duplicates++;
            continue;
          }
          if (cfg.sampleLimit > 0 && res.added > cfg.sampleLimit) {
            res.error ??= "sample limit exceeded";
            res.limit ??= "sample";
            continue;
          }
          let hist: NativeHistogram | undefined;
          if (e === "histogram") {
            const h = p.histogram();
            const limited = h && limitHistogram(h, cfg.nativeHistogramBucketLimit, cfg.nativeHistogramMaxSchema);
            if (limited === BUCKET_LIMIT_ERROR) {
              // Keep parsing so scrape_samples_scraped counts everything; the scrape fails at the end.
              res.error ??= BUCKET_LIMIT_ERROR;
              res.limit ??= "bucket";
              continue;
            }
            hist = limited;
          }
          series.appended = gen;
          if (cfg.ctZeroIngestion) {
            const ct = p.createdTimestamp();
            if (ct !== undefined && ct !== 0 && ct < t) {
              if (hist) batch.appendHistogram(lset, ct, zeroHistogram(hist));
              else batch.appendSample(lset, ct, 0);
            }
          }
          if (e === "histogram") {
            if (hist) batch.appendHistogram(lset, t, hist);
          } else {
            batch.appendSample(lset, t, p.value);
          }
          for (const ex of p.exemplars()) {
            // Exemplars without a timestamp take the sample's; on native histograms they are dropped.
            if (ex.hasTimestamp) batch.appendExemplar(lset, ex);
            else if (e !== "histogram") batch.appendExemplar(lset, { ...ex, timestamp: t });
          }
          // As Prometheus: a series is added when its text was not in the series cache (kept across failed scrapes).
          if (created && res.error === undefined) res.seriesAdded++;
          if (explicitTs !== undefined && !cfg.trackTimestampsStaleness) series.untracked = gen;
          if (cfg.honorMetadata) {
            // Metadata goes out for new series and when a family's metadata changed, as Prometheus's appendMetadataToWAL.
            const fm = familyOf(meta, lset.metricName());
            if (fm && (metadataChanged(cache, changedFamilies, fm[0], fm[1]) || created)) batch.updateMetadata(lset, { ...fm[1] });
          }
        }
      }
    }
  }
  const failed = res.error !== undefined;
  if (failed) batch = new MetricsBatch();
  // Forget series texts this scrape did not see (a failed scrape keeps them for the next try).
  if (!failed) {
    cache.entries.sweep((e) => {
      if (e.gen === gen) return true;
      const series = e instanceof ScrapedSeries ? e : e.series;
      if (series !== undefined) series.texts--;
      return false;
    });
  }
  // Staleness: series of the last scrape's set that are not in this one's. A failed
  // scrape counts as an empty one: everything from the last scrape goes stale.
  const prev = cache.trackedGen;
  const stale = batch;
  cache.series.sweep((s) => {
    const now = !failed && s.appended === gen && s.untracked !== gen;
    if (now) s.tracked = gen;
    else if (prev !== 0 && s.tracked === prev) stale.appendStaleMarker(s.labels, appendTime);
    return s.texts > 0 || now;
  });
  cache.trackedGen = gen;
  if (!failed) cache.batchCapacity = Math.max(256, batch.length + 16);
  return { batch, result: res };
}
