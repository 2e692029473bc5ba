// Loki's JSON push body:
//   {"streams":[{"stream":{"job":"a"},"values":[["<unix ns>","line",{"meta":"v"}]]}]}

import { newLabelSet, type LabelPair, type LabelSet, type Stream, type StreamEntry } from "./entry.ts";
import { PushDecodeError } from "./push.ts";

/** Encodes streams as the JSON push body (structured metadata only when present). */
export function encodeJsonPush(streams: readonly Stream[]): string {
  const out = streams.map((s) => ({
    stream: { ...s.labels },
    values: s.entries.map((e) => {
      const v: unknown[] = [e.timestamp.toString(), e.line];
      if (e.structuredMetadata.length > 0) {
        const md: Record<string, string> = {};
        for (const p of e.structuredMetadata) md[p.name] = p.value;
        v.push(md);
      }
      return v;
    }),
  }));
  return JSON.stringify({ streams: out });
}

const NS_INT = /^-?\d{1,19}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringMap(v: unknown, where: string): LabelSet {
  if (!isRecord(v)) throw new PushDecodeError(`${where}: expected an object of string values`);
  const out = newLabelSet();
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== "string") throw new PushDecodeError(`${where}.${k}: expected a string, got ${JSON.stringify(val)}`);
    out[k] = val;
  }
  return out;
}

/** Decodes a JSON push body into streams; errors name the JSON path that was wrong. */
export function decodeJsonPush(body: string | Uint8Array): Stream[] {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new PushDecodeError(`invalid JSON push body: ${(err as Error).message}`);
  }
  if (!isRecord(doc)) throw new PushDecodeError("invalid JSON push body: expected an object with a \"streams\" array");
  const streams = doc.streams ?? [];
  if (!Array.isArray(streams)) throw new PushDecodeError("streams: expected an array");
  return streams.map((s, i): Stream => {
    const where = `streams[${i}]`;
    if (!isRecord(s)) throw new PushDecodeError(`${where}: expected an object`);
    const labels = stringMap(s.stream ?? {}, `${where}.stream`);
    const values = s.values ?? [];
    if (!Array.isArray(values)) throw new PushDecodeError(`${where}.values: expected an array`);
    const entries = values.map((v, j): StreamEntry => {
      const at = `${where}.values[${j}]`;
      if (!Array.isArray(v) || v.length < 2 || v.length > 3) {
        throw new PushDecodeError(`${at}: expected ["<unix epoch in nanoseconds>", "<log line>"] with optional structured metadata object`);
      }
      const [ts, line, md] = v as [unknown, unknown, unknown];
      if (typeof ts !== "string" || !NS_INT.test(ts)) {
        throw new PushDecodeError(`${at}[0]: timestamp must be a string of unix epoch nanoseconds, got ${JSON.stringify(ts)}`);
      }
      if (typeof line !== "string") throw new PushDecodeError(`${at}[1]: log line must be a string, got ${JSON.stringify(line)}`);
      let structuredMetadata: LabelPair[] = [];
      if (md !== undefined && md !== null) {
        const m = stringMap(md, `${at}[2]`);
        structuredMetadata = Object.keys(m).map((name) => ({ name, value: m[name]! }));
      }
      return { timestamp: BigInt(ts), line, structuredMetadata };
    });
    return { labels, entries };
  });
}
