// `alloy validate [flags] path`: checks a config without running it and prints
// every diagnostic in Alloy's report form, exiting non-zero on errors.

import { hasErrors, type Diagnostic } from "../syntax/diag.ts";
import { renderDiagnostics } from "../syntax/diag_render.ts";
import { parseFile } from "../syntax/parser.ts";
import type { StabilityLevel } from "../syntax/value.ts";
import type { ConfigSource } from "../runtime/runtime.ts";
import type { Command } from "./cli.ts";
import { ConfigReadError, readConfigSources } from "./config_sources.ts";
import { FlagError, parseFlags } from "./flags.ts";
import { CommandError, type CliIO, type ExitCode } from "./io.ts";
import { communityComponentsFlag, configFlags, stabilityFlag, type ConfigFormat } from "./run_flags.ts";

const flags = [...configFlags, stabilityFlag, communityComponentsFlag];

export interface ValidateOptions {
  stability: StabilityLevel;
  communityComponents: boolean;
}

/** All checks of a config: syntax, blocks, components, references, types, stability. */
export type SourceValidator = (sources: ConfigSource[], opts: ValidateOptions) => Promise<Diagnostic[]>;

export function makeValidateCommand(validator: () => Promise<SourceValidator | undefined>): Command {
  return {
    name: "validate",
    help: { use: "validate [flags] file", short: "Validate a configuration file", flags },
    async run(argv, io) {
      const parsed = parseFlags(flags, argv);
      for (const n of parsed.notices) io.stderr(n + "\n");
      if (parsed.args.length !== 1) throw new FlagError(`accepts 1 arg(s), received ${parsed.args.length}`);
      const v = parsed.values;
      return validatePath(
        parsed.args[0]!,
        v.get("config.format") as ConfigFormat,
        { stability: v.get("stability.level") as StabilityLevel, communityComponents: v.get("feature.community-components.enabled") === true },
        io,
        validator,
      );
    },
  };
}

export async function validatePath(
  path: string,
  format: ConfigFormat,
  opts: ValidateOptions,
  io: CliIO,
  loadValidator: () => Promise<SourceValidator | undefined>,
): Promise<ExitCode> {
  let sources: ConfigSource[];
  try {
    sources = await readConfigSources(path, format);
  } catch (err) {
    if (err instanceof ConfigReadError) throw new CommandError(err.message.replace(/^reading config path "[^"]*": /, ""));
    throw err;
  }
  const validator = await loadValidator();
  // Without the runtime's validator only syntax can be checked.
  const diags = validator ? await validator(sources, opts) : sources.flatMap((s) => parseFile(s.name, s.text).diagnostics);
  if (diags.length > 0) io.stderr(renderDiagnostics(diags, new Map(sources.map((s) => [s.name, s.text] as const))));
  if (hasErrors(diags)) throw new CommandError("validation failed");
  return 0;
}
