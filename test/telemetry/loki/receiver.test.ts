import { describe, expect, test } from "bun:test";
import { cloneEntry, msToNs, newEntry, nsToMs, type Entry } from "../../../src/telemetry/loki/entry.ts";
import {
  FanOut,
  QueueReceiver,
  isLogsReceiverCapsule,
  logsReceiverCapsule,
  sendToAll,
  type LogsReceiver,
} from "../../../src/telemetry/loki/receiver.ts";

const e = (line: string): Entry => newEntry({ job: "a" }, 1n, line);

describe("entry", () => {
  test("clone does not share labels or metadata", () => {
    const a = newEntry({ a: "1" }, 5n, "x", [{ name: "m", value: "v" }]);
    const b = cloneEntry(a);
    b.labels.a = "2";
    b.structuredMetadata[0]!.value = "w";
    expect(a.labels.a).toBe("1");
    expect(a.structuredMetadata[0]!.value).toBe("v");
  });
  test("ms/ns conversions keep sub-millisecond digits", () => {
    expect(msToNs(1.5)).toBe(1_500_000n);
    expect(nsToMs(1_500_000n)).toBe(1.5);
    expect(msToNs(1700000000123)).toBe(1700000000123000000n);
  });
  test("label set keys like __proto__ are ordinary", () => {
    const x = newEntry({ ["__proto__"]: "p" } as Record<string, string>, 0n, "");
    expect(Object.keys(x.labels)).toEqual(["__proto__"]);
    expect(x.labels["__proto__"]).toBe("p");
  });
});

describe("receivers", () => {
  test("capsule wraps a receiver and is recognised", () => {
    const r: LogsReceiver = { send() {} };
    const c = logsReceiverCapsule(r);
    expect(c.typeName).toBe("loki.LogsReceiver");
    expect(isLogsReceiverCapsule(c)).toBe(true);
    expect(isLogsReceiverCapsule({ send() {} })).toBe(false);
  });

  test("fan-out delivers to every target and waits for slow ones", async () => {
    const got: string[] = [];
    let release!: () => void;
    const slow: LogsReceiver = {
      send: (es) => new Promise<void>((res) => (release = () => (got.push("slow:" + es[0]!.line), res()))),
    };
    const fast: LogsReceiver = { send: (es) => void got.push("fast:" + es[0]!.line) };
    const f = new FanOut([fast, slow]);
    let done = false;
    const p = Promise.resolve(f.send([e("l1")])).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    release();
    await p;
    expect(got).toEqual(["fast:l1", "slow:l1"]);
  });

  test("sendToAll with only synchronous receivers returns no promise", () => {
    expect(sendToAll([{ send() {} }], [e("x")])).toBeUndefined();
  });

  test("a failing receiver rejects after the others took the entries", async () => {
    const got: string[] = [];
    const bad: LogsReceiver = { send: () => Promise.reject(new Error("closed")) };
    const ok: LogsReceiver = { send: async (es) => void got.push(es[0]!.line) };
    await expect(Promise.resolve(sendToAll([bad, ok], [e("z")]))).rejects.toThrow("closed");
    expect(got).toEqual(["z"]);
  });

  test("queue receiver blocks senders when full and releases them as it drains", async () => {
    const q = new QueueReceiver(1);
    expect(q.send([e("1")])).toBeUndefined();
    let second = false;
    const p = Promise.resolve(q.send([e("2")])).then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    expect((await q.receive())![0]!.line).toBe("1");
    await p;
    expect(second).toBe(true);
    expect((await q.receive())![0]!.line).toBe("2");
    q.close();
    expect(await q.receive()).toBeUndefined();
    await expect(Promise.resolve(q.send([e("3")]))).rejects.toThrow("closed");
  });
});

import { groupIntoStreams } from "../../../src/telemetry/loki/entry.ts";

describe("streams", () => {
  test("entries group by label set in arrival order, whatever the key order", () => {
    const a = newEntry({ job: "a", env: "x" }, 1n, "1");
    const b = newEntry({ job: "b" }, 2n, "2");
    const c = newEntry({ env: "x", job: "a" }, 3n, "3");
    const s = groupIntoStreams([a, b, c]);
    expect(s.map((x) => x.entries.map((e) => e.line))).toEqual([["1", "3"], ["2"]]);
  });
});
