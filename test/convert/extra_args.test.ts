import { expect, test } from "bun:test";
import { parseExtraArgs } from "../../src/convert/extra_args.ts";

test("extra args split key=value flags and keep quotes, as cmd_convert does", () => {
  const cases: [string, string[]][] = [
    ["-enable-features=integrations-next -config.expand-env", ["-enable-features", "integrations-next", "-config.expand-env"]],
    ["--key=value", ["--key", "value"]],
    ["-k=value", ["-k", "value"]],
    ["--boolVariable", ["--boolVariable"]],
    ["--key=value -k=value --boolVariable -b", ["--key", "value", "-k", "value", "--boolVariable", "-b"]],
    ["--key value", ["--key", "value"]],
    ['--key="foo=bar"', ["--key", '"foo=bar"']],
    ["--key=", ["--key"]],
    ["key", ["key"]],
    ["", []],
  ];
  for (const [input, want] of cases) expect(parseExtraArgs(input)).toEqual(want);
});

test("a key=value token without a dash is rejected", () => {
  expect(() => parseExtraArgs("key=value")).toThrow("invalid flag found: key=value");
});
