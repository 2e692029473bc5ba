import { expect, test } from "bun:test";
import { formatBase2Bytes, parseBase2Bytes } from "../../src/gocompat/units.ts";

test("parseBase2Bytes reads sizes as alecthomas/units does", () => {
  expect(parseBase2Bytes("0")).toBe(0);
  expect(parseBase2Bytes("12B")).toBe(12);
  expect(parseBase2Bytes("1KB")).toBe(1024);
  expect(parseBase2Bytes("1KiB")).toBe(1024);
  expect(parseBase2Bytes("20MiB")).toBe(20 * 2 ** 20);
  expect(parseBase2Bytes("1GB512MB")).toBe(2 ** 30 + 512 * 2 ** 20);
  expect(parseBase2Bytes("1.5KiB")).toBe(1536);
  expect(parseBase2Bytes("2EiB")).toBe(2 * 2 ** 60);
});

test("parseBase2Bytes refuses what Go refuses, with Go's messages", () => {
  expect(() => parseBase2Bytes("")).toThrow("units: invalid ");
  expect(() => parseBase2Bytes("MiB")).toThrow("units: invalid MiB");
  expect(() => parseBase2Bytes("10mb")).toThrow("units: unknown unit mb in 10mb");
  expect(() => parseBase2Bytes("1.21GIGAWATTS")).toThrow("units: unknown unit GIGAWATTS in 1.21GIGAWATTS");
  expect(() => parseBase2Bytes(" 1KiB")).toThrow("units: invalid  1KiB");
  expect(() => parseBase2Bytes("512")).toThrow("units: unknown unit  in 512");
});

test("formatBase2Bytes names the largest whole binary unit", () => {
  expect(formatBase2Bytes(0)).toBe("0B");
  expect(formatBase2Bytes(1536)).toBe("1536B");
  expect(formatBase2Bytes(4 * 2 ** 20)).toBe("4MiB");
  expect(formatBase2Bytes(2 ** 40)).toBe("1TiB");
});
