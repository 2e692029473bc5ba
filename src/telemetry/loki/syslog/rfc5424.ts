// RFC 5424 syslog messages, following leodido/go-syslog's rfc5424 machine:
// field limits, structured-data escapes, duplicate SD-IDs and error texts
// ("expecting a version value in the range 1-999 [col 4]"). A UTF-8 BOM at
// the start of MSG stays part of the message, as go-syslog keeps it.

import { format as goFormat, inLocation, parse as goParse } from "../../../gocompat/timefmt.ts";
import { fixedZone } from "../../../gocompat/timezone.ts";
import { SyslogParseError, type SyslogMessage } from "./message.ts";
import { Cursor, readPriority } from "./scan.ts";

const errPrival = "expecting a priority value in the range 1-191 or equal to 0 [col %d]";
const errPri = "expecting a priority value within angle brackets [col %d]";
const errVersion = "expecting a version value in the range 1-999 [col %d]";
const errTimestamp = "expecting a RFC3339MICRO timestamp or a nil value [col %d]";
const errHostname = "expecting an hostname (from 1 to max 255 US-ASCII characters) or a nil value [col %d]";
const errAppname = "expecting an app-name (from 1 to max 48 US-ASCII characters) or a nil value [col %d]";
const errProcid = "expecting a procid (from 1 to max 128 US-ASCII characters) or a nil value [col %d]";
const errMsgid = "expecting a msgid (from 1 to max 32 US-ASCII characters) or a nil value [col %d]";
const errStructuredData = "expecting a structured data section containing one or more elements (`[id( key=\"value\")*]+`) or a nil value [col %d]";
const errSdID = "expecting a structured data element id (from 1 to max 32 US-ASCII characters; except `=`, ` `, `]`, and `\"` [col %d]";
const errSdIDDuplicated = "duplicate structured data element id [col %d]";
const errSdParam = "expecting a structured data parameter (`key=\"value\"`, both part from 1 to max 32 US-ASCII characters; key cannot contain `=`, ` `, `]`, and `\"`, while value cannot contain `]`, backslash, and `\"` unless escaped) [col %d]";
const errParse = "parsing error [col %d]";

const RFC3339MICRO = "2006-01-02T15:04:05.999999Z07:00";
const TIMESTAMP = /\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)/y;

function field(c: Cursor, max: number, err: string): string | undefined {
  if (c.peek() === "-" && (c.pos + 1 >= c.text.length || c.text[c.pos + 1] === " ")) {
    c.pos++;
    return undefined;
  }
  const v = c.take(new RegExp(`[\\x21-\\x7e]{1,${max}}`, "y"));
  if (v === undefined || (!c.done && c.peek() !== " ")) c.fail(err);
  return v;
}

function space(c: Cursor): void {
  if (!c.eat(" ")) c.fail(errParse);
}

const isSdNameChar = (ch: string | undefined) => ch !== undefined && ch >= "\x21" && ch <= "\x7e" && ch !== "=" && ch !== "]" && ch !== '"';

function sdName(c: Cursor, err: string): string {
  const start = c.pos;
  while (isSdNameChar(c.peek()) && c.pos - start < 32) c.pos++;
  if (c.pos === start || isSdNameChar(c.peek())) c.fail(err);
  return c.text.slice(start, c.pos);
}

function structuredData(c: Cursor): Record<string, Record<string, string>> | undefined {
  if (c.eat("-")) return undefined;
  if (c.peek() !== "[") c.fail(errStructuredData);
  const sd: Record<string, Record<string, string>> = Object.create(null);
  while (c.eat("[")) {
    const idAt = c.pos;
    const id = sdName(c, errSdID);
    if (Object.hasOwn(sd, id)) c.fail(errSdIDDuplicated, idAt + id.length);
    const params: Record<string, string> = Object.create(null);
    sd[id] = params;
    while (c.eat(" ")) {
      const name = sdName(c, errSdParam);
      if (!c.eat("=") || !c.eat('"')) c.fail(errSdParam);
      let value = "";
      for (;;) {
        const ch = c.peek();
        if (ch === undefined || ch === "]") c.fail(errSdParam);
        if (ch === '"') {
          c.pos++;
          break;
        }
        if (ch === "\\") {
          const next = c.text[c.pos + 1];
          if (next === '"' || next === "]" || next === "\\") {
            value += next;
            c.pos += 2;
            continue;
          }
        }
        value += ch;
        c.pos++;
      }
      params[name] = value;
    }
    if (!c.eat("]")) c.fail(errSdParam);
  }
  return sd;
}

/** Parses one RFC 5424 message (without framing); throws SyslogParseError. */
export function parseRFC5424(line: string): SyslogMessage {
  const c: Cursor = new Cursor(line);
  const priority = readPriority(c, errPri, errPrival);
  const version = c.take(/[1-9]\d{0,2}/y);
  if (version === undefined || /\d/.test(c.peek() ?? "")) c.fail(errVersion);
  space(c);
  let timestamp: bigint | undefined;
  let timestampOffset: number | undefined;
  if (!c.eat("-")) {
    const start = c.pos;
    const ts = c.take(TIMESTAMP);
    if (ts === undefined) c.fail(errTimestamp);
    try {
      const t = goParse(RFC3339MICRO, ts);
      timestamp = t.unixNs;
      timestampOffset = t.offset;
    } catch (err) {
      throw new SyslogParseError(`${(err as Error).message} [col ${c.col()}]`, c.col(start));
    }
  }
  space(c);
  const hostname = field(c, 255, errHostname);
  space(c);
  const appName = field(c, 48, errAppname);
  space(c);
  const procId = field(c, 128, errProcid);
  space(c);
  const msgId = field(c, 32, errMsgid);
  space(c);
  const sd = structuredData(c);
  let message: string | undefined;
  if (!c.done) {
    space(c);
    message = line.slice(c.pos);
  }
  const msg: SyslogMessage = { format: "rfc5424", priority, facility: priority >> 3, severity: priority & 7, version: Number(version) };
  if (timestamp !== undefined) {
    msg.timestamp = timestamp;
    msg.timestampOffset = timestampOffset ?? 0;
  }
  if (hostname !== undefined) msg.hostname = hostname;
  if (appName !== undefined) msg.appName = appName;
  if (procId !== undefined) msg.procId = procId;
  if (msgId !== undefined) msg.msgId = msgId;
  if (sd !== undefined) msg.structuredData = sd;
  if (message !== undefined) msg.message = message;
  return msg;
}

function escapeParam(v: string): string {
  return v.replace(/[\\\]"]/g, "\\$&");
}

/**
 * go-syslog's SyslogMessage.String(): the message written back as RFC 5424
 * (SD-IDs and param names sorted, values escaped) — what use_rfc5424_message
 * forwards as the log line.
 */
export function formatRFC5424(msg: SyslogMessage): string {
  const ts =
    msg.timestamp === undefined
      ? "-"
      : goFormat(inLocation(msg.timestamp, fixedZone("", msg.timestampOffset ?? 0)), "2006-01-02T15:04:05.999999Z07:00");
  let sd = "-";
  if (msg.structuredData) {
    sd = "";
    for (const id of Object.keys(msg.structuredData).sort()) {
      sd += `[${id}`;
      const params = msg.structuredData[id]!;
      for (const name of Object.keys(params).sort()) sd += ` ${name}="${escapeParam(params[name]!)}"`;
      sd += "]";
    }
  }
  const f = (v: string | undefined) => v ?? "-";
  const m = msg.message === undefined ? "" : " " + msg.message;
  return `<${msg.priority}>${msg.version ?? 1} ${ts} ${f(msg.hostname)} ${f(msg.appName)} ${f(msg.procId)} ${f(msg.msgId)} ${sd}${m}`;
}
