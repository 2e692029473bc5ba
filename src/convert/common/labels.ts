// Label naming shared by the converters (Alloy's common.LabelForParts / LabelWithIndex).

import { sanitizeIdentifier } from "../../syntax/scanner.ts";

export function labelForParts(...parts: (string | number | undefined)[]): string {
  return parts.filter((p) => p !== undefined && p !== "").join("_");
}

/** `label` for the first, `label_2` for the second, and so on. */
export function labelWithIndex(index: number, label: string): string {
  return index > 0 ? labelForParts(label, index + 1) : label;
}

export function sanitizeLabel(label: string): string {
  return sanitizeIdentifier(label);
}
