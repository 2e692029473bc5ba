// The pull-parser interface shared by the exposition-format parsers (Prometheus
// text, OpenMetrics text, protobuf), mirroring Prometheus's textparse.Parser so a
// scrape loop can be written the way Prometheus's is: call next() and read the
// current entry's fields. Nothing is allocated for an entry until asked for:
// `seriesText` is a slice of the input that a scrape loop can use as its cache key
// and `labels()` builds the label set only on a cache miss.

import type { Exemplar } from "../exemplar.ts";
import type { NativeHistogram } from "../histogram.ts";
import type { Labels } from "../labels.ts";
import type { MetricType } from "../metadata.ts";

/** What the last next() produced. "eof" ends a well-formed input; "invalid" ends a broken one (see `error`). */
export type Entry = "series" | "histogram" | "help" | "type" | "unit" | "comment" | "eof" | "invalid";

/** A parse error as a value: the 1-based line (or, for protobuf, the message index) and Prometheus's message. */
export class ParseError {
  constructor(
    readonly line: number,
    readonly message: string,
  ) {}

  toString(): string {
    return `line ${this.line}: ${this.message}`;
  }
}

export interface ExpositionParser {
  /** Advances to the next entry. After "invalid" or "eof", keeps returning the same. */
  next(): Entry;
  /** Set once next() returned "invalid". */
  readonly error: ParseError | undefined;

  // For "series" and "histogram" entries:
  /** The series as written (metric name and label block); identical text ⇒ identical labels. */
  readonly seriesText: string;
  /** Float value of a "series" entry (NaN is always the canonical NaN). */
  readonly value: number;
  /** Milliseconds since the epoch, when the entry had a timestamp. */
  readonly timestamp: number | undefined;
  /** The label set, including `__name__`; built on each call, so cache it by seriesText. */
  labels(): Labels;
  /** The exemplars of the current entry; empty when none. */
  exemplars(): Exemplar[];
  /** The created (start) timestamp in milliseconds of the current series, if the format carries one. */
  createdTimestamp(): number | undefined;
  /** The native histogram of a "histogram" entry. */
  histogram(): NativeHistogram | undefined;

  // For "help", "type" and "unit" entries:
  /** The metric family the metadata entry is about. */
  readonly metricFamily: string;
  /** HELP text (unescaped). */
  readonly help: string;
  /** The type of the current family, as last declared by TYPE ("unknown" before any). */
  readonly type: MetricType;
  /** UNIT text. */
  readonly unit: string;
  /** A "comment" entry's text, including the leading `#`. */
  readonly comment: string;
}
