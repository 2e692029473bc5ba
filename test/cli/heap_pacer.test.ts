import { describe, expect, test } from "bun:test";
import { heapSize } from "bun:jsc";
import { HeapPacer, heapPacerSettings, parseByteSize } from "../../src/cli/heap_pacer.ts";

const MiB = 1024 * 1024;

describe("heapPacerSettings", () => {
  test("defaults to GOGC=100 and no limit", () => {
    expect(heapPacerSettings({})).toEqual({ settings: { gcPercent: 100, memoryLimitBytes: null }, problems: [] });
  });

  test("reads GOGC as a percent or off", () => {
    expect(heapPacerSettings({ GOGC: "50" }).settings.gcPercent).toBe(50);
    expect(heapPacerSettings({ GOGC: "0" }).settings.gcPercent).toBe(0);
    expect(heapPacerSettings({ GOGC: "off" }).settings.gcPercent).toBeNull();
    expect(heapPacerSettings({ GOGC: "OFF" }).settings.gcPercent).toBeNull();
  });

  test("reads GOMEMLIMIT with Go's units", () => {
    expect(heapPacerSettings({ GOMEMLIMIT: "512MiB" }).settings.memoryLimitBytes).toBe(512 * MiB);
    expect(heapPacerSettings({ GOMEMLIMIT: "1073741824" }).settings.memoryLimitBytes).toBe(1024 * MiB);
    expect(heapPacerSettings({ GOMEMLIMIT: "off" }).settings.memoryLimitBytes).toBeNull();
  });

  test("names an unusable value and keeps the default", () => {
    const bad = heapPacerSettings({ GOGC: "-5", GOMEMLIMIT: "512MB" });
    expect(bad.settings).toEqual({ gcPercent: 100, memoryLimitBytes: null });
    expect(bad.problems).toHaveLength(2);
    expect(bad.problems[0]).toContain('GOGC="-5"');
    expect(bad.problems[1]).toContain('GOMEMLIMIT="512MB"');
  });
});

describe("parseByteSize", () => {
  test("units and rejects", () => {
    expect(parseByteSize("10B")).toBe(10);
    expect(parseByteSize("3KiB")).toBe(3072);
    expect(parseByteSize("2GiB")).toBe(2 * 1024 * MiB);
    expect(parseByteSize("1TiB")).toBe(1024 * 1024 * MiB);
    expect(parseByteSize("1.5GiB")).toBeUndefined();
    expect(parseByteSize("1 GiB")).toBeUndefined();
    expect(parseByteSize("99999999999999999TiB")).toBeUndefined();
  });
});

describe("HeapPacer", () => {
  function fakeHeap(start: number) {
    const heap = { bytes: start, collected: 0 };
    return {
      heap,
      opts: {
        heapSize: () => heap.bytes,
        collect: () => {
          heap.collected++;
          heap.bytes = Math.round(heap.bytes / 4);
        },
      },
    };
  }

  test("collects once the heap has grown by GOGC percent over what the last collection left", () => {
    const { heap, opts } = fakeHeap(20 * MiB);
    const pacer = new HeapPacer({ settings: { gcPercent: 50, memoryLimitBytes: null }, ...opts });
    expect(pacer.triggerBytes).toBe(30 * MiB);
    heap.bytes = 29 * MiB;
    expect(pacer.check()).toBe(false);
    heap.bytes = 30 * MiB;
    expect(pacer.check()).toBe(true);
    expect(heap.collected).toBe(1);
    // What the collection left (7.5 MiB) is the new base: the trigger is 4 MiB at least.
    expect(pacer.triggerBytes).toBe(Math.max(4 * MiB, Math.round(30 * MiB / 4) * 1.5));
  });

  test("leaves a heap under 4 MiB alone", () => {
    const { heap, opts } = fakeHeap(1 * MiB);
    const pacer = new HeapPacer({ settings: { gcPercent: 0, memoryLimitBytes: null }, ...opts });
    heap.bytes = 3 * MiB;
    expect(pacer.check()).toBe(false);
    heap.bytes = 4 * MiB;
    expect(pacer.check()).toBe(true);
  });

  test("GOMEMLIMIT caps the trigger; with GOGC=off only the limit counts", () => {
    const { heap, opts } = fakeHeap(100 * MiB);
    const limited = new HeapPacer({ settings: { gcPercent: 100, memoryLimitBytes: 120 * MiB }, ...opts });
    expect(limited.triggerBytes).toBe(120 * MiB);
    const onlyLimit = new HeapPacer({ settings: { gcPercent: null, memoryLimitBytes: 64 * MiB }, ...opts });
    heap.bytes = 63 * MiB;
    expect(onlyLimit.check()).toBe(false);
    heap.bytes = 64 * MiB;
    expect(onlyLimit.check()).toBe(true);
    expect(heap.collected).toBe(1);
  });

  test("GOGC=off with no limit never collects and starts no timer", () => {
    const { heap, opts } = fakeHeap(100 * MiB);
    const pacer = new HeapPacer({ settings: { gcPercent: null, memoryLimitBytes: null }, ...opts });
    heap.bytes = 10_000 * MiB;
    expect(pacer.triggerBytes).toBeNull();
    expect(pacer.check()).toBe(false);
    pacer.start();
    pacer.stop();
    expect(heap.collected).toBe(0);
  });

  test("with JSC's heap, dead buffers are collected once they pass the trigger", () => {
    const pacer = new HeapPacer({ settings: { gcPercent: 100, memoryLimitBytes: null } });
    const trigger = pacer.triggerBytes!;
    // Few objects, many bytes: what a pipeline of request bodies allocates. Held until the
    // heap passes the trigger (JSC may collect other garbage meanwhile), then dropped.
    const held: Uint8Array[] = [];
    while (heapSize() < trigger && held.length < (trigger / 65536) * 4 + 1024) held.push(new Uint8Array(65536).fill(1));
    expect(heapSize()).toBeGreaterThanOrEqual(trigger);
    held.length = 0;
    expect(pacer.check()).toBe(true);
    expect(pacer.collections).toBe(1);
    expect(heapSize()).toBeLessThan(trigger);
  });
});

test("one pacer per process: a second one starts only after the first stops", () => {
  const settings = { gcPercent: 100, memoryLimitBytes: null };
  const first = new HeapPacer({ settings });
  const second = new HeapPacer({ settings });
  first.start();
  second.start();
  try {
    expect(first.running).toBe(true);
    expect(second.running).toBe(false);
    first.stop();
    second.start();
    expect(second.running).toBe(true);
  } finally {
    first.stop();
    second.stop();
  }
});
