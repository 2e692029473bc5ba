import { describe, expect, test } from "bun:test";
import * as schema from "../../../src/syntax/schema/index.ts";
import { formatDiagnostic } from "../../../src/syntax/diag.ts";
import type { BlockStmt } from "../../../src/syntax/ast.ts";
import { body } from "../helpers.ts";

function check(s: schema.BlockSchema | schema.AttrMapSchema<unknown, unknown>, src: string): string[] {
  const b = body(src)[0] as BlockStmt;
  return schema.typecheckBlock(s, b, "main.alloy").map(formatDiagnostic);
}

const Header = schema.block({
  key: schema.attr(schema.string),
  value: schema.attr(schema.string, { optional: true }),
  action: schema.attr(schema.enumWith(["upsert", "insert"], (v) => `unknown action ${v}`), { default: "upsert" }),
});
const SourceFile = schema.block({
  targets: schema.attr(schema.list(schema.map(schema.string))),
  forward_to: schema.attr(schema.list(schema.capsule("loki.LogsReceiver"))),
  encoding: schema.attr(schema.string, { optional: true }),
  header: schema.blocks(Header),
  tls: schema.block(schema.block({ ca: schema.attr(schema.string, { optional: true }) }), { optional: true }),
  timeout: schema.attr(schema.duration, { default: "1s" }),
});

describe("typecheckBlock (alloy validate's static checks)", () => {
  test("literal type errors use Go's plain wording at the literal (Alloy's invalid_types case)", () => {
    expect(
      check(
        SourceFile,
        `loki.source.file "test" {
	forward_to = "wrong"
	targets = []
	encoding = true
	header {
		key = "test"
		action = "random"
	}
}`,
      ),
    ).toEqual([
      "main.alloy:2:15: expected array, got string",
      "main.alloy:4:13: expected string, got bool",
      "main.alloy:7:12: unknown action random",
    ]);
  });

  test("missing required attributes point at the whole block", () => {
    const d = schema.typecheckBlock(SourceFile, body(`x "y" {\n}`)[0] as BlockStmt, "main.alloy");
    expect(d.map((x) => x.message)).toEqual(['missing required attribute "targets"', 'missing required attribute "forward_to"']);
    expect(d[0]!.start).toEqual({ offset: 0, line: 1, column: 1 });
    expect(d[0]!.end?.line).toBe(2);
  });

  test("structure errors", () => {
    expect(
      check(
        SourceFile,
        `x "y" {
  targets = []
  forward_to = []
  targets = []
  nope = 1
  tls = {}
  encoding { }
  tls { }
  tls { }
  other { }
}`,
      ),
    ).toEqual([
      'main.alloy:4:3: attribute "targets" may only be provided once',
      'main.alloy:5:3: unrecognized attribute name "nope"',
      'main.alloy:6:3: "tls" must be a block, but is used as an attribute',
      'main.alloy:7:3: "encoding" must be an attribute, but is used as a block',
      'main.alloy:8:3: block "tls" may only be specified once',
      'main.alloy:9:3: block "tls" may only be specified once',
      'main.alloy:10:3: unrecognized block name "other"',
    ]);
  });

  test("non-literal expressions are not checked; capsule lists are not looked into", () => {
    expect(check(SourceFile, `x "y" {\n targets = discovery.x.targets\n forward_to = ["a", 1]\n encoding = sys.env("X")\n}`)).toEqual([]);
  });

  test("targets check literal elements but not object literals (Alloy's invalid_types case)", () => {
    const T = schema.block({ targets: schema.attr(schema.targets) });
    expect(check(T, `x {\n\ttargets = [10, {a = true}]\n}`)).toEqual([
      "main.alloy:2:13: target::ConvertFrom: conversion from 'int64' is not supported",
    ]);
  });

  test("list elements, map values and objects", () => {
    expect(check(SourceFile, `x "y" {\n targets = [{a = true}, 1]\n forward_to = []\n timeout = "1x"\n}`)).toEqual([
      "main.alloy:2:18: expected string, got bool",
      "main.alloy:2:25: expected object, got number",
      'main.alloy:4:12: time: unknown unit "x" in duration "1x"',
    ]);
  });

  test("unary and binary expressions of literals", () => {
    const S = schema.block({ a: schema.attr(schema.string, { optional: true }), n: schema.attr(schema.int, { optional: true }) });
    expect(check(S, `x {\n a = -"s"\n n = 1 - "a"\n a = 1 + 2\n}`)).toEqual([
      "main.alloy:2:7: expected number, got string",
      'main.alloy:3:6: should be one of [number] for binop -, got string',
      'main.alloy:4:2: attribute "a" may only be provided once',
    ]);
  });

  test("object attributes report unknown fields", () => {
    const S = schema.block({ o: schema.attr(schema.object({ a: schema.string })) });
    expect(check(S, `x {\n o = {a = 1, b = 2}\n}`)).toEqual(['main.alloy:2:14: unrecognized attribute name "b"']);
  });

  test("attribute-map blocks only refuse labels", () => {
    expect(check(schema.attrMap(schema.any), `x "l" {\n}`)).toEqual(['main.alloy:1:1: block "x" requires empty label']);
  });
});
