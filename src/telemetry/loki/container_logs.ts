// Container runtime log lines as loki.process reads them: Docker's json-file
// lines (stage.docker) and CRI lines `<time> <stdout|stderr> <F|P> <content>`
// with partial-line reassembly (stage.cri).

import { parse as goParse, RFC3339Nano } from "../../gocompat/timefmt.ts";
import type { TimestampNs } from "./entry.ts";

export interface DockerLogLine {
  log: string;
  stream: string;
  time: string;
  /** `time` parsed as RFC 3339 with nanoseconds; undefined when it does not parse (the entry keeps its time). */
  timestamp?: TimestampNs;
}

/** Go's json.Unmarshal into {log, stream, time} strings: keys match case-insensitively, null leaves "". */
export function parseDockerLine(line: string): DockerLogLine | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return undefined;
  const out: DockerLogLine = { log: "", stream: "", time: "" };
  const fields = ["log", "stream", "time"] as const;
  for (const [k, v] of Object.entries(doc)) {
    // An exact-case key wins over a case-insensitive one, as in encoding/json.
    const f = fields.find((x) => x === k) ?? fields.find((x) => x === k.toLowerCase());
    if (!f || v === null) continue;
    if (typeof v !== "string") return undefined;
    out[f] = v;
  }
  const ts = parseRFC3339Nano(out.time);
  if (ts !== undefined) out.timestamp = ts;
  return out;
}

function parseRFC3339Nano(s: string): TimestampNs | undefined {
  try {
    return goParse(RFC3339Nano, s).unixNs;
  } catch {
    return undefined;
  }
}

export type CriStream = "stdout" | "stderr";

export interface CriLogLine {
  /** The first token, unvalidated. */
  time: string;
  stream: CriStream;
  partial: boolean;
  content: string;
  timestamp?: TimestampNs;
}

/**
 * Parses a CRI line leniently, as Alloy's stage does: repeated spaces are
 * fine, the flag may be missing (full), content may be empty; undefined when
 * the stream is neither stdout nor stderr.
 */
export function parseCriLine(line: string): CriLogLine | undefined {
  const ws = line.search(/\s/);
  let time = "";
  let rest = line;
  if (ws >= 0) {
    time = line.slice(0, ws);
    rest = skipSpaces(line.slice(ws));
  }
  let stream: CriStream;
  if (rest.startsWith("stdout")) stream = "stdout";
  else if (rest.startsWith("stderr")) stream = "stderr";
  else return undefined;
  rest = skipSpaces(rest.slice(6));
  let partial = false;
  if (rest[0] === "P") {
    partial = true;
    rest = rest.slice(1);
  } else if (rest[0] === "F") rest = rest.slice(1);
  rest = skipSpaces(rest);
  const out: CriLogLine = { time, stream, partial, content: rest };
  const ts = parseRFC3339Nano(time);
  if (ts !== undefined) out.timestamp = ts;
  return out;
}

function skipSpaces(s: string): string {
  let i = 0;
  while (s[i] === " ") i++;
  return s.slice(i);
}

export interface CriAssemblerOptions {
  /** max_partial_lines: partial streams held at once before all are flushed (default 100). */
  maxPartialLines?: number;
  /** max_partial_line_size in bytes; applies only with truncate. */
  maxPartialLineSize?: number;
  /** max_partial_line_size_truncate. */
  truncate?: boolean;
}

interface Held<T> {
  item: T;
  line: string;
}

/**
 * Joins CRI partial lines per stream (`key`, the entry's label set) the way
 * stage.cri does: `P` lines are held and concatenated, the next `F` line of
 * the same stream completes them; when more than maxPartialLines streams are
 * held, all held lines are flushed as they are. `item` travels with the line
 * (the entry), the held item of a joined line is the latest one.
 */
export class CriPartialAssembler<T> {
  private held = new Map<string, Held<T>>();
  private readonly maxLines: number;
  private readonly maxSize: number;
  private readonly truncate: boolean;
  truncatedLines = 0;
  flushedPartialLines = 0;

  constructor(opts: CriAssemblerOptions = {}) {
    this.maxLines = opts.maxPartialLines ?? 100;
    this.maxSize = opts.maxPartialLineSize ?? 0;
    this.truncate = opts.truncate ?? false;
  }

  /** Returns the lines to emit now (flushed partials first, then this line if complete). */
  add(key: string, partial: boolean, line: string, item: T): Array<{ item: T; line: string }> {
    if (partial) {
      if (this.held.size >= this.maxLines) {
        const flushed = [...this.held.values()].map((h) => ({ item: h.item, line: h.line }));
        this.flushedPartialLines += flushed.length;
        this.held = new Map([[key, { item, line: this.cut(line) }]]);
        return flushed;
      }
      const prev = this.held.get(key);
      this.held.set(key, { item, line: this.cut(prev ? prev.line + line : line) });
      return [];
    }
    const prev = this.held.get(key);
    if (!prev) return [{ item, line }];
    this.held.delete(key);
    return [{ item, line: this.cut(prev.line + line) }];
  }

  /** Everything still held (on stop). */
  drain(): Array<{ item: T; line: string }> {
    const out = [...this.held.values()].map((h) => ({ item: h.item, line: h.line }));
    this.held.clear();
    return out;
  }

  get heldCount(): number {
    return this.held.size;
  }

  private cut(line: string): string {
    if (!this.truncate) return line;
    const bytes = new TextEncoder().encode(line);
    if (bytes.length <= this.maxSize) return line;
    this.truncatedLines++;
    return new TextDecoder().decode(bytes.subarray(0, this.maxSize));
  }
}
