import { describe, expect, test } from "bun:test";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { encodeCPUProfile } from "../../../src/service/http/pprof_profile.ts";

interface Decoded {
  strings: string[];
  samples: Array<{ locations: number[]; values: number[] }>;
  locations: Map<number, { functionID: number; line: number }>;
  functions: Map<number, { name: number; file: number }>;
  period: number;
  durationNanos: number;
  sampleTypes: Array<[number, number]>;
}

/** Just enough of a profile.proto reader to check what the encoder wrote. */
function decode(bytes: Uint8Array): Decoded {
  const d: Decoded = { strings: [], samples: [], locations: new Map(), functions: new Map(), period: 0, durationNanos: 0, sampleTypes: [] };
  const r = new BinaryReader(bytes);
  const packed = (sub: BinaryReader): number[] => {
    const out: number[] = [];
    const end = sub.uint32() + sub.pos;
    while (sub.pos < end) out.push(Number(sub.int64()));
    return out;
  };
  while (r.pos < r.len) {
    const [field, wt] = r.tag();
    if (field === 1) {
      const m = new BinaryReader(r.bytes());
      const vt: number[] = [];
      while (m.pos < m.len) {
        m.tag();
        vt.push(Number(m.int64()));
      }
      d.sampleTypes.push([vt[0]!, vt[1]!]);
    } else if (field === 2) {
      const m = new BinaryReader(r.bytes());
      const s = { locations: [] as number[], values: [] as number[] };
      while (m.pos < m.len) {
        const [f] = m.tag();
        if (f === 1) s.locations = packed(m);
        else s.values = packed(m);
      }
      d.samples.push(s);
    } else if (field === 4) {
      const m = new BinaryReader(r.bytes());
      let id = 0;
      const loc = { functionID: 0, line: 0 };
      while (m.pos < m.len) {
        const [f] = m.tag();
        if (f === 1) id = Number(m.uint64());
        else {
          const l = new BinaryReader(m.bytes());
          while (l.pos < l.len) {
            const [lf] = l.tag();
            if (lf === 1) loc.functionID = Number(l.uint64());
            else loc.line = Number(l.int64());
          }
        }
      }
      d.locations.set(id, loc);
    } else if (field === 5) {
      const m = new BinaryReader(r.bytes());
      const fn = { id: 0, name: 0, file: 0 };
      while (m.pos < m.len) {
        const [f] = m.tag();
        const v = Number(m.int64());
        if (f === 1) fn.id = v;
        else if (f === 2) fn.name = v;
        else if (f === 4) fn.file = v;
      }
      d.functions.set(fn.id, fn);
    } else if (field === 6) d.strings.push(r.string());
    else if (field === 10) d.durationNanos = Number(r.int64());
    else if (field === 12) d.period = Number(r.int64());
    else r.skip(wt as WireType);
  }
  return d;
}

describe("pprof CPU profile", () => {
  test("stacks become samples with counts and CPU time, leaf first, with function names and files", () => {
    const leaf = { name: "burn", sourceURL: "/app/work.ts", line: 4294967295 };
    const caller = { name: "", sourceURL: "/app/main.ts", line: 12 };
    const other = { name: "idle", line: 4294967295 };
    const bytes = encodeCPUProfile(
      {
        interval: 0.001,
        traces: [
          { timestamp: 1, frames: [leaf, caller] },
          { timestamp: 2, frames: [leaf, caller] },
          { timestamp: 3, frames: [other] },
        ],
      },
      1_700_000_000_000,
      2500,
    );
    const d = decode(bytes);
    expect(d.strings[0]).toBe("");
    expect(d.sampleTypes.map(([t, u]) => `${d.strings[t]}/${d.strings[u]}`)).toEqual(["samples/count", "cpu/nanoseconds"]);
    expect(d.period).toBe(1_000_000);
    expect(d.durationNanos).toBe(2_500_000_000);
    const stacks = d.samples.map((s) => ({
      frames: s.locations.map((id) => {
        const loc = d.locations.get(id)!;
        const fn = d.functions.get(loc.functionID)!;
        return `${d.strings[fn.name]}@${d.strings[fn.file]}:${loc.line}`;
      }),
      values: s.values,
    }));
    expect(stacks).toEqual([
      { frames: ["burn@/app/work.ts:0", "(anonymous)@/app/main.ts:12"], values: [2, 2_000_000] },
      { frames: ["idle@(native):0"], values: [1, 1_000_000] },
    ]);
  });
});
