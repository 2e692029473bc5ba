// Conversions stages apply to extracted values (Alloy's getString/getFloat),
// byte sizes (`8KB`), label checks, and the `source` lookup most parsing
// stages share.

import { goParseFloat } from "../../../gocompat/strconv_int.ts";
import { parseBase2Bytes as parseGoBase2Bytes } from "../../../gocompat/units.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { parseDuration } from "../../../syntax/duration.ts";
import { extractedString } from "../../../telemetry/loki/template_funcs.ts";
import type { Logger } from "../../../runtime/logger.ts";
import type { Extracted } from "./pipeline.ts";

/** Strings, numbers and bools as text; undefined for anything else (null, objects). */
export const getString = extractedString;

/** A float from a number, bool, or string (a float, or a Go duration read as seconds). */
export function getFloat(v: unknown): number | undefined {
  switch (typeof v) {
    case "number":
      return v;
    case "bigint":
      return Number(v);
    case "boolean":
      return v ? 1 : 0;
    case "string":
      try {
        return goParseFloat(v);
      } catch {
        try {
          return parseDuration(v) / 1000;
        } catch {
          return undefined;
        }
      }
  }
  return undefined;
}

/** Prometheus label values must be valid UTF-8. */
export function isValidLabelValue(v: string): boolean {
  return v.isWellFormed();
}

/** Any non-empty UTF-8 name (Prometheus' UTF-8 validation, which Alloy's model.LabelName.IsValid uses). */
export function isValidUTF8LabelName(n: string): boolean {
  return n.length > 0 && n.isWellFormed();
}

/** A size attribute of a stage: unset ("") is 0, the attribute's default; otherwise Go's units.Base2Bytes. */
export function parseBase2Bytes(s: string): number {
  return s === "" ? 0 : parseGoBase2Bytes(s);
}

/** UTF-8 length of a string (Go's len). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** The first `n` bytes of s, as Go's s[:n] (a cut inside a character is replaced by U+FFFD). */
export function cutBytes(s: string, n: number): string {
  return Buffer.from(s, "utf8").subarray(0, n).toString("utf8");
}

/**
 * The text a parsing stage reads: the line, or the extracted `source` value as a
 * string. Undefined (with a debug log) when the source is missing or not convertible.
 */
export function stageInput(logger: Logger, extracted: Extracted, line: string, source: string | undefined): string | undefined {
  if (source === undefined) return line;
  if (!(source in extracted)) {
    logger.debug("source does not exist in the set of extracted values", { source });
    return undefined;
  }
  const v = getString(extracted[source]);
  if (v === undefined) logger.debug("failed to convert source value to string", { source });
  return v;
}

/** Sets a stage's `values` map (`name = "source"` or `name = null`/`""` meaning the name itself) in order. */
export function labelSources(values: Readonly<Record<string, unknown>>): Array<[string, string]> {
  return Object.keys(values).map((k) => {
    const v = values[k];
    return [k, typeof v === "string" && v !== "" ? v : k];
  });
}

/** Where a stage reads from (Alloy's SourceType text values). */
export const SourceType = schema.enumWith(["line", "label", "structured_metadata", "extracted"] as const, (got) => `unknown source_type: ${got}`);

/** A `source` that must not be empty when set (Alloy's Source text type). */
export const NonEmptySource = schema.text(
  "string",
  (s) => {
    if (s === "") throw new Error("source cannot be empty");
    return s;
  },
  (s) => s,
  () => "",
);
