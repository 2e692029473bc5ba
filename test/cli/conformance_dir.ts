// Where the shared conformance fixtures live, relative to the repository root.

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dir, "../..");

export const conformanceDir = [join(repoRoot, "../shared/conformance"), join(repoRoot, "shared/conformance")].find((d) => existsSync(d)) ?? join(repoRoot, "../shared/conformance");
