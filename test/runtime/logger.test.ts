import { expect, test } from "bun:test";
import { Logger, LogSettings, nowRFC3339Nano } from "../../src/runtime/logger.ts";
import { Secret } from "../../src/syntax/value.ts";

function capture(): { lines: string[]; settings: LogSettings } {
  const lines: string[] = [];
  return { lines, settings: new LogSettings((l) => lines.push(l)) };
}

test("logfmt lines have ts, level, msg, then component fields", () => {
  const { lines, settings } = capture();
  const log = new Logger(settings).with({ component_path: "/", component_id: "local.file.a" });
  log.info("hello world", { count: 3 });
  expect(lines[0]).toMatch(
    /^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z level=info msg="hello world" component_path=\/ component_id=local.file.a count=3\n$/,
  );
});

test("json format carries the same keys", () => {
  const { lines, settings } = capture();
  settings.format = "json";
  new Logger(settings).warn("x", { a: "b", n: 3, ok: true });
  const o = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(Object.keys(o)).toEqual(["ts", "level", "msg", "a", "n", "ok"]);
  expect(o.level).toBe("warn");
  expect(o.n).toBe(3);
  expect(o.ok).toBe(true);
});

test("level filters lower levels, shared by derived loggers", () => {
  const { lines, settings } = capture();
  const child = new Logger(settings).with({ k: "v" });
  child.debug("hidden");
  settings.level = "debug";
  child.debug("shown");
  expect(lines.length).toBe(1);
  expect(lines[0]).toContain('msg=shown');
});

test("secrets are never written in clear", () => {
  const { lines, settings } = capture();
  new Logger(settings).error("oops", { password: new Secret("hunter2"), nested: { p: new Secret("hunter2") } });
  expect(lines.join("")).not.toContain("hunter2");
  expect(lines.join("")).toContain("(secret)");
});

test("timestamps are RFC3339 with nanosecond precision trimmed", () => {
  expect(nowRFC3339Nano()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
});
