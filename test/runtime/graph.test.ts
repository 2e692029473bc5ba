import { expect, test } from "bun:test";
import { Graph } from "../../src/runtime/graph.ts";
import { UpdateQueue } from "../../src/runtime/update_queue.ts";
import { combineHealth, health, zeroTime } from "../../src/runtime/health.ts";
import { deepEqual } from "../../src/runtime/equality.ts";
import { Capsule, Secret, newObject } from "../../src/syntax/value.ts";

function graph(ids: string[], edges: Array<[string, string]>): Graph<{ id: string }> {
  const g = new Graph<{ id: string }>();
  for (const id of ids) g.add({ id });
  for (const [a, b] of edges) g.addEdge(a, b);
  return g;
}

test("topological order puts dependencies first and keeps insertion order for ties", () => {
  const g = graph(["c", "a", "b", "d"], [["c", "b"], ["b", "a"], ["d", "a"]]);
  expect(g.topoOrder()).toEqual(["a", "b", "d", "c"]);
});

test("strongly connected components find every cycle", () => {
  const g = graph(["1", "2", "3", "4", "5", "6"], [["1", "2"], ["2", "1"], ["3", "4"], ["4", "5"], ["5", "3"], ["6", "6"]]);
  const cycles = g.stronglyConnected().filter((c) => c.length > 1).map((c) => c.sort());
  expect(cycles).toEqual([["1", "2"], ["3", "4", "5"]]);
});

test("a long chain does not overflow the stack", () => {
  const ids = Array.from({ length: 50_000 }, (_, i) => `n${i}`);
  const g = graph(ids, ids.slice(1).map((id, i) => [id, ids[i]!] as [string, string]));
  expect(g.stronglyConnected().length).toBe(50_000);
  expect(g.topoOrder()[0]).toBe("n0");
});

test("update queue de-duplicates and keeps first-insertion order", async () => {
  const q = new UpdateQueue<string>();
  const waiting = q.wait();
  for (let i = 0; i < 1000; i++) q.enqueue(i % 2 ? "b" : "a");
  q.enqueue("c");
  await waiting;
  expect(q.drain()).toEqual(["a", "b", "c"]);
  expect(q.size).toBe(0);
});

test("health combines to the least healthy, most recent on ties", () => {
  const h1 = health("healthy", "ok", "2024-01-01T00:00:00Z");
  const h2 = health("unhealthy", "bad", "2023-01-01T00:00:00Z");
  const h3 = health("exited", "gone", "2022-01-01T00:00:00Z");
  expect(combineHealth(h1, h2).state).toBe("unhealthy");
  expect(combineHealth(h1, h2, h3).state).toBe("exited");
  expect(combineHealth(health("healthy", "old", "2020-01-01T00:00:00Z"), h1).message).toBe("ok");
  expect(combineHealth({ state: "unknown", message: "", updatedTime: zeroTime }, h1).state).toBe("unknown");
});

test("deep equality compares plain values, secrets by content, host objects by identity", () => {
  const o1 = newObject();
  o1.a = [1n, "x", { b: 2.5 }];
  const o2 = newObject();
  o2.a = [1n, "x", { b: 2.5 }];
  expect(deepEqual(o1, o2)).toBe(true);
  expect(deepEqual(o1, { a: [1n, "x", { b: 2.5 }] })).toBe(true);
  expect(deepEqual([1n], [1])).toBe(false);
  expect(deepEqual(new Secret("a"), new Secret("a"))).toBe(true);
  expect(deepEqual(new Secret("a"), new Secret("b"))).toBe(false);
  const r = {};
  expect(deepEqual(new Capsule("t", r), new Capsule("t", r))).toBe(true);
  expect(deepEqual(new Capsule("t", r), new Capsule("t", {}))).toBe(false);
  class Receiver {
    queue: number[] = [];
  }
  const rx = new Receiver();
  expect(deepEqual([rx], [rx])).toBe(true);
  expect(deepEqual([rx], [new Receiver()])).toBe(false);
  class Rule {
    constructor(readonly re: string) {}
    equals(o: unknown): boolean {
      return o instanceof Rule && o.re === this.re;
    }
  }
  expect(deepEqual({ r: new Rule("a") }, { r: new Rule("a") })).toBe(true);
  expect(deepEqual({ r: new Rule("a") }, { r: new Rule("b") })).toBe(false);
});
