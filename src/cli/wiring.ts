// Binds the commands to the layers below them: the runtime with the built-in
// components, the UI, and the static validator. Imported lazily so `alloy fmt`
// and `--version` load none of it.

import type { Command } from "./cli.ts";
import { makeRunCommand } from "./run_command.ts";
import { makeValidateCommand, type SourceValidator } from "./validate.ts";

export const runCommand: Command = makeRunCommand(async () => {
  const [{ createRuntime, MetricsHub }, { defaultServices }, { componentCatalog }, { lazyUI }] = await Promise.all([
    import("../runtime/index.ts"),
    import("../runtime/services.ts"),
    import("../components/catalog.ts"),
    import("../service/http/lazy_ui.ts"),
  ]);
  return {
    createRuntime: (opts) => {
      const hub = new MetricsHub(opts.registry);
      const services = defaultServices().map((s) => opts.services.find((own) => own.name === s.name) ?? s);
      return { runtime: createRuntime({ ...opts, components: componentCatalog, services, metrics: hub }), metrics: hub };
    },
    ui: lazyUI(async (prefix) => (await import("../service/ui/index.ts")).uiRoutes({ prefix })),
  };
});

export const validateCommand: Command = makeValidateCommand(async () => {
  const [{ validateConfig }, { components }] = await Promise.all([import("../runtime/index.ts"), import("../components/index.ts")]);
  const validate: SourceValidator = async (sources, opts) => validateConfig(sources, { ...opts, components });
  return validate;
});
