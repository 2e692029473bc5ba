import { describe, expect, test } from "bun:test";
import { parseComponent } from "../../../../ui/src/alloy-json.ts";
import { buildPipeline, edgeKey, edgeRates, formatRate } from "../../../../ui/src/graph/pipeline.ts";
import { layoutPipeline } from "../../../../ui/src/graph/layout.ts";
import { largePipeline, moduleComponents, MODULE_ID, rootComponents, rootDataEdges } from "../../../fixtures/ui/pipeline.ts";

const root = rootComponents.map(parseComponent);

describe("buildPipeline", () => {
  test("draws one edge per data direction: references reversed, forward_to targets kept", () => {
    const p = buildPipeline(root);
    expect(p.nodes.map((n) => n.id).sort()).toEqual(rootComponents.map((c) => c.localID).sort());
    const edges = p.edges.map((e) => [e.from, e.to]);
    expect(edges.sort()).toEqual([...rootDataEdges].sort());
  });

  test("module components keep local IDs for edges and global IDs for links", () => {
    const p = buildPipeline(moduleComponents.map(parseComponent));
    expect(p.edges).toEqual([{ from: "prometheus.exporter.unix.node", to: "prometheus.scrape.node" }]);
    expect(p.nodes.find((n) => n.id === "prometheus.scrape.node")?.globalID).toBe(`${MODULE_ID}/prometheus.scrape.node`);
  });

  test("ignores references to components outside the module and self references", () => {
    const [a] = root;
    const p = buildPipeline([{ ...a!, referencesTo: ["elsewhere.x", a!.localID], dataFlowEdgesTo: ["gone.y"] }]);
    expect(p.edges).toEqual([]);
  });
});

describe("edgeRates", () => {
  test("sums rates per edge across types and fan-out targets", () => {
    const rates = edgeRates(
      [
        { componentID: "a", targetComponentIDs: ["b", "c"], type: "prometheus_metric", rate: 2 },
        { componentID: "a", targetComponentIDs: ["b"], type: "target", rate: 0.5 },
      ],
      undefined,
    );
    expect(rates.get(edgeKey("a", "b"))).toEqual({ rate: 2.5, types: ["prometheus_metric", "target"] });
    expect(rates.get(edgeKey("a", "c"))?.rate).toBe(2);
  });

  test("matches global IDs of a module's components to their local IDs", () => {
    const rates = edgeRates([{ componentID: "m/a", targetComponentIDs: ["m/b"], type: "loki_log", rate: 1 }], "m");
    expect(rates.get(edgeKey("a", "b"))?.rate).toBe(1);
  });

  test("a rate naming no targets goes on every edge out of its component", () => {
    const edges = [{ from: "a", to: "b" }, { from: "a", to: "c" }, { from: "b", to: "c" }];
    const rates = edgeRates([{ componentID: "a", targetComponentIDs: [], type: "loki_log", rate: 3 }], undefined, edges);
    expect(rates.get(edgeKey("a", "b"))?.rate).toBe(3);
    expect(rates.get(edgeKey("a", "c"))?.rate).toBe(3);
    expect(rates.has(edgeKey("b", "c"))).toBe(false);
  });
});

test("formatRate keeps labels short", () => {
  expect(formatRate(0)).toBe("0/s");
  expect(formatRate(0.2)).toBe("0.2/s");
  expect(formatRate(12.345)).toBe("12.3/s");
  expect(formatRate(123.4)).toBe("123/s");
  expect(formatRate(45_600)).toBe("45.6k/s");
  expect(formatRate(2_500_000)).toBe("2.50M/s");
  expect(formatRate(Number.NaN)).toBe("0/s");
});

test("layoutPipeline places every node and routes every edge", () => {
  const components = largePipeline(100).map(parseComponent);
  const p = buildPipeline(components);
  const l = layoutPipeline(p);
  expect(l.nodes).toHaveLength(100);
  expect(l.edges).toHaveLength(p.edges.length);
  for (const n of l.nodes) {
    expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0);
    expect(n.y + n.height / 2).toBeLessThanOrEqual(l.height);
  }
  for (const e of l.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  // Left to right: data flows toward larger x.
  const x = new Map(l.nodes.map((n) => [n.id, n.x]));
  for (const e of l.edges) expect(x.get(e.to)!).toBeGreaterThan(x.get(e.from)!);
});
