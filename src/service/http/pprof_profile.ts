// JavaScriptCore's sampling profile turned into a pprof CPU profile
// (github.com/google/pprof/proto/profile.proto), so `go tool pprof` and
// Pyroscope read /debug/pprof/profile like they read Alloy's.

import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

/** The parts of bun:jsc's SamplingProfileStackTraces this needs. */
export interface JSCStackTraces {
  /** Seconds between samples. */
  interval: number;
  traces: Array<{ timestamp: number; frames: Array<{ name: string; sourceURL?: string; line: number }> }>;
}

const unknownLine = 4294967295;

/** An uncompressed pprof Profile message; Go serves it gzipped (see `gzipSync`). */
export function encodeCPUProfile(st: JSCStackTraces, startedAtMs: number, durationMs: number): Uint8Array<ArrayBuffer> {
  const strings = new Map<string, number>([["", 0]]);
  const str = (s: string): number => {
    let i = strings.get(s);
    if (i === undefined) strings.set(s, (i = strings.size));
    return i;
  };
  const functions = new Map<string, { id: number; name: number; file: number }>();
  const locations = new Map<string, { id: number; functionID: number; line: number }>();
  const samples = new Map<string, { locationIDs: number[]; count: number }>();

  for (const trace of st.traces) {
    const ids: number[] = [];
    for (const f of trace.frames) {
      const name = f.name || "(anonymous)";
      const file = f.sourceURL ?? "(native)";
      const fkey = `${name}\0${file}`;
      let fn = functions.get(fkey);
      if (!fn) functions.set(fkey, (fn = { id: functions.size + 1, name: str(name), file: str(file) }));
      const line = f.line === unknownLine ? 0 : f.line;
      const lkey = `${fn.id}:${line}`;
      let loc = locations.get(lkey);
      if (!loc) locations.set(lkey, (loc = { id: locations.size + 1, functionID: fn.id, line }));
      ids.push(loc.id);
    }
    // Identical stacks become one sample with a count, as Go's profiler writes them.
    const key = ids.join(",");
    const s = samples.get(key);
    if (s) s.count++;
    else samples.set(key, { locationIDs: ids, count: 1 });
  }

  const periodNanos = Math.round(st.interval * 1e9);
  const w = new BinaryWriter();
  const valueType = (field: number, type: string, unit: string): void => {
    w.tag(field, WireType.LengthDelimited).fork().tag(1, WireType.Varint).int64(str(type)).tag(2, WireType.Varint).int64(str(unit)).join();
  };
  valueType(1, "samples", "count");
  valueType(1, "cpu", "nanoseconds");
  for (const s of samples.values()) {
    w.tag(2, WireType.LengthDelimited).fork();
    w.tag(1, WireType.LengthDelimited).fork();
    for (const id of s.locationIDs) w.uint64(id);
    w.join();
    w.tag(2, WireType.LengthDelimited).fork().int64(s.count).int64(s.count * periodNanos).join();
    w.join();
  }
  for (const loc of locations.values()) {
    w.tag(4, WireType.LengthDelimited).fork().tag(1, WireType.Varint).uint64(loc.id);
    w.tag(4, WireType.LengthDelimited).fork().tag(1, WireType.Varint).uint64(loc.functionID).tag(2, WireType.Varint).int64(loc.line).join();
    w.join();
  }
  for (const fn of functions.values()) {
    w.tag(5, WireType.LengthDelimited).fork();
    w.tag(1, WireType.Varint).uint64(fn.id).tag(2, WireType.Varint).int64(fn.name).tag(3, WireType.Varint).int64(fn.name).tag(4, WireType.Varint).int64(fn.file);
    w.join();
  }
  for (const s of strings.keys()) w.tag(6, WireType.LengthDelimited).string(s);
  w.tag(9, WireType.Varint).int64(Math.round(startedAtMs * 1e6));
  w.tag(10, WireType.Varint).int64(Math.round(durationMs * 1e6));
  valueType(11, "cpu", "nanoseconds");
  w.tag(12, WireType.Varint).int64(periodNanos);
  return w.finish();
}
