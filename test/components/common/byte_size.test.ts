import { expect, test } from "bun:test";
import { byteSize } from "../../../src/components/common/byte_size.ts";

test("a size attribute takes a number as bytes and a string in Go's units", () => {
  expect(byteSize.decode(5n)).toBe(5);
  expect(byteSize.decode(1536)).toBe(1536);
  expect(byteSize.decode("4MiB")).toBe(4 * 2 ** 20);
  expect(byteSize.decode("512KB")).toBe(512 * 1024);
  expect(() => byteSize.decode("lots")).toThrow("units: invalid lots");
  expect(() => byteSize.decode("10mb")).toThrow("units: unknown unit mb in 10mb");
  expect(byteSize.fromDefault("20MiB")).toBe(20 * 2 ** 20);
  expect(byteSize.fromDefault(0)).toBe(0);
  expect(byteSize.encode(2 ** 30)).toBe("1GiB");
});
