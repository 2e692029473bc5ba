// Untrusted input never crashes a decoder: it is either decoded or refused
// with the decoder's own error type.
import { describe, test } from "bun:test";
import fc from "fast-check";
import { parseLabels, LabelParseError } from "../../../src/telemetry/loki/labels.ts";
import { decodeLogfmt } from "../../../src/telemetry/loki/logfmt.ts";
import { LogQLParseError, parseLogSelector } from "../../../src/telemetry/loki/logql.ts";
import { decodePushRequest, decodeSnappyPush, PushDecodeError } from "../../../src/telemetry/loki/push.ts";
import { decodeJsonPush } from "../../../src/telemetry/loki/push_json.ts";
import { SyslogParseError } from "../../../src/telemetry/loki/syslog/message.ts";
import { parseRFC3164 } from "../../../src/telemetry/loki/syslog/rfc3164.ts";
import { parseRFC5424 } from "../../../src/telemetry/loki/syslog/rfc5424.ts";
import { SyslogFrameReader } from "../../../src/telemetry/loki/syslog/framing.ts";
import { Template, TemplateParseError } from "../../../src/gocompat/template/template.ts";
import { parse as goParse, TimeParseError } from "../../../src/gocompat/timefmt.ts";

const only = (fn: () => unknown, ...allowed: (abstract new (...a: never[]) => Error)[]) => {
  try {
    fn();
  } catch (err) {
    if (!allowed.some((c) => err instanceof c)) throw err;
  }
};

const runs = { numRuns: 300 };
const slow = 30_000;

describe("decoders refuse garbage with their own errors", () => {
  test("protobuf and snappy push bodies", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        only(() => decodePushRequest(b), PushDecodeError);
        only(() => decodeSnappyPush(b, undefined, 64 * 1024), PushDecodeError);
      }),
      runs,
    );
  }, slow);
  test("JSON push bodies", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => only(() => decodeJsonPush(s), PushDecodeError)), runs);
    fc.assert(
      fc.property(fc.json(), (s) => only(() => decodeJsonPush(`{"streams":[${s}]}`), PushDecodeError)),
      runs,
    );
  }, slow);
  test("label text, selectors, logfmt, syslog, templates, time layouts", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        only(() => parseLabels(s), LabelParseError);
        only(() => parseLogSelector(s), LogQLParseError);
        decodeLogfmt(s, () => {});
        only(() => parseRFC5424(s), SyslogParseError);
        only(() => parseRFC3164(s), SyslogParseError);
        only(() => new Template("t").parse(s), TemplateParseError);
        only(() => goParse("2006-01-02T15:04:05Z07:00", s), TimeParseError);
        only(() => goParse(s, "2024-01-02T03:04:05Z"), TimeParseError);
      }),
      runs,
    );
  }, slow);
  test("syslog framing", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 5 }), (chunks) => {
        const r = new SyslogFrameReader({ maxMessageLength: 64 });
        for (const c of chunks) r.push(c);
        r.end();
      }),
      runs,
    );
  }, slow);
});
