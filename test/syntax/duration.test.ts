import { describe, expect, test } from "bun:test";
import { formatDuration, formatDurationNanos, parseDuration, parseDurationNanos } from "../../src/syntax/duration.ts";

describe("parseDuration follows Go's time.ParseDuration", () => {
  const ok: [string, number][] = [
    ["0", 0],
    ["5s", 5000],
    ["30s", 30000],
    ["1478s", 1478000],
    ["-5s", -5000],
    ["+5s", 5000],
    ["-0", 0],
    ["+0", 0],
    ["5.0s", 5000],
    ["5.6s", 5600],
    ["5.s", 5000],
    [".5s", 500],
    ["1.0s", 1000],
    ["1.00s", 1000],
    ["1.004s", 1004],
    ["1.0040s", 1004],
    ["100.00100s", 100001],
    ["10ns", 0.00001],
    ["11us", 0.011],
    ["12µs", 0.012],
    ["12μs", 0.012],
    ["13ms", 13],
    ["14s", 14000],
    ["15m", 900000],
    ["16h", 57600000],
    ["3h30m", 12600000],
    ["10.5s4m", 250500],
    ["-2m3.4s", -123400],
    ["1h2m3s4ms5us6ns", 3723004.005006],
    ["39h9m14.425s", 140954425],
    ["52763797000ns", 52763.797],
    ["0.3333333333333333333h", 1200000],
    ["1.5h", 5400000],
  ];
  for (const [input, ms] of ok) {
    test(`${JSON.stringify(input)} is ${ms}ms`, () => {
      expect(parseDuration(input)).toBeCloseTo(ms, 6);
    });
  }

  test("keeps nanosecond precision", () => {
    expect(parseDurationNanos("1h2m3s4ms5us6ns")).toBe(3723004005006n);
    expect(parseDurationNanos("9223372036854775807ns")).toBe(9223372036854775807n);
    expect(parseDurationNanos("-9223372036854775808ns")).toBe(-9223372036854775808n);
  });

  const bad: [string, string][] = [
    ["", 'time: invalid duration ""'],
    ["3", 'time: missing unit in duration "3"'],
    ["-", 'time: invalid duration "-"'],
    ["s", 'time: invalid duration "s"'],
    [".", 'time: invalid duration "."'],
    ["-.", 'time: invalid duration "-."'],
    [".s", 'time: invalid duration ".s"'],
    ["+.s", 'time: invalid duration "+.s"'],
    ["1d", 'time: unknown unit "d" in duration "1d"'],
    ["1w", 'time: unknown unit "w" in duration "1w"'],
    ["1.5x", 'time: unknown unit "x" in duration "1.5x"'],
    ["9223372036854775810ns", 'time: invalid duration "9223372036854775810ns"'],
    ["9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'],
    ["3000000h", 'time: invalid duration "3000000h"'],
    ["1h 2m", 'time: unknown unit "h " in duration "1h 2m"'],
  ];
  for (const [input, message] of bad) {
    test(`${JSON.stringify(input)} fails with Go's message`, () => {
      expect(() => parseDuration(input)).toThrow(message);
    });
  }
});

describe("formatDuration prints like Go's Duration.String", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [0.000001, "1ns"],
    [0.0011, "1.1µs"],
    [2.2, "2.2ms"],
    [3300, "3.3s"],
    [90000, "1m30s"],
    [60000, "1m0s"],
    [500, "500ms"],
    [-4.4 * 60000, "-4m24s"],
    [3600000, "1h0m0s"],
    [5400000, "1h30m0s"],
    [(5 * 3600 + 6 * 60 + 7.001) * 1000, "5h6m7.001s"],
    [-1000, "-1s"],
  ];
  for (const [ms, text] of cases) {
    test(`${ms}ms is ${text}`, () => expect(formatDuration(ms)).toBe(text));
  }

  test("extreme values", () => {
    expect(formatDurationNanos(9223372036854775807n)).toBe("2562047h47m16.854775807s");
    expect(formatDurationNanos(-9223372036854775808n)).toBe("-2562047h47m16.854775808s");
  });

  test("round-trips what it prints", () => {
    for (const text of ["1m30s", "1h0m0s", "2.5ms", "7µs", "3ns", "-4m24s"]) {
      expect(formatDuration(parseDuration(text))).toBe(text);
    }
  });
});

describe("properties", () => {
  test("printing then parsing any int64 nanosecond count gives it back", async () => {
    const fc = await import("fast-check");
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (n) => parseDurationNanos(formatDurationNanos(n)) === n),
      { numRuns: 2000 },
    );
  });
});
