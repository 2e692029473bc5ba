import { expect, test } from "bun:test";
import { mutateSampleLabels } from "../../../src/components/prometheus/scrape/append.ts";
import { Labels } from "../../../src/telemetry/prometheus/labels.ts";

const target = Labels.fromStrings("instance", "h:1", "job", "j");

test("target labels are merged in name order into a series that has none of them", () => {
  const got = mutateSampleLabels(Labels.fromStrings("__name__", "m", "a", "1", "zone", "z"), target, false);
  expect(got.flat).toEqual(["__name__", "m", "a", "1", "instance", "h:1", "job", "j", "zone", "z"]);
  expect(mutateSampleLabels(Labels.EMPTY, target, false).flat).toEqual(target.flat);
});

test("an exposed label named like a target label becomes exported_*, or stays with honor_labels", () => {
  const exposed = Labels.fromStrings("__name__", "m", "job", "mine", "exported_instance", "x", "instance", "other");
  expect(mutateSampleLabels(exposed, target, false).toObject()).toEqual({
    __name__: "m",
    exported_exported_instance: "other",
    exported_instance: "x",
    exported_job: "mine",
    instance: "h:1",
    job: "j",
  });
  expect(mutateSampleLabels(exposed, target, true).toObject()).toEqual({ __name__: "m", exported_instance: "x", instance: "other", job: "mine" });
});
