// `alloy fmt [-w|--write] [-t|--test] [file|-]` (alias `format`), as Alloy's cmd_fmt.go.

import { stat, writeFile } from "node:fs/promises";
import { formatDiagnostic, hasErrors } from "../syntax/diag.ts";
import { parseFile } from "../syntax/parser.ts";
import { printFile } from "../syntax/printer/index.ts";
import type { Command } from "./cli.ts";
import { FlagError, parseFlags, type FlagSpec } from "./flags.ts";
import { CommandError, type CliIO } from "./io.ts";
import { readInput } from "./read_input.ts";

const flags: FlagSpec[] = [
  { name: "write", shorthand: "w", kind: "bool", default: false, usage: "write result to (source) file instead of stdout" },
  { name: "test", shorthand: "t", kind: "bool", default: false, usage: "exit with non-zero when changes would be made. Cannot be used with -w/--write" },
];

export const fmtCommand: Command = {
  name: "fmt",
  help: {
    use: "fmt [flags] file",
    short: "Format a configuration file",
    aliases: ["format"],
    long: `The fmt subcommand applies standard formatting rules to the
specified configuration file.

If the file argument is not supplied or if the file argument is "-", then fmt will read from stdin.

The -w flag can be used to write the formatted file back to disk. -w can not be provided when fmt is reading from stdin. When -w is not provided, fmt will write the result to stdout.`,
    flags,
  },
  async run(argv, io) {
    const parsed = parseFlags(flags, argv);
    if (parsed.args.length > 1) throw new FlagError(`accepts between 0 and 1 arg(s), received ${parsed.args.length}`);
    const write = parsed.values.get("write") === true;
    const test = parsed.values.get("test") === true;
    await formatPath(parsed.args[0] ?? "-", { write, test }, io);
    return 0;
  },
};

export async function formatPath(path: string, opts: { write: boolean; test: boolean }, io: CliIO): Promise<void> {
  if (opts.write && opts.test) throw new CommandError("cannot use -w/--write and -t/--test at the same time");
  if (path === "-" && opts.write) throw new CommandError("cannot use -w with standard input");
  const input = await readInput(path, "format", () => io.readStdin());
  const name = path === "-" ? "<stdin>" : path;

  const { file, diagnostics } = parseFile(name, input.text);
  if (hasErrors(diagnostics)) {
    for (const d of diagnostics) io.stderr(formatDiagnostic(d) + "\n");
    throw new CommandError("encountered errors during formatting");
  }
  const formatted = printFile(file) + "\n";
  const unchanged = formatted === input.text;
  if (opts.test) {
    if (!unchanged) throw new CommandError(`file ${name} is not formatted correctly`);
    return;
  }
  if (!opts.write) {
    io.stdout(formatted);
    return;
  }
  if (unchanged) return;
  const mode = (await stat(path)).mode & 0o777;
  await writeFile(path, formatted, { mode });
}
