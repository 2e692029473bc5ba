// RFC 3164 (BSD) syslog messages, following leodido/go-syslog's rfc3164
// machine: `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG`, extra spaces
// tolerated, hostname and tag optional, optional Cisco IOS components
// (message counter, sequence number, hostname, second fractions).

import { parse as goParse, parseInLocation, Stamp } from "../../../gocompat/timefmt.ts";
import type { Location } from "../../../gocompat/timezone.ts";
import { addDate } from "../../../gocompat/timefmt.ts";
import { SyslogParseError, type SyslogMessage } from "./message.ts";
import { Cursor, readPriority } from "./scan.ts";

const errPrival = "expecting a priority value in the range 1-191 or equal to 0 [col %d]";
const errPri = "expecting a priority value within angle brackets [col %d]";
const errTimestamp = "expecting a Stamp timestamp [col %d]";
const errRFC3339 = "expecting a Stamp or a RFC3339 timestamp [col %d]";
const errSequence = "expecting a sequence number (from 1 to max 255 digits) [col %d]";
const errParse = "parsing error [col %d]";

export interface RFC3164Options {
  /** Year added to Stamp timestamps (go-syslog WithYear); default 0. */
  year?: number;
  /** Zone Stamp timestamps are read in (go-syslog WithLocaleTimezone); default UTC. */
  location?: Location;
  /** Also accept RFC 3339 timestamps. */
  rfc3339?: boolean;
  /** Cisco IOS components. */
  messageCounter?: boolean;
  sequenceNumber?: boolean;
  ciscoHostname?: boolean;
  secondFractions?: boolean;
}

const STAMP = /(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ( [1-9]|0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d/y;
const RFC3339_TS = /\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)/y;

/** Parses one RFC 3164 message (without framing); throws SyslogParseError. */
export function parseRFC3164(line: string, opts: RFC3164Options = {}): SyslogMessage {
  // A single trailing newline belongs to the transport.
  if (line.endsWith("\n")) line = line.slice(0, -1);
  const c: Cursor = new Cursor(line);
  const priority = readPriority(c, errPri, errPrival);
  const msg: SyslogMessage = { format: "rfc3164", priority, facility: priority >> 3, severity: priority & 7 };
  while (c.eat(" "));
  if (opts.messageCounter) {
    // The counter may be empty (`<189>: Mar 12 ...`) but its colon is always there.
    const n = c.take(/\d*/y) ?? "";
    if (!c.eat(":")) c.fail(errSequence);
    msg.messageCounter = n === "" ? 0 : Number(n);
    while (c.eat(" "));
  }
  if (opts.sequenceNumber) {
    const m = /(\d+): */y;
    m.lastIndex = c.pos;
    const sm = m.exec(line);
    if (sm) {
      msg.sequence = Number(sm[1]);
      c.pos += sm[0].length;
    }
  }
  if (opts.ciscoHostname) {
    const save = c.pos;
    const h = c.take(/[\x21-\x39\x3b-\x7e]{1,255}/y);
    if (h !== undefined && c.eat(":")) {
      msg.hostname = h;
      while (c.eat(" "));
    } else c.pos = save;
  }
  const cisco = opts.messageCounter || opts.sequenceNumber || opts.ciscoHostname;
  // Cisco marks unsynchronised clocks with `*` (or `.`) before the time.
  if (cisco && !c.eat("*")) c.eat(".");
  const tsStart = c.pos;
  let stamp = c.take(STAMP);
  if (stamp !== undefined) {
    if (opts.secondFractions) {
      const frac = c.take(/\.\d{1,9}/y);
      if (frac) stamp += frac;
    }
    try {
      const t = opts.location ? parseInLocation(Stamp, stamp, opts.location) : goParse(Stamp, stamp);
      msg.timestamp = addDate(t, opts.year ?? 0, 0, 0).unixNs;
    } catch (err) {
      throw new SyslogParseError(`${(err as Error).message} [col ${c.col()}]`, c.col(tsStart));
    }
  } else if (opts.rfc3339) {
    const ts = c.take(RFC3339_TS);
    if (ts === undefined) c.fail(errRFC3339);
    msg.timestamp = goParse("2006-01-02T15:04:05Z07:00", ts).unixNs;
  } else {
    c.fail(errTimestamp);
  }
  if (cisco) c.eat(":");
  if (!c.eat(" ")) c.fail(errParse);
  while (c.eat(" "));

  // Optional HOSTNAME: a token without ':' followed by spaces and more text.
  if (msg.hostname === undefined) {
    const m = /([\x21-\x39\x3b-\x7e]{1,255}) +(?=\S)/y;
    m.lastIndex = c.pos;
    const hm = m.exec(line);
    if (hm && hm.index === c.pos) {
      msg.hostname = hm[1]!;
      c.pos += hm[0].length;
    }
  }

  // Optional TAG[PID]: then the message.
  const tag = /([\x21-\x39\x3b-\x5a\x5c-\x7e]{1,48})(?:\[([\x21-\x5a\x5c\x5e-\x7e]*)\])?: /y;
  tag.lastIndex = c.pos;
  const tm = tag.exec(line);
  if (tm && tm.index === c.pos) {
    msg.appName = tm[1]!;
    if (tm[2] !== undefined) msg.procId = tm[2];
    c.pos += tm[0].length;
  }
  const rest = line.slice(c.pos);
  if (rest === "") c.fail(errParse);
  msg.message = rest;
  return msg;
}
