import { expect, test } from "bun:test";
import { parseBody, parseComponent, parseGraphFrame, parsePeer, parseValue } from "../../../../ui/src/alloy-json.ts";
import { rootComponents } from "../../../fixtures/ui/pipeline.ts";

test("parseComponent keeps every field of an Alloy component", () => {
  const fixture = rootComponents.find((c) => c.localID === "prometheus.remote_write.default")!;
  const c = parseComponent(JSON.parse(JSON.stringify(fixture)));
  expect(c).toEqual({ ...fixture, label: "default" } as unknown as typeof c);
});

test("parseComponent fills missing or wrongly typed fields instead of failing", () => {
  const c = parseComponent({ name: 3, health: { state: "on fire" }, referencesTo: ["a", 1], arguments: "x" });
  expect(c.name).toBe("");
  expect(c.health.state).toBe("unknown");
  expect(c.referencesTo).toEqual(["a"]);
  expect(c.arguments).toEqual([]);
  expect(c.createdModuleIDs).toBeUndefined();
  expect(parseComponent(null).localID).toBe("");
});

test("typed values: secrets stay capsules, unknown types become null", () => {
  expect(parseValue({ type: "capsule", value: "(secret)" })).toEqual({ type: "capsule", value: "(secret)" });
  expect(parseValue({ type: "object", value: [{ key: "k", value: { type: "number", value: 1 } }] })).toEqual({
    type: "object",
    value: [{ key: "k", value: { type: "number", value: 1 } }],
  });
  expect(parseValue({ type: "mystery" })).toEqual({ type: "null" });
  expect(parseBody([{ type: "block", name: "rule", label: "", body: [{ type: "attr", name: "x" }] }])).toEqual([
    { type: "block", name: "rule", body: [{ type: "attr", name: "x", value: { type: "null" } }] },
  ]);
});

test("peers and graph frames are narrowed from untrusted JSON", () => {
  expect(parsePeer({ name: "n", addr: "a:1", isSelf: true, state: "participant" })).toEqual({
    name: "n",
    addr: "a:1",
    isSelf: true,
    state: "participant",
  });
  expect(parseGraphFrame([{ componentID: "a", targetComponentIDs: ["b"], type: "t", rate: "2" }, 5])).toEqual([
    { componentID: "a", targetComponentIDs: ["b"], type: "t", rate: 2 },
  ]);
  expect(parseGraphFrame({})).toEqual([]);
});
