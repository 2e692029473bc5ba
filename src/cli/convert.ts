// `alloy convert [flags] [file|-]`: flags and input handling as Alloy's cmd_convert.go.
// The conversion itself lives in src/convert.

import type { Command } from "./cli.ts";
import { FlagError, goQuote, parseFlags, type FlagSpec } from "./flags.ts";
import { writeFile } from "node:fs/promises";
import { CommandError } from "./io.ts";
import { readInput } from "./read_input.ts";
import { configFormats } from "./run_flags.ts";

const convertibleFormats = configFormats.filter((f) => f !== "alloy");
const quoted = convertibleFormats.map((f) => goQuote(f)).join(", ");

const flags: FlagSpec[] = [
  { name: "output", shorthand: "o", kind: "string", default: "", usage: "The filepath and filename where the output is written." },
  { name: "report", shorthand: "r", kind: "string", default: "", usage: "The filepath and filename where the report is written." },
  {
    name: "source-format",
    shorthand: "f",
    kind: "string",
    default: "",
    usage: `The format of the source file. Supported formats: ${quoted}.`,
    validate: (raw) =>
      raw === "" || (convertibleFormats as readonly string[]).includes(raw)
        ? undefined
        : `unsupported format ${goQuote(raw)} (supported formats: ${quoted})`,
  },
  { name: "bypass-errors", shorthand: "b", kind: "bool", default: false, usage: "Enable bypassing errors when converting" },
  {
    name: "extra-args",
    shorthand: "e",
    kind: "string",
    default: "",
    usage: "Extra arguments from the original format used by the converter. Multiple arguments can be passed by separating them with a space.",
  },
];

export const convertCommand: Command = {
  name: "convert",
  help: {
    use: "convert [flags] [file]",
    short: "Convert a supported config file to Alloy",
    long: `The convert subcommand translates a supported config file to
an Alloy configuration file.

If the file argument is not supplied or if the file argument is "-", then
convert will read from stdin.

The -o flag can be used to write the formatted file back to disk. When -o
is not provided, convert will write the result to stdout.

The -r flag can be used to generate a diagnostic report. When -r is not
provided, no report is generated.

The -f flag can be used to specify the format we are converting from.

The -b flag can be used to bypass errors. Errors are defined as
non-critical issues identified during the conversion where an
output can still be generated.

The -e flag can be used to pass extra arguments to the converter
which were used by the original format. Multiple arguments can be passed
by separating them with a space.`,
    flags,
  },
  async run(argv, io) {
    const parsed = parseFlags(flags, argv);
    if (parsed.args.length > 1) throw new FlagError(`accepts between 0 and 1 arg(s), received ${parsed.args.length}`);
    const format = parsed.values.get("source-format") as string;
    if (format === "") throw new CommandError("source-format is a required flag");
    const input = await readInput(parsed.args[0] ?? "-", "convert", () => io.readStdin());
    // The converters (YAML parsing, every source format) load only for this command.
    const { conversionFails, convert, parseExtraArgs, reportText } = await import("../convert/index.ts");
    let extraArgs: string[];
    try {
      extraArgs = parseExtraArgs(parsed.values.get("extra-args") as string);
    } catch (err) {
      throw new CommandError(err instanceof Error ? err.message : String(err));
    }
    const bypass = parsed.values.get("bypass-errors") as boolean;
    const { output, diags } = convert(input.text, format, extraArgs);
    const report = parsed.values.get("report") as string;
    if (report !== "") await writeOrFail(report, reportText(diags, bypass));
    if (conversionFails(diags, bypass)) throw new CommandError(diags.toString());
    const out = parsed.values.get("output") as string;
    if (out === "") io.stdout(output ?? "");
    else await writeOrFail(out, output ?? "");
    return 0;
  },
};

async function writeOrFail(path: string, text: string): Promise<void> {
  await writeFile(path, text).catch((err: unknown) => {
    throw new CommandError(`open ${path}: ${err instanceof Error ? err.message : String(err)}`);
  });
}
