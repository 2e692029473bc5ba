import { expect, test } from "bun:test";
import { groupTargets, parseTargetGroupsJSON, parseTargetGroupsYAML } from "../../../src/components/discovery/target_group.ts";

test("JSON target groups ignore unknown fields; YAML ones refuse them, as Prometheus's file_sd", () => {
  expect(parseTargetGroupsJSON('[{"targets": ["a:1"], "extra": 1}]')).toEqual([{ targets: ["a:1"], labels: {} }]);
  expect(() => parseTargetGroupsYAML("- targets: ['a:1']\n  extra: 1\n")).toThrow("field extra not found in type struct");
});

test("bad target groups are refused with a reason", () => {
  expect(() => parseTargetGroupsJSON("{")).toThrow();
  expect(() => parseTargetGroupsJSON("[null]")).toThrow("nil target group item found");
  expect(() => parseTargetGroupsJSON('[{"targets": [1]}]')).toThrow('"targets" must be a list of strings');
  expect(() => parseTargetGroupsJSON('[{"targets": [], "labels": {"bad-name": "x"}}]')).toThrow('"bad-name" is not a valid label name');
});

test("group labels apply to every target; the address and extra labels win; empty values are dropped", () => {
  const groups = parseTargetGroupsJSON('[{"targets": ["a:1", "b:2"], "labels": {"env": "prod", "__meta_filepath": "spoofed", "empty": ""}}]');
  expect(groupTargets(groups, { __meta_filepath: "/etc/t.json" })).toEqual([
    { __address__: "a:1", env: "prod", __meta_filepath: "/etc/t.json" },
    { __address__: "b:2", env: "prod", __meta_filepath: "/etc/t.json" },
  ]);
});
