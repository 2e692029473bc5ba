// Alloy's log line: `ts=<RFC3339Nano> level=<lvl> msg="..." key=value ...` (logfmt)
// or the same keys as one JSON object per line. Component loggers carry
// `component_path` and `component_id` right after `msg`, as Alloy's do.

import { Secret } from "../syntax/value.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "logfmt" | "json";

const levelRank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Extra key/value pairs on a log line; values are rendered with String() except secrets. */
export type LogFields = Record<string, unknown>;

/** Where finished lines go; the default writes to stderr. */
export type LogSink = (line: string) => void;

/** Settings shared by a root logger and every logger derived from it, so one `logging` block reconfigures them all. */
export class LogSettings {
  level: LogLevel = "info";
  format: LogFormat = "logfmt";
  sinks: LogSink[];

  constructor(sink: LogSink = (line) => process.stderr.write(line)) {
    this.sinks = [sink];
  }
}

export class Logger {
  constructor(
    readonly settings: LogSettings = new LogSettings(),
    private readonly bound: ReadonlyArray<readonly [string, unknown]> = [],
  ) {}

  /** A logger whose lines carry `fields` after `msg` (e.g. component_path, component_id). */
  with(fields: LogFields): Logger {
    return new Logger(this.settings, [...this.bound, ...Object.entries(fields)]);
  }

  enabled(level: LogLevel): boolean {
    return levelRank[level] >= levelRank[this.settings.level];
  }

  debug(msg: string, fields?: LogFields): void {
    this.log("debug", msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log("info", msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log("error", msg, fields);
  }

  log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (!this.enabled(level)) return;
    const pairs: Array<readonly [string, unknown]> = [
      ["ts", nowRFC3339Nano()],
      ["level", level],
      ["msg", msg],
      ...this.bound,
    ];
    if (fields) pairs.push(...Object.entries(fields));
    const line = this.settings.format === "json" ? formatJSON(pairs) : formatLogfmt(pairs);
    for (const sink of this.settings.sinks) sink(line + "\n");
  }
}

/** A logger that drops everything (tests, validation). */
export function discardLogger(): Logger {
  const s = new LogSettings(() => {});
  s.sinks = [];
  return new Logger(s);
}

// Go's RFC3339Nano trims trailing zeros of the fraction; JS only has milliseconds,
// so add the sub-millisecond part from the high-resolution clock.
const originNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
export function nowRFC3339Nano(): string {
  const ns = originNs + process.hrtime.bigint();
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return frac ? `${base}.${frac}Z` : `${base}Z`;
}

function renderValue(v: unknown): string {
  if (v instanceof Secret) return "(secret)";
  if (v instanceof Error) return v.message;
  if (typeof v === "string") return v;
  if (v === undefined) return "";
  if (typeof v === "object" && v !== null) {
    try {
      return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x instanceof Secret ? "(secret)" : x));
    } catch {
      return String(v);
    }
  }
  return String(v);
}

function logfmtQuote(s: string): string {
  if (s === "") return '""';
  if (!/[\s"=\\]/.test(s) && !/[\u0000-\u001f\u007f]/.test(s)) return s;
  return JSON.stringify(s);
}

function formatLogfmt(pairs: ReadonlyArray<readonly [string, unknown]>): string {
  return pairs.map(([k, v]) => `${safeKey(k)}=${logfmtQuote(renderValue(v))}`).join(" ");
}

function formatJSON(pairs: ReadonlyArray<readonly [string, unknown]>): string {
  const o: Record<string, string | number | boolean> = {};
  // Numbers and booleans stay JSON numbers and booleans, as slog's JSON handler writes them.
  for (const [k, v] of pairs) o[safeKey(k)] = (typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean" ? v : renderValue(v);
  return JSON.stringify(o);
}

function safeKey(k: string): string {
  return k.trim().replace(/[\s="]/g, "_");
}
