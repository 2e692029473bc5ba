// stage.luhn: replaces digit runs of at least min_length that pass the Luhn
// check (credit card numbers) with `replacement`. `delimiters` may appear
// inside a number; matches inside a `skip_regex` match are left alone.

import { GoRegexp } from "../../../gocompat/regexp.ts";
import * as schema from "../../../syntax/schema/index.ts";
import type { Stage } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { compileStageRegex } from "./regex.ts";

export const LuhnBlock = schema.block({
  replacement: schema.attr(schema.string, { default: "**REDACTED**" }),
  source: schema.attr(schema.string, { optional: true }),
  min_length: schema.attr(schema.int, { default: 13 }),
  delimiters: schema.attr(schema.string, { default: "" }),
  skip_regex: schema.attr(schema.string, { default: "" }),
});

/** Luhn check over a digit string (Go parses it into an int first, so >19 digits never match). */
export function isLuhn(digits: string): boolean {
  if (digits.length > 19 || BigInt(digits) > 9223372036854775807n) return false;
  let sum = 0;
  for (let i = digits.length - 1, pos = 0; i >= 0; i--, pos++) {
    let d = digits.charCodeAt(i) - 48;
    if (pos % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const isDigit = (c: string) => c >= "0" && c <= "9";

/** Replaces Luhn-valid numbers in `input`; a number's trailing delimiter is kept after the replacement. */
export function redactLuhn(input: string, replacement: string, minLength: number, delimiters: string, skip?: GoRegexp): string {
  let out = "";
  let digits = "";
  let start = -1;
  let textEnd = -1;
  let trailing = "";
  let skipRanges: Array<[number, number]> | undefined;
  const skipped = (s: number, e: number) => {
    skipRanges ??= skip ? skipRangesOf(skip, input) : [];
    return skipRanges.some(([a, b]) => a <= s && e <= b);
  };
  const flush = () => {
    if (digits.length > 0) {
      const numberEnd = trailing !== "" ? textEnd - trailing.length : textEnd;
      if (digits.length >= minLength && isLuhn(digits) && !skipped(start, numberEnd)) out += replacement + trailing;
      else out += input.slice(start, textEnd);
    }
    digits = "";
    start = -1;
    textEnd = -1;
    trailing = "";
  };
  let i = 0;
  for (const ch of input) {
    if (isDigit(ch)) {
      if (start === -1) start = i;
      digits += ch;
      textEnd = i + ch.length;
      trailing = "";
    } else if (delimiters !== "" && delimiters.includes(ch) && digits.length > 0) {
      textEnd = i + ch.length;
      trailing = ch;
    } else {
      flush();
      out += ch;
    }
    i += ch.length;
  }
  flush();
  return out;
}

function skipRangesOf(re: GoRegexp, s: string): Array<[number, number]> {
  return re.findAllStringSubmatchIndex(s).map((m) => [m[0]!, m[1]!] as [number, number]);
}

export function newLuhnStage(args: schema.Infer<typeof LuhnBlock>): Stage {
  const replacement = args.replacement === "" ? "**REDACTED**" : args.replacement;
  const minLength = args.min_length < 1 ? 13 : args.min_length;
  if (args.source === "") throw new Error("empty source");
  const skip = args.skip_regex === "" ? undefined : compileStageRegex(args.skip_regex);
  return mutatingStage((e) => {
    let input = e.entry.line;
    if (args.source !== undefined) {
      const v = e.extracted[args.source];
      if (typeof v !== "string") return;
      input = v;
    }
    e.entry.line = redactLuhn(input, replacement, minLength, args.delimiters, skip);
  });
}
