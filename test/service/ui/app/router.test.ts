import { expect, test } from "bun:test";
import { parseRoute } from "../../../../ui/src/router.ts";

test("parseRoute maps paths relative to the basename to pages", () => {
  expect(parseRoute("")).toEqual({ page: "components" });
  expect(parseRoute("/")).toEqual({ page: "components" });
  expect(parseRoute("component/prometheus.scrape.default")).toEqual({ page: "component", id: "prometheus.scrape.default" });
  expect(parseRoute("graph")).toEqual({ page: "graph" });
  expect(parseRoute("graph/")).toEqual({ page: "graph" });
  expect(parseRoute("clustering")).toEqual({ page: "clustering" });
  expect(parseRoute("debug/loki.process.parse")).toEqual({ page: "debug", id: "loki.process.parse" });
  expect(parseRoute("nowhere/else")).toEqual({ page: "not-found", path: "nowhere/else" });
  expect(parseRoute("debug")).toEqual({ page: "not-found", path: "debug" });
});

test("IDs of module components keep their slashes and are decoded", () => {
  expect(parseRoute("component/module.file.a/module.file.b/loki.write.x")).toEqual({
    page: "component",
    id: "module.file.a/module.file.b/loki.write.x",
  });
  expect(parseRoute("graph/module.file.a")).toEqual({ page: "graph", moduleID: "module.file.a" });
  expect(parseRoute("component/a%20b/c")).toEqual({ page: "component", id: "a b/c" });
  expect(parseRoute("component/bad%zzescape")).toEqual({ page: "component", id: "bad%zzescape" });
});

test("config and scratch have their own pages", () => {
  expect(parseRoute("config")).toEqual({ page: "config" });
  expect(parseRoute("scratch/")).toEqual({ page: "scratch" });
});
