import { describe, expect, test } from "bun:test";
import { date } from "../../../src/gocompat/timefmt.ts";
import { UTC } from "../../../src/gocompat/timezone.ts";
import { CriPartialAssembler, parseCriLine, parseDockerLine } from "../../../src/telemetry/loki/container_logs.ts";

describe("stage.docker lines", () => {
  test("Alloy's documented example", () => {
    const l = parseDockerLine('{"log":"log message\\n","stream":"stderr","time":"2019-04-30T02:12:41.8443515Z"}');
    expect(l).toEqual({
      log: "log message\n",
      stream: "stderr",
      time: "2019-04-30T02:12:41.8443515Z",
      timestamp: date(2019, 4, 30, 2, 12, 41, 844351500, UTC).unixNs,
    });
  });
  test("case-insensitive keys, null and missing fields, bad time keeps no timestamp", () => {
    expect(parseDockerLine('{"LOG":"x","stream":null,"time":"yesterday"}')).toEqual({ log: "x", stream: "", time: "yesterday" });
  });
  for (const bad of ["not json", "[1]", '{"log":5}', "null", '"str"']) {
    test(`not a docker line: ${bad}`, () => expect(parseDockerLine(bad)).toBeUndefined());
  }
});

describe("stage.cri lines", () => {
  test("Alloy's documented example", () => {
    const l = parseCriLine("2019-01-01T01:00:00.000000001Z stderr P test\ngood");
    expect(l).toEqual({
      time: "2019-01-01T01:00:00.000000001Z",
      stream: "stderr",
      partial: true,
      content: "test\ngood",
      timestamp: date(2019, 1, 1, 1, 0, 0, 1, UTC).unixNs,
    });
  });
  test("lenient forms", () => {
    expect(parseCriLine("2019-01-01T01:00:00Z   stdout   F   hello  ")?.content).toBe("hello  ");
    expect(parseCriLine("ts stdout hello")).toMatchObject({ partial: false, content: "hello", time: "ts" });
    expect(parseCriLine("ts stdout F")?.content).toBe("");
    expect(parseCriLine("ts stdout")?.content).toBe("");
    expect(parseCriLine("ts stdin F x")).toBeUndefined();
    expect(parseCriLine("just some text")).toBeUndefined();
  });

  test("partial lines are joined per stream by the next full line", () => {
    const a = new CriPartialAssembler<number>();
    expect(a.add("{s=1}", true, "hel", 1)).toEqual([]);
    expect(a.add("{s=2}", false, "other", 2)).toEqual([{ item: 2, line: "other" }]);
    expect(a.add("{s=1}", true, "lo ", 3)).toEqual([]);
    expect(a.add("{s=1}", false, "world", 4)).toEqual([{ item: 4, line: "hello world" }]);
    expect(a.heldCount).toBe(0);
  });

  test("too many held streams flush everything held", () => {
    const a = new CriPartialAssembler<string>({ maxPartialLines: 2 });
    a.add("a", true, "1", "a");
    a.add("b", true, "2", "b");
    expect(a.add("c", true, "3", "c")).toEqual([{ item: "a", line: "1" }, { item: "b", line: "2" }]);
    expect(a.flushedPartialLines).toBe(2);
    expect(a.drain()).toEqual([{ item: "c", line: "3" }]);
  });

  test("held lines are truncated to max_partial_line_size when asked", () => {
    const a = new CriPartialAssembler<null>({ maxPartialLineSize: 4, truncate: true });
    a.add("k", true, "abc", null);
    a.add("k", true, "def", null);
    expect(a.add("k", false, "gh", null)).toEqual([{ item: null, line: "abcd" }]);
    expect(a.truncatedLines).toBe(2);
  });
});
