// `alloy <command>`: picks the command, handles --help and --version, and turns
// errors into cobra's `Error: <message>` on stderr with exit code 1.

import { convertCommand } from "./convert.ts";
import { fmtCommand } from "./fmt.ts";
import { commandHelpText, rootHelpText, type CommandHelp } from "./help.ts";
import type { CliIO, ExitCode } from "./io.ts";
import { runCommand, validateCommand } from "./wiring.ts";
import { versionText } from "./version.ts";

export interface Command {
  name: string;
  help: CommandHelp;
  /** Parses its own flags from argv (everything after the command name). */
  run(argv: string[], io: CliIO): Promise<ExitCode>;
}

const commands: Command[] = [convertCommand, fmtCommand, runCommand, validateCommand];

/** Alloy commands this build does not have; named so the error is clearer than "unknown command". */
const unavailableCommands = ["tools", "gql", "graphql", "otel", "otel-supervisor"];

export async function main(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    if (first === "help" && rest[0] !== undefined) return main([rest[0], "--help"], io);
    io.stdout(rootHelpText(commands.map((c) => ({ name: c.name, short: c.help.short }))) + "\n");
    return 0;
  }
  if (first === "-v" || first === "--version") {
    io.stdout(versionText() + "\n");
    return 0;
  }
  const cmd = commands.find((c) => c.name === first || c.help.aliases?.includes(first));
  if (!cmd && unavailableCommands.includes(first)) {
    io.stderr(`Error: the ${JSON.stringify(first)} command is not available in this build of Alloy\n`);
    return 1;
  }
  if (!cmd) {
    const what = first.startsWith("-") ? `unknown flag: ${first.split("=")[0]}` : `unknown command ${JSON.stringify(first)} for "alloy"`;
    io.stderr(`Error: ${what}\nRun 'alloy --help' for usage.\n`);
    return 1;
  }
  const endOfFlags = rest.indexOf("--");
  const flagPart = endOfFlags < 0 ? rest : rest.slice(0, endOfFlags);
  if (flagPart.includes("-h") || flagPart.includes("--help")) {
    io.stdout(commandHelpText(cmd.name, cmd.help) + "\n");
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    // Every failure ends as one `Error:` line and exit code 1, never a stack trace.
    io.stderr(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
