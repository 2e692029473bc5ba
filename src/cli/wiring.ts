// Binds the commands to the layers below them: the runtime with the built-in
// components, the UI, and dry-run loading for validation. Imported lazily so
// `alloy fmt` and `--version` load none of it.

import type { Command } from "./cli.ts";
import { discardLogger } from "../runtime/logger.ts";
import { makeRunCommand } from "./run.ts";
import { makeValidateCommand, type SourceValidator } from "./validate.ts";

export const runCommand: Command = makeRunCommand(async () => {
  const [{ createRuntime, MetricsHub }, { defaultServices }, { mountUI }, { components }] = await Promise.all([
    import("../runtime/index.ts"),
    import("../runtime/services.ts"),
    import("../service/ui/index.ts"),
    import("../components/index.ts"),
  ]);
  return {
    createRuntime: (opts) => {
      const hub = new MetricsHub(opts.registry);
      const services = defaultServices().map((s) => (s.name === "http" ? opts.httpService : s));
      return { runtime: createRuntime({ ...opts, components, services, metrics: hub }), metrics: hub };
    },
    ui: mountUI,
  };
});

export const validateCommand: Command = makeValidateCommand(async () => {
  const [{ createRuntime }, { components }] = await Promise.all([import("../runtime/index.ts"), import("../components/index.ts")]);
  const validate: SourceValidator = async (sources, opts) => {
    // A dry run evaluates and builds every block but starts nothing.
    const runtime = createRuntime({
      stability: opts.stability,
      communityComponents: opts.communityComponents,
      storagePath: "data-alloy/",
      fetch: globalThis.fetch,
      memoryAddress: "alloy.internal:12345",
      components,
      logger: discardLogger(),
      dryRun: true,
    });
    try {
      return (await runtime.load(sources)).diagnostics;
    } finally {
      await runtime.stop();
    }
  };
  return validate;
});
