import { describe, expect, test } from "bun:test";
import { attributesToAlloyJSON, valueToAlloyJSON } from "../../src/syntax/alloyjson.ts";
import * as schema from "../../src/syntax/schema/index.ts";
import { Capsule, FunctionValue, Secret } from "../../src/syntax/value.ts";
import { obj } from "./helpers.ts";

describe("valueToAlloyJSON", () => {
  test("scalars", () => {
    expect(valueToAlloyJSON(null)).toEqual({ type: "null", value: null });
    expect(valueToAlloyJSON(5n)).toEqual({ type: "number", value: 5 });
    expect(valueToAlloyJSON(1.5)).toEqual({ type: "number", value: 1.5 });
    expect(valueToAlloyJSON("s")).toEqual({ type: "string", value: "s" });
    expect(valueToAlloyJSON(true)).toEqual({ type: "bool", value: true });
  });
  test("arrays and objects with sorted keys", () => {
    expect(valueToAlloyJSON([1n, obj({ b: "x", a: null })])).toEqual({
      type: "array",
      value: [
        { type: "number", value: 1 },
        {
          type: "object",
          value: [
            { key: "a", value: { type: "null", value: null } },
            { key: "b", value: { type: "string", value: "x" } },
          ],
        },
      ],
    });
  });
  test("functions, secrets and capsules", () => {
    expect(valueToAlloyJSON(new FunctionValue("f", () => null))).toEqual({ type: "function", value: "function" });
    expect(valueToAlloyJSON(new Secret("pw"))).toEqual({ type: "capsule", value: "(secret)" });
    expect(valueToAlloyJSON(new Capsule("storage.Appendable", {}))).toEqual({ type: "capsule", value: 'capsule("storage.Appendable")' });
    class Named {
      toString(): string {
        return "receiver#1";
      }
    }
    expect(valueToAlloyJSON(new Capsule("loki.LogsReceiver", new Named()))).toEqual({ type: "capsule", value: "receiver#1" });
  });
  test("attribute maps become attr statements", () => {
    expect(attributesToAlloyJSON(obj({ a: 1n }))).toEqual([{ name: "a", type: "attr", value: { type: "number", value: 1 } }]);
  });
});

describe("bodyToAlloyJSON", () => {
  const TLS = schema.block({
    ca_file: schema.attr(schema.string, { optional: true }),
    insecure_skip_verify: schema.attr(schema.bool, { default: false }),
  });
  const Rule = schema.block({ name: schema.label(), regex: schema.attr(schema.string, { default: "(.*)" }) });
  const Args = schema.block({
    filename: schema.attr(schema.string),
    poll_frequency: schema.attr(schema.duration, { default: "1m" }),
    password: schema.attr(schema.secret, { optional: true }),
    content: schema.attr(schema.optionalSecret, { optional: true }),
    tls_config: schema.block(TLS, { optional: true }),
    rule: schema.blocks(Rule),
    stages: schema.enumBlocks({ "stage.regex": schema.block({ expression: schema.attr(schema.string) }) }),
  });

  test("optional fields equal to their default are omitted; required ones always shown", () => {
    const body = schema.bodyToAlloyJSON(Args, {
      filename: "",
      poll_frequency: 60000,
      password: undefined,
      content: undefined,
      tls_config: undefined,
      rule: [],
      stages: [],
    });
    expect(body).toEqual([{ name: "filename", type: "attr", value: { type: "string", value: "" } }]);
  });

  test("non-default values, secrets, blocks with labels, enum blocks", () => {
    const body = schema.bodyToAlloyJSON(Args, {
      filename: "f",
      poll_frequency: 90000,
      password: new Secret("pw"),
      content: { value: "text", isSecret: false },
      tls_config: { ca_file: "ca.pem", insecure_skip_verify: false },
      rule: [{ name: "r1", regex: "a" }],
      stages: [{ kind: "stage.regex", value: { expression: "x" } }],
    });
    expect(body).toEqual([
      { name: "filename", type: "attr", value: { type: "string", value: "f" } },
      { name: "poll_frequency", type: "attr", value: { type: "string", value: "1m30s" } },
      { name: "password", type: "attr", value: { type: "capsule", value: "(secret)" } },
      { name: "content", type: "attr", value: { type: "capsule", value: '"text"' } },
      { name: "tls_config", type: "block", body: [{ name: "ca_file", type: "attr", value: { type: "string", value: "ca.pem" } }] },
      { name: "rule", type: "block", label: "r1", body: [{ name: "regex", type: "attr", value: { type: "string", value: "a" } }] },
      { name: "stage.regex", type: "block", body: [{ name: "expression", type: "attr", value: { type: "string", value: "x" } }] },
    ]);
  });

  test("a secret optional secret shows as (secret)", () => {
    const S = schema.block({ content: schema.attr(schema.optionalSecret) });
    expect(schema.bodyToAlloyJSON(S, { content: { value: "x", isSecret: true } })).toEqual([
      { name: "content", type: "attr", value: { type: "capsule", value: "(secret)" } },
    ]);
  });

  test("attribute map schemas render every attribute", () => {
    expect(schema.bodyToAlloyJSON(schema.attrMap(schema.any), { a: "x" })).toEqual([
      { name: "a", type: "attr", value: { type: "string", value: "x" } },
    ]);
  });
});

describe("bodyToAlloyJSON and block defaults", () => {
  const Queue = schema.block({ capacity: schema.attr(schema.int, { default: 10000 }) });
  const S = schema.block({ queue_config: schema.block(Queue, { default: "defaults" }) });
  test("a defaulted block equal to its default is omitted", () => {
    expect(schema.bodyToAlloyJSON(S, { queue_config: { capacity: 10000 } })).toEqual([]);
  });
  test("a changed defaulted block is shown with its changed fields", () => {
    expect(schema.bodyToAlloyJSON(S, { queue_config: { capacity: 5 } })).toEqual([
      { name: "queue_config", type: "block", body: [{ name: "capacity", type: "attr", value: { type: "number", value: 5 } }] },
    ]);
  });
});
