import { describe, expect, test } from "bun:test";
import { date } from "../../../../src/gocompat/timefmt.ts";
import { UTC, loadLocation } from "../../../../src/gocompat/timezone.ts";
import { SyslogFrameReader } from "../../../../src/telemetry/loki/syslog/framing.ts";
import { syslogConnectionLabels, syslogMessageLabels, syslogRawLabels } from "../../../../src/telemetry/loki/syslog/labels.ts";
import { parseRFC3164 } from "../../../../src/telemetry/loki/syslog/rfc3164.ts";
import { parseRFC5424 } from "../../../../src/telemetry/loki/syslog/rfc5424.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number, ns = 0) => date(y, mo, d, h, mi, s, ns, UTC).unixNs;

describe("RFC 5424", () => {
  test("the go-syslog README message", () => {
    const m = parseRFC5424('<165>4 2018-10-11T22:14:15.003Z mymach.it e - 1 [ex@32473 iut="3"] An application event log entry...');
    expect(m).toEqual({
      format: "rfc5424",
      priority: 165,
      facility: 20,
      severity: 5,
      version: 4,
      timestamp: utc(2018, 10, 11, 22, 14, 15, 3_000_000),
      timestampOffset: 0,
      hostname: "mymach.it",
      appName: "e",
      msgId: "1",
      structuredData: { "ex@32473": { iut: "3" } },
      message: "An application event log entry...",
    });
  });

  test("RFC examples: BOM kept in MSG, offsets, several SD elements, no MSG", () => {
    const a = parseRFC5424("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \ufeff'su root' failed for lonvick on /dev/pts/8");
    expect(a.message).toBe("\ufeff'su root' failed for lonvick on /dev/pts/8");
    expect(a.procId).toBeUndefined();
    expect(a.structuredData).toBeUndefined();
    const b = parseRFC5424("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.");
    expect(b.timestamp).toBe(utc(2003, 8, 24, 12, 14, 15, 3000));
    expect(b.procId).toBe("8710");
    const c = parseRFC5424('<165>1 2003-10-11T22:14:15.003Z host evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"][examplePriority@32473 class="high"]');
    expect(c.structuredData).toEqual({ "exampleSDID@32473": { iut: "3", eventSource: "Application" }, "examplePriority@32473": { class: "high" } });
    expect(c.message).toBeUndefined();
    const d = parseRFC5424('<1>1 - - - - - [id p="a\\"b\\]c\\\\d\\x"]');
    expect(d.structuredData).toEqual({ id: { p: 'a"b]c\\d\\x' } });
    expect(d.timestamp).toBeUndefined();
  });

  const bad: [string, string][] = [
    ["165>1 - - - - - -", "expecting a priority value within angle brackets [col 0]"],
    ["<192>1 - - - - - -", "expecting a priority value in the range 1-191 or equal to 0 [col 3]"],
    ["<01>1 - - - - - -", "expecting a priority value in the range 1-191 or equal to 0 [col 2]"],
    ["<>1 - - - - - -", "expecting a priority value in the range 1-191 or equal to 0 [col 1]"],
    ["<1>0 - - - - - -", "expecting a version value in the range 1-999 [col 3]"],
    ["<1>1 2018-13-11T22:14:15Z - - - - -", "expecting a RFC3339MICRO timestamp or a nil value [col 5]"],
    ["<1>1 2018-02-30T22:14:15Z - - - - -", 'parsing time "2018-02-30T22:14:15Z": day out of range'],
    ['<1>1 - - - - - [a x="1"][a y="2"]', "duplicate structured data element id [col 26]"],
    ['<1>1 - - - - - [a x=1]', "expecting a structured data parameter"],
    ["<1>1 - - - - - x", "expecting a structured data section containing one or more elements"],
    ["<1>1 - - - - 123456789012345678901234567890123 -", "expecting a msgid (from 1 to max 32 US-ASCII characters) or a nil value"],
    ["<1>1 - - - - -", "parsing error"],
  ];
  for (const [line, msg] of bad) test(`rejects ${JSON.stringify(line)}`, () => expect(() => parseRFC5424(line)).toThrow(msg));
});

describe("RFC 3164", () => {
  test("hostname, tag and message", () => {
    const m = parseRFC3164("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8");
    expect(m).toEqual({
      format: "rfc3164",
      priority: 34,
      facility: 4,
      severity: 2,
      timestamp: utc(0, 10, 11, 22, 14, 15),
      hostname: "mymachine",
      appName: "su",
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });
  test("PID, padded day, no tag, year and zone options", () => {
    const a = parseRFC3164("<189>Apr  1 10:02:08 host1 sshd[123]: Accepted key");
    expect([a.hostname, a.appName, a.procId, a.message]).toEqual(["host1", "sshd", "123", "Accepted key"]);
    const b = parseRFC3164("<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!", { year: 2024 });
    expect([b.hostname, b.appName, b.message]).toEqual(["10.0.0.99", undefined, "Use the BFG!"]);
    expect(b.timestamp).toBe(utc(2024, 2, 5, 17, 32, 18));
    const c = parseRFC3164("<13>Feb  5 17:32:18 host msg\n", { year: 2024, location: loadLocation("America/New_York") });
    expect(c.timestamp).toBe(utc(2024, 2, 5, 22, 32, 18));
    expect(c.message).toBe("msg");
    const d = parseRFC3164("<13>  Feb 19 00:00:00   127.0.0.1   An application event log entry...");
    expect([d.hostname, d.message]).toEqual(["127.0.0.1", "An application event log entry..."]);
  });
  test("Cisco components", () => {
    const m = parseRFC3164("<189>237: 000123: *Jan  8 19:46:03.295: %SYS-5-CONFIG_I: Configured from console", {
      messageCounter: true,
      sequenceNumber: true,
      secondFractions: true,
      year: 2020,
    });
    expect(m.messageCounter).toBe(237);
    expect(m.sequence).toBe(123);
    expect(m.timestamp).toBe(utc(2020, 1, 8, 19, 46, 3, 295_000_000));
    // The Cisco mnemonic reads as the tag, as go-syslog's grammar takes it.
    expect(m.appName).toBe("%SYS-5-CONFIG_I");
    expect(m.message).toBe("Configured from console");
  });
  const bad: [string, string][] = [
    ["Oct 11 22:14:15 host msg", "expecting a priority value within angle brackets [col 0]"],
    ["<34>Foo 11 22:14:15 host msg", "expecting a Stamp timestamp [col 4]"],
    ["<34>Oct 11 22:14:15", "parsing error"],
  ];
  for (const [line, msg] of bad) test(`rejects ${JSON.stringify(line)}`, () => expect(() => parseRFC3164(line)).toThrow(msg));
});

describe("stream framing", () => {
  test("octet counting across chunk boundaries", () => {
    const r = new SyslogFrameReader();
    const m1 = "<1>1 - - - - - - one";
    const m2 = "<1>1 - - - - - - two\nlines";
    const stream = enc.encode(`${enc.encode(m1).length} ${m1}${enc.encode(m2).length} ${m2}`);
    const got: string[] = [];
    for (let i = 0; i < stream.length; i += 7) for (const f of r.push(stream.slice(i, i + 7)).frames) got.push(dec.decode(f.data));
    expect(r.detectedFraming).toBe("octet-counting");
    expect(got).toEqual([m1, m2]);
  });
  test("non-transparent framing by newline, last message flushed at end", () => {
    const r = new SyslogFrameReader();
    const a = r.push(enc.encode("<1>1 - - - - - - a\n<1>1 - - - - - - b\n<1>1 - "));
    const b = r.end();
    expect([...a.frames, ...b.frames].map((f) => dec.decode(f.data))).toEqual(["<1>1 - - - - - - a", "<1>1 - - - - - - b", "<1>1 - "]);
  });
  test("NUL trailer for raw streams", () => {
    const r = new SyslogFrameReader({ framing: "non-transparent", trailer: "\0" });
    expect(r.push(enc.encode("a\nb\0c\0")).frames.map((f) => dec.decode(f.data))).toEqual(["a\nb", "c"]);
  });
  test("too long messages are reported and skipped", () => {
    const r = new SyslogFrameReader({ maxMessageLength: 5 });
    const out = r.push(enc.encode("<1>123456\n<1>ok\n"));
    expect(out.errors[0]!.message).toBe("message too long to parse. was size 9, max length 5");
    expect(out.frames.map((f) => dec.decode(f.data))).toEqual(["<1>ok"]);
  });
  test("unknown framing and bad lengths are fatal", () => {
    const r = new SyslogFrameReader();
    expect(r.push(enc.encode("hello")).errors[0]!.message).toBe("invalid or unsupported framing. first byte: 'h'");
    const o = new SyslogFrameReader();
    expect(o.push(enc.encode("12x")).errors[0]!.message).toContain("expecting a MSGLEN");
    expect(o.fatal).toBeDefined();
  });
});

describe("__syslog_* labels", () => {
  test("RFC 5424 message labels as Alloy's syslog target sets them", () => {
    const m = parseRFC5424('<165>1 2018-10-11T22:14:15.003Z host5 e - id1 [custom@32473 exkey="1"] An application event log entry...');
    expect({ ...syslogMessageLabels(m, { labelStructuredData: true }) }).toEqual({
      __syslog_message_severity: "notice",
      __syslog_message_facility: "local4",
      __syslog_message_hostname: "host5",
      __syslog_message_app_name: "e",
      __syslog_message_msg_id: "id1",
      __syslog_message_sd_custom_32473_exkey: "1",
    });
    expect(Object.keys(syslogMessageLabels(m))).not.toContain("__syslog_message_sd_custom_32473_exkey");
  });
  test("raw and connection labels", () => {
    expect({ ...syslogRawLabels(11) }).toEqual({ __syslog_message_severity: "error", __syslog_message_facility: "user" });
    expect({ ...syslogRawLabels(undefined) }).toEqual({});
    expect({ ...syslogConnectionLabels("127.0.0.1", "localhost") }).toEqual({
      __syslog_connection_ip_address: "127.0.0.1",
      __syslog_connection_hostname: "localhost",
    });
  });
});

import { RawSyslogReader, parseRawSyslog } from "../../../../src/telemetry/loki/syslog/raw.ts";

describe("raw syslog", () => {
  test("optional priority, trimmed message", () => {
    expect(parseRawSyslog("<34>  hello ")).toEqual({ priority: 34, message: "hello" });
    expect(parseRawSyslog("Dec 17 12:23:16 Dream-Router CEF:0|Ubiquiti")).toEqual({ message: "Dec 17 12:23:16 Dream-Router CEF:0|Ubiquiti" });
    expect(parseRawSyslog("<300>x")).toEqual({ message: "<300>x" });
  });
  test("mixed framing per frame, empty lines skipped, tail flushed", () => {
    const r = new RawSyslogReader();
    const a = r.push(enc.encode("5 <1>ab<2>cd\n\n\nCEF:0|x\n"));
    const b = r.push(enc.encode("tail"));
    expect(a.messages).toEqual([{ priority: 1, message: "ab" }, { priority: 2, message: "cd" }, { message: "CEF:0|x" }]);
    expect(b.messages).toEqual([]);
    expect(r.end()).toEqual([{ message: "tail" }]);
  });
  test("NUL delimiter", () => {
    const r = new RawSyslogReader({ nullTerminator: true });
    expect(r.push(enc.encode("a\nb\0c\0")).messages).toEqual([{ message: "a\nb" }, { message: "c" }]);
  });
});

import { formatRFC5424 } from "../../../../src/telemetry/loki/syslog/rfc5424.ts";

describe("RFC 5424 written back (use_rfc5424_message)", () => {
  test("round-trips with sorted structured data, escapes and the original offset", () => {
    const line = '<165>1 2003-08-24T05:14:15.000003-07:00 host app 8710 ID47 [z@1 b="2" a="q\\"uo\\]te\\\\"][a@1 x="1"] the message';
    expect(formatRFC5424(parseRFC5424(line))).toBe(
      '<165>1 2003-08-24T05:14:15.000003-07:00 host app 8710 ID47 [a@1 x="1"][z@1 a="q\\"uo\\]te\\\\" b="2"] the message',
    );
    expect(formatRFC5424(parseRFC5424("<1>1 - - - - - -"))).toBe("<1>1 - - - - - -");
    expect(formatRFC5424(parseRFC5424("<1>1 2018-10-11T22:14:15Z h - - - - m"))).toBe("<1>1 2018-10-11T22:14:15Z h - - - - m");
  });
});

import { SyslogStreamParser } from "../../../../src/telemetry/loki/syslog/stream.ts";

describe("syslog connection parser", () => {
  test("valid and malformed messages interleaved; malformed ones become errors", () => {
    const p = new SyslogStreamParser({ format: "rfc5424" });
    const results = p.push(
      enc.encode(
        '<165>1    -   An application event log entry...\n<165>1 2018-10-11T22:14:15.003Z host5 e - id1 [custom@32473 exkey="1"] An application event log entry...\n',
      ),
    );
    expect(results.map((r) => (r.error ? "error" : r.message!.msgId))).toEqual(["error", "id1"]);
  });
  test("RFC 3164 over octet counting", () => {
    const m = "<13>Feb  5 17:32:18 host app: hello";
    const p = new SyslogStreamParser({ format: "rfc3164", rfc3164: { year: 2024 } });
    const [r] = p.push(enc.encode(`${m.length} ${m}`));
    expect(r!.message!.message).toBe("hello");
    expect(p.fatal).toBe(false);
  });
});

describe("go-syslog RFC 3164 cases", () => {
  const cases: [string, Partial<Record<"hostname" | "appName" | "procId" | "message", string>>][] = [
    ['<34>Jan 12 06:30:00 xxx apache: 1.2.3.4 - - [12/Jan/2011:06:29:59 +0100] "GET /foo/bar.html HTTP/1.1" 301 96', { hostname: "xxx", appName: "apache", message: '1.2.3.4 - - [12/Jan/2011:06:29:59 +0100] "GET /foo/bar.html HTTP/1.1" 301 96' }],
    ["<85>Jan 24 15:50:41 ip-172-31-30-110 sudo[6040]: ec2-user : TTY=pts/0 ; PWD=/var/log", { hostname: "ip-172-31-30-110", appName: "sudo", procId: "6040", message: "ec2-user : TTY=pts/0 ; PWD=/var/log" }],
    ["<166>Jul  6 20:33:28 ABC-1-234567 Some message here", { hostname: "ABC-1-234567", message: "Some message here" }],
    ["<0>Sep 17 04:05:37 host.domain.tld monit[2340:0]: subsvc[12345]: Message with [square brackets]", { hostname: "host.domain.tld", appName: "monit", procId: "2340:0", message: "subsvc[12345]: Message with [square brackets]" }],
    ["<132> Apr  4 19:32:33 ix2105  IP6[015]: Beyond scope for packet", { hostname: "ix2105", appName: "IP6", procId: "015", message: "Beyond scope for packet" }],
    ["<46>Apr 27 23:06:01 syslogd[68529]: start", { appName: "syslogd", procId: "68529", message: "start" }],
    ["<13>Apr 27 23:06:09 catap: some test from cli", { appName: "catap", message: "some test from cli" }],
    ["<30>Apr 29 11:44:07 cabinet b4fbe48b48ad,UAP-nanoHD-6.6.55+15189: stahtd: x", { hostname: "cabinet", appName: "b4fbe48b48ad,UAP-nanoHD-6.6.55+15189", message: "stahtd: x" }],
  ];
  for (const [line, want] of cases) {
    test(line.slice(0, 50), () => {
      const m = parseRFC3164(line);
      expect({ hostname: m.hostname, appName: m.appName, procId: m.procId, message: m.message }).toEqual({
        hostname: want.hostname, appName: want.appName, procId: want.procId, message: want.message,
      });
    });
  }
  const all = { messageCounter: true, sequenceNumber: true, ciscoHostname: true, secondFractions: true };
  const cisco: [string, Record<string, unknown>][] = [
    ["<189>643: *Jan  8 19:46:03.295: %LINEPROTO-5-UPDOWN: Line protocol up", { messageCounter: 643, appName: "%LINEPROTO-5-UPDOWN", message: "Line protocol up" }],
    ["<189>643: Jan  8 19:46:03.295: %LINEPROTO-5-UPDOWN: Line protocol up", { messageCounter: 643, appName: "%LINEPROTO-5-UPDOWN" }],
    ["<189>105: 000104: Mar 12 07:12:10: %SYS-5-CONFIG_I: Configured", { messageCounter: 105, sequence: 104, message: "Configured" }],
    ["<189>: Mar 12 07:10:10: %SYS-5-CONFIG_I: Configured", { messageCounter: 0, appName: "%SYS-5-CONFIG_I" }],
    ["<189>269614: myhostname: Apr 11 10:02:08: %LINEPROTO-5-UPDOWN: Line protocol", { messageCounter: 269614, hostname: "myhostname", appName: "%LINEPROTO-5-UPDOWN" }],
  ];
  for (const [line, want] of cisco) test(`cisco ${line.slice(0, 40)}`, () => expect(parseRFC3164(line, all)).toMatchObject(want));
});
