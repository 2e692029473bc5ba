// Regenerates src/telemetry/prometheus/gen from the .proto files in src/telemetry/prometheus/proto
// with buf + protoc-gen-es from node_modules (no global tools needed).
// Usage: ./node_modules/.bin/bun scripts/gen-proto-prometheus.ts

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const protoDir = path.join(repoRoot, "src/telemetry/prometheus/proto");
const bin = path.join(repoRoot, "node_modules/.bin");

const result = spawnSync(path.join(bin, "buf"), ["generate"], {
  cwd: protoDir,
  stdio: "inherit",
  // buf finds the `protoc-gen-es` plugin on PATH.
  env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` },
});
if (result.error) {
  console.error(`gen-proto-prometheus: cannot run buf: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
