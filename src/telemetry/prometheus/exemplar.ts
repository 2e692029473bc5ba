// An exemplar: a sample of a traced request attached to a series (OpenMetrics `# {...} v ts`).

import type { Labels } from "./labels.ts";

export interface Exemplar {
  labels: Labels;
  value: number;
  /** Milliseconds since the epoch; meaningful only when hasTimestamp. */
  timestamp: number;
  hasTimestamp: boolean;
}

/** OpenMetrics caps the combined length of exemplar label names and values at 128 UTF-8 characters. */
export const EXEMPLAR_MAX_LABEL_SET_LENGTH = 128;

/** Exemplar label sets must stay within OpenMetrics' 128-character budget; returns an error message or undefined. */
export function checkExemplarLabelLength(labels: Labels): string | undefined {
  let n = 0;
  labels.forEach((name, value) => (n += [...name].length + [...value].length));
  return n > EXEMPLAR_MAX_LABEL_SET_LENGTH ? `exemplar label set is ${n} characters long, more than the ${EXEMPLAR_MAX_LABEL_SET_LENGTH} OpenMetrics allows` : undefined;
}
