// Go time layout tokens (the reference time Mon Jan 2 15:04:05 MST 2006),
// split exactly as Go's nextStdChunk splits a layout.

// Layout tokens.
export enum Std {
  None, LongMonth, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay,
  UnderYearDay, ZeroYearDay, Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond,
  LongYear, Year, PM, pm, TZ,
  ISO8601TZ, ISO8601SecondsTZ, ISO8601ShortTZ, ISO8601ColonTZ, ISO8601ColonSecondsTZ,
  NumTZ, NumSecondsTz, NumShortTZ, NumColonTZ, NumColonSecondsTZ,
  FracSecond0, FracSecond9,
}

export interface Chunk {
  prefix: string;
  std: Std;
  /** For fractional seconds: digit count and separator. */
  digits: number;
  sep: string;
  suffix: string;
  /** The layout text of the token, for error messages. */
  text: string;
}

const ZERO_X: Std[] = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];
const isDigitAt = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
const startsLower = (s: string) => s.length > 0 && s[0]! >= "a" && s[0]! <= "z";

function chunk(layout: string, i: number, std: Std, len: number, digits = 0, sep = ""): Chunk {
  return { prefix: layout.slice(0, i), std, digits, sep, suffix: layout.slice(i + len), text: layout.slice(i, i + len) };
}

const TZ_TOKENS: [string, Std][] = [
  ["-070000", Std.NumSecondsTz], ["-07:00:00", Std.NumColonSecondsTZ], ["-0700", Std.NumTZ], ["-07:00", Std.NumColonTZ], ["-07", Std.NumShortTZ],
  ["Z070000", Std.ISO8601SecondsTZ], ["Z07:00:00", Std.ISO8601ColonSecondsTZ], ["Z0700", Std.ISO8601TZ], ["Z07:00", Std.ISO8601ColonTZ], ["Z07", Std.ISO8601ShortTZ],
];

/** Finds the next layout token, as Go's nextStdChunk does. */
export function nextChunk(layout: string): Chunk {
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    const at = (s: string) => layout.startsWith(s, i);
    switch (c) {
      case "J":
        if (at("Jan")) {
          if (at("January")) return chunk(layout, i, Std.LongMonth, 7);
          if (!startsLower(layout.slice(i + 3))) return chunk(layout, i, Std.Month, 3);
        }
        break;
      case "M":
        if (at("Mon")) {
          if (at("Monday")) return chunk(layout, i, Std.LongWeekDay, 6);
          if (!startsLower(layout.slice(i + 3))) return chunk(layout, i, Std.WeekDay, 3);
        }
        if (at("MST")) return chunk(layout, i, Std.TZ, 3);
        break;
      case "0": {
        const n = layout[i + 1];
        if (n !== undefined && n >= "1" && n <= "6") return chunk(layout, i, ZERO_X[n.charCodeAt(0) - 49]!, 2);
        if (at("002")) return chunk(layout, i, Std.ZeroYearDay, 3);
        break;
      }
      case "1":
        if (layout[i + 1] === "5") return chunk(layout, i, Std.Hour, 2);
        return chunk(layout, i, Std.NumMonth, 1);
      case "2":
        if (at("2006")) return chunk(layout, i, Std.LongYear, 4);
        return chunk(layout, i, Std.Day, 1);
      case "_":
        if (layout[i + 1] === "2") {
          if (layout.startsWith("2006", i + 1)) return chunk(layout, i + 1, Std.LongYear, 4);
          return chunk(layout, i, Std.UnderDay, 2);
        }
        if (at("__2")) return chunk(layout, i, Std.UnderYearDay, 3);
        break;
      case "3":
        return chunk(layout, i, Std.Hour12, 1);
      case "4":
        return chunk(layout, i, Std.Minute, 1);
      case "5":
        return chunk(layout, i, Std.Second, 1);
      case "P":
        if (layout[i + 1] === "M") return chunk(layout, i, Std.PM, 2);
        break;
      case "p":
        if (layout[i + 1] === "m") return chunk(layout, i, Std.pm, 2);
        break;
      case "-":
      case "Z":
        for (const [tok, std] of TZ_TOKENS) if (at(tok)) return chunk(layout, i, std, tok.length);
        break;
      case ".":
      case ",": {
        const d = layout[i + 1];
        if (d === "0" || d === "9") {
          let j = i + 1;
          while (j < layout.length && layout[j] === d) j++;
          if (!isDigitAt(layout, j)) {
            return chunk(layout, i, d === "0" ? Std.FracSecond0 : Std.FracSecond9, j - i, j - (i + 1), c);
          }
        }
        break;
      }
    }
  }
  return { prefix: layout, std: Std.None, digits: 0, sep: "", suffix: "", text: "" };
}

export const LONG_DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const LONG_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
export const SHORT_DAY_NAMES = LONG_DAY_NAMES.map((d) => d.slice(0, 3));
export const SHORT_MONTH_NAMES = LONG_MONTH_NAMES.map((m) => m.slice(0, 3));


const chunkCache = new Map<string, Chunk[]>();

/** The layout split into chunks, ending with a Std.None chunk holding any trailing text; cached per layout. */
export function layoutChunks(layout: string): readonly Chunk[] {
  let chunks = chunkCache.get(layout);
  if (chunks) return chunks;
  chunks = [];
  let rest = layout;
  for (;;) {
    const c = nextChunk(rest);
    chunks.push(c);
    if (c.std === Std.None) break;
    rest = c.suffix;
  }
  if (chunkCache.size > 512) chunkCache.clear();
  chunkCache.set(layout, chunks);
  return chunks;
}
