import { expect, test } from "bun:test";
import { defaultHost, normalizeVersion, type Host } from "../../../src/syntax/stdlib/index.ts";
import { ev } from "../helpers.ts";
import { newObject } from "../../../src/syntax/value.ts";

const host: Host = { ...defaultHost(), hostname: () => "box1", os: "linux", arch: "amd64", version: "1.2" };

test("constants expose the host facts", () => {
  const o = newObject();
  expect(ev("constants.hostname", o, { host })).toBe("box1");
  expect(ev("constants.os", o, { host })).toBe("linux");
  expect(ev("constants.arch", o, { host })).toBe("amd64");
  expect(ev("constants.version", o, { host })).toBe("v1.2.0");
});

test("the default host uses Go's OS and architecture names", () => {
  const h = defaultHost();
  expect(["linux", "darwin", "windows", "freebsd"]).toContain(h.os);
  expect(["amd64", "arm64", "386", "arm", "ppc64le", "s390x", "riscv64"]).toContain(h.arch);
});

test("versions are normalized like semver.ParseTolerant", () => {
  expect(normalizeVersion("")).toBe("v0.0.0");
  expect(normalizeVersion("  ")).toBe("v0.0.0");
  expect(normalizeVersion("1.9.0")).toBe("v1.9.0");
  expect(normalizeVersion("v1.9.0-rc.1")).toBe("v1.9.0-rc.1");
  expect(normalizeVersion("2")).toBe("v2.0.0");
  expect(normalizeVersion("devel")).toBe("devel");
});

test("the default host knows the machine's hostname", async () => {
  const os = await import("node:os");
  expect(defaultHost().hostname()).toBe(os.hostname());
});
