import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRuntime, type AlloyRuntime, type CreateRuntimeOptions } from "../../src/runtime/index.ts";
import { Logger, LogSettings } from "../../src/runtime/logger.ts";
import type { ComponentEntry } from "../../src/runtime/component_catalog.ts";
import { testComponents } from "./testcomponents.ts";

export function tempDir(prefix = "alloy-rt-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestRuntime extends AlloyRuntime {
  logLines: string[];
}

export function testRuntime(opts: Partial<CreateRuntimeOptions> & { extra?: ComponentEntry[] } = {}): TestRuntime {
  const logLines: string[] = [];
  const logger = new Logger(new LogSettings((l) => logLines.push(l)));
  logger.settings.level = "debug";
  const rt = createRuntime({
    stability: "generally-available",
    storagePath: tempDir(),
    communityComponents: false,
    fetch: globalThis.fetch,
    memoryAddress: "alloy.internal:12345",
    components: [...testComponents, ...(opts.extra ?? [])],
    logger,
    ...opts,
  });
  return Object.assign(rt, { logLines });
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function messages(ds: Array<{ message: string }>): string[] {
  return ds.map((d) => d.message);
}
