// Version, commit and build date of this executable. build.ts stamps them with
// `define`; running from source falls back to package.json and "unknown".

import packageJSON from "../package.json" with { type: "json" };

declare const ALLOY_BUILD_VERSION: string | undefined;
declare const ALLOY_BUILD_REVISION: string | undefined;
declare const ALLOY_BUILD_BRANCH: string | undefined;
declare const ALLOY_BUILD_DATE: string | undefined;
declare const ALLOY_BUILD_USER: string | undefined;

function stamped(value: () => string | undefined, fallback: string): string {
  try {
    return value() ?? fallback;
  } catch {
    // Not defined: running from source, not from a build.
    return fallback;
  }
}

/** Alloy normalises versions to carry a `v` prefix. */
function normalizeVersion(v: string): string {
  const t = v.trim();
  if (t === "") return "v0.0.0";
  return /^\d/.test(t) ? `v${t}` : t;
}

export const buildInfo = {
  version: normalizeVersion(stamped(() => ALLOY_BUILD_VERSION, packageJSON.version)),
  revision: stamped(() => ALLOY_BUILD_REVISION, "unknown"),
  branch: stamped(() => ALLOY_BUILD_BRANCH, "unknown"),
  buildDate: stamped(() => ALLOY_BUILD_DATE, "unknown"),
  buildUser: stamped(() => ALLOY_BUILD_USER, "unknown"),
  /** Stands where Alloy reports its Go version. */
  runtimeVersion: `bun${Bun.version}`,
  /** Go's names for the platform (GOOS/GOARCH), as alloy_build_info uses them. */
  goos: goOS(process.platform),
  goarch: goArch(process.arch),
  tags: "builtinassets",
} as const;

function goOS(p: NodeJS.Platform): string {
  return p === "win32" ? "windows" : p;
}

function goArch(a: NodeJS.Architecture): string {
  switch (a) {
    case "x64":
      return "amd64";
    case "ia32":
      return "386";
    default:
      return a;
  }
}
