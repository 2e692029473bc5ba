// A stand-in for Loki's push endpoint in tests: records every push request and
// decodes it with a decoder written here from Loki's published push.proto and
// the snappy block format, independent of the project's codecs.
//
//   message PushRequest { repeated StreamAdapter streams = 1; }
//   message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
//   message EntryAdapter { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }
//   message Timestamp { int64 seconds = 1; int32 nanos = 2; }
//   message LabelPairAdapter { string name = 1; string value = 2; }

export interface SinkEntry {
  ts: bigint;
  line: string;
  metadata: Array<[string, string]>;
}
export interface SinkStream {
  labels: string;
  entries: SinkEntry[];
}
export interface SinkRequest {
  tenant: string | null;
  contentType: string | null;
  headers: Headers;
  streams: SinkStream[];
}

/** Snappy block format: varint length, then literal / copy elements. */
export function snappyDecode(src: Uint8Array): Uint8Array {
  let p = 0;
  let len = 0;
  for (let shift = 0; ; shift += 7) {
    const b = src[p++]!;
    len += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(len);
  let o = 0;
  while (p < src.length) {
    const tag = src[p++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >> 2;
      if (n >= 60) {
        const bytes = n - 59;
        n = 0;
        for (let i = 0; i < bytes; i++) n += src[p++]! * 2 ** (8 * i);
      }
      n += 1;
      out.set(src.subarray(p, p + n), o);
      p += n;
      o += n;
      continue;
    }
    let length: number;
    let offset: number;
    if (kind === 1) {
      length = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | src[p++]!;
    } else if (kind === 2) {
      length = (tag >> 2) + 1;
      offset = src[p]! | (src[p + 1]! << 8);
      p += 2;
    } else {
      length = (tag >> 2) + 1;
      offset = (src[p]! | (src[p + 1]! << 8) | (src[p + 2]! << 16)) + src[p + 3]! * 2 ** 24;
      p += 4;
    }
    if (offset === 0 || offset > o) throw new Error("snappy: bad copy offset");
    for (let i = 0; i < length; i++, o++) out[o] = out[o - offset]!;
  }
  if (o !== len) throw new Error(`snappy: decoded ${o} bytes, header said ${len}`);
  return out;
}

class Wire {
  p = 0;
  constructor(readonly b: Uint8Array) {}
  get done(): boolean {
    return this.p >= this.b.length;
  }
  varint(): bigint {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const x = this.b[this.p++]!;
      v |= BigInt(x & 0x7f) << shift;
      if (x < 0x80) return v;
    }
  }
  bytes(): Uint8Array {
    const n = Number(this.varint());
    const out = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return out;
  }
  skip(wt: number): void {
    if (wt === 0) this.varint();
    else if (wt === 2) this.bytes();
    else if (wt === 1) this.p += 8;
    else if (wt === 5) this.p += 4;
    else throw new Error(`unexpected wire type ${wt}`);
  }
}

const utf8 = new TextDecoder();

function fields(b: Uint8Array, each: (field: number, wt: number, w: Wire) => void): void {
  const w = new Wire(b);
  while (!w.done) {
    const tag = Number(w.varint());
    each(tag >> 3, tag & 7, w);
  }
}

export function decodePush(body: Uint8Array): SinkStream[] {
  const streams: SinkStream[] = [];
  fields(body, (f, wt, w) => {
    if (f !== 1) return w.skip(wt);
    const s: SinkStream = { labels: "", entries: [] };
    fields(w.bytes(), (sf, swt, sw) => {
      if (sf === 1) s.labels = utf8.decode(sw.bytes());
      else if (sf === 2) {
        const e: SinkEntry = { ts: 0n, line: "", metadata: [] };
        fields(sw.bytes(), (ef, ewt, ew) => {
          if (ef === 1) {
            let sec = 0n;
            let nanos = 0n;
            fields(ew.bytes(), (tf, twt, tw) => {
              if (tf === 1) sec = BigInt.asIntN(64, tw.varint());
              else if (tf === 2) nanos = tw.varint();
              else tw.skip(twt);
            });
            e.ts = sec * 1_000_000_000n + nanos;
          } else if (ef === 2) e.line = utf8.decode(ew.bytes());
          else if (ef === 3) {
            let name = "";
            let value = "";
            fields(ew.bytes(), (lf, lwt, lw) => {
              if (lf === 1) name = utf8.decode(lw.bytes());
              else if (lf === 2) value = utf8.decode(lw.bytes());
              else lw.skip(lwt);
            });
            e.metadata.push([name, value]);
          } else ew.skip(ewt);
        });
        s.entries.push(e);
      } else sw.skip(swt);
    });
    streams.push(s);
  });
  return streams;
}

/** Parses `{a="b", c="d"}` (Go-quoted values) into a map. */
export function parseLabelText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const m of text.matchAll(re)) out[m[1]!] = JSON.parse(`"${m[2]!}"`) as string;
  return out;
}

/**
 * A push endpoint on 127.0.0.1. `respond` decides each answer (status code),
 * so tests can simulate outages; only requests answered 2xx count as delivered.
 */
export class PushSink {
  readonly requests: SinkRequest[] = [];
  readonly delivered: SinkRequest[] = [];
  attempts = 0;
  respond: (n: number) => number = () => 204;
  private readonly server: ReturnType<typeof Bun.serve>;

  constructor() {
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (req) => {
        const body = new Uint8Array(await req.arrayBuffer());
        const n = this.attempts++;
        const status = this.respond(n);
        const r: SinkRequest = {
          tenant: req.headers.get("x-scope-orgid"),
          contentType: req.headers.get("content-type"),
          headers: req.headers,
          streams: decodePush(snappyDecode(body)),
        };
        this.requests.push(r);
        if (status >= 200 && status < 300) this.delivered.push(r);
        return new Response(status === 204 ? null : `status ${status}\n`, { status });
      },
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.server.port}/loki/api/v1/push`;
  }

  /** Delivered lines in arrival order, with their stream labels. */
  lines(): Array<{ labels: Record<string, string>; line: string; ts: bigint }> {
    const out: Array<{ labels: Record<string, string>; line: string; ts: bigint }> = [];
    for (const r of this.delivered) for (const s of r.streams) {
      const labels = parseLabelText(s.labels);
      for (const e of s.entries) out.push({ labels, line: e.line, ts: e.ts });
    }
    return out;
  }

  stop(): void {
    void this.server.stop(true);
  }
}
