// The few host facts the standard library needs. src/syntax must load in a
// browser too, so the default reads globalThis.process only when it exists;
// the CLI can install a richer host (e.g. with the real hostname) at startup.

export interface Host {
  env(name: string): string | undefined;
  hostname(): string;
  /** Go's GOOS name: linux, darwin, windows, freebsd… */
  os: string;
  /** Go's GOARCH name: amd64, arm64, 386, arm… */
  arch: string;
  pathSeparator: "/" | "\\";
  /** The build version (normalized to vX.Y.Z by constants.version). */
  version: string;
}

interface ProcessLike {
  env?: Record<string, string | undefined>;
  platform?: string;
  arch?: string;
  /** Node 22+/Bun: built-in modules without an import, so browsers still load this file. */
  getBuiltinModule?: (name: string) => unknown;
}

function osHostname(proc: ProcessLike | undefined): string | undefined {
  try {
    const os = proc?.getBuiltinModule?.("os") as { hostname?: () => string } | undefined;
    return os?.hostname?.();
  } catch {
    return undefined;
  }
}

const GOOS: Record<string, string> = { win32: "windows", sunos: "solaris", cygwin: "windows" };
const GOARCH: Record<string, string> = {
  x64: "amd64",
  ia32: "386",
  arm64: "arm64",
  arm: "arm",
  ppc64: "ppc64le",
  s390x: "s390x",
  riscv64: "riscv64",
  loong64: "loong64",
  mips: "mips",
  mipsel: "mipsle",
};

function processHost(): Host {
  const proc = (globalThis as { process?: ProcessLike }).process;
  const platform = proc?.platform ?? "js";
  const os = GOOS[platform] ?? platform;
  return {
    env: (name) => proc?.env?.[name],
    hostname: () => osHostname(proc) ?? proc?.env?.["HOSTNAME"] ?? proc?.env?.["COMPUTERNAME"] ?? "",
    os,
    arch: GOARCH[proc?.arch ?? ""] ?? proc?.arch ?? "wasm",
    pathSeparator: os === "windows" ? "\\" : "/",
    version: "",
  };
}

let current: Host | undefined;

/** The host used when an evaluation does not bring its own. */
export function defaultHost(): Host {
  current ??= processHost();
  return current;
}

/** Replaces parts of the default host (the CLI sets hostname and version). */
export function setDefaultHost(overrides: Partial<Host>): void {
  current = { ...defaultHost(), ...overrides };
  onHostChange?.();
}

let onHostChange: (() => void) | undefined;

/** Lets the stdlib drop its cached objects when the default host changes. */
export function watchDefaultHost(f: () => void): void {
  onHostChange = f;
}
