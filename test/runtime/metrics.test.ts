import { expect, test } from "bun:test";
import { Counter } from "prom-client";
import { componentRegistry, ControllerMetrics, MetricsHub } from "../../src/runtime/metrics.ts";

test("component metrics carry component_path and component_id and merge by name", async () => {
  const hub = new MetricsHub();
  for (const id of ["a.b.one", "a.b.two"]) {
    const reg = componentRegistry(hub, "/", id);
    new Counter({ name: "my_total", help: "h", registers: [reg] }).inc(id === "a.b.one" ? 1 : 2);
  }
  const text = await hub.metrics();
  expect(text).toContain('my_total{component_path="/",component_id="a.b.one"} 1');
  expect(text).toContain('my_total{component_path="/",component_id="a.b.two"} 2');
  expect(text.match(/# TYPE my_total counter/g)?.length).toBe(1);
});

test("controller metrics use Alloy's names and const labels", async () => {
  const hub = new MetricsHub();
  const m = new ControllerMetrics(hub, "/", "", () => new Map([["healthy", 3]]));
  m.onEvaluationDone("x", 0.01);
  m.setEdges([["a", "b"]]);
  const text = await hub.metrics();
  expect(text).toContain('alloy_component_controller_running_components{health_type="healthy",controller_path="/",controller_id=""} 3');
  expect(text).toContain("alloy_component_evaluation_seconds_bucket");
  expect(text).toContain('alloy_component_graph_connection{from="a",to="b",controller_path="/",controller_id=""} 1');
  m.close();
  expect(await hub.metrics()).not.toContain("alloy_component_graph_connection");
});
