// Help texts in cobra's layout: description, usage, then pflag's flag table.
// Unlike pflag, every flag shows its default, zero values included.

import { formatGoDuration } from "./duration.ts";
import type { FlagSpec, FlagValue } from "./flags.ts";

export interface CommandHelp {
  use: string;
  short: string;
  long?: string;
  aliases?: string[];
  flags: readonly FlagSpec[];
}

export function commandHelpText(name: string, cmd: CommandHelp): string {
  const out: string[] = [(cmd.long ?? cmd.short).trimEnd(), "", "Usage:", `  alloy ${cmd.use}`, ""];
  if (cmd.aliases?.length) out.push("Aliases:", `  ${[name, ...cmd.aliases].join(", ")}`, "");
  out.push("Flags:", flagTable([...cmd.flags, { name: "help", shorthand: "h", kind: "bool", default: false, usage: `help for ${name}` }]));
  return out.join("\n");
}

export function flagTable(flags: readonly FlagSpec[]): string {
  const sorted = [...flags].sort((a, b) => a.name.localeCompare(b.name));
  const heads = sorted.map((f) => {
    const type = f.typeName ?? typeWord(f);
    const names = f.shorthand ? `  -${f.shorthand}, --${f.name}` : `      --${f.name}`;
    return type ? `${names} ${type}` : names;
  });
  const width = Math.max(...heads.map((h) => h.length));
  return sorted
    .map((f, i) => {
      const isHelp = f.name === "help";
      const dflt = isHelp ? "" : ` (default ${formatDefault(f, f.default)})`;
      const deprecated = f.deprecated !== undefined ? " (deprecated)" : "";
      return `${heads[i]!.padEnd(width)}   ${f.usage}${dflt}${deprecated}`;
    })
    .join("\n");
}

function typeWord(f: FlagSpec): string {
  switch (f.kind) {
    case "bool":
      return "";
    case "strings":
      return "strings";
    default:
      return f.kind;
  }
}

function formatDefault(f: FlagSpec, v: FlagValue): string {
  switch (f.kind) {
    case "string":
      return JSON.stringify(v);
    case "duration":
      return formatGoDuration(v as number);
    case "strings":
      return `[${(v as string[]).join(",")}]`;
    default:
      return String(v);
  }
}

export function rootHelpText(commands: ReadonlyArray<{ name: string; short: string }>): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "Grafana Alloy",
    "",
    "Usage:",
    "  alloy [global options] <subcommand> [flags]",
    "  alloy [command]",
    "",
    "Available Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.short}`),
    "",
    "Flags:",
    "  -h, --help      help for alloy",
    "  -v, --version   version for alloy",
    "",
    'Use "alloy [command] --help" for more information about a command.',
  ].join("\n");
}
