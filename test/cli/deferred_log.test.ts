import { describe, expect, test } from "bun:test";
import { DeferredLogSink, logfmtToJSON } from "../../src/cli/deferred_log.ts";
import { LogSettings, Logger } from "../../src/runtime/logger.ts";

describe("deferred log lines", () => {
  test("are held until flushed, then written in the format configured by then", () => {
    const out: string[] = [];
    const settings = new LogSettings();
    const deferred = new DeferredLogSink(settings, (l) => void out.push(l));
    settings.sinks = [deferred.sink];
    const log = new Logger(settings);
    log.info("Alloy is starting", { addr: "127.0.0.1:12345", note: 'has "quotes" and spaces' });
    expect(out).toEqual([]);
    settings.format = "json";
    deferred.flush();
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ level: "info", msg: "Alloy is starting", addr: "127.0.0.1:12345", note: 'has "quotes" and spaces' });
    log.info("after");
    expect(JSON.parse(out[1]!)).toMatchObject({ msg: "after" });
  });

  test("stay logfmt when the config keeps logfmt", () => {
    const out: string[] = [];
    const settings = new LogSettings();
    const deferred = new DeferredLogSink(settings, (l) => void out.push(l));
    settings.sinks = [deferred.sink];
    new Logger(settings).warn("x y");
    deferred.flush();
    expect(out[0]).toMatch(/^ts=\S+ level=warn msg="x y"\n$/);
  });

  test("logfmtToJSON keeps keys in order and unquotes values", () => {
    expect(logfmtToJSON('ts=1 level=info msg="a \\"b\\"" empty= k=v\n')).toBe('{"ts":"1","level":"info","msg":"a \\"b\\"","empty":"","k":"v"}\n');
  });
});
