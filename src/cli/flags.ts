// A command-line flag parser with the syntax of spf13/pflag, which Alloy's cobra
// commands use: `--name=value`, `--name value`, `--bool`, `--bool=false`, `-x`,
// `-xy` (bool shorthands), `-o value`, `-ovalue`, `--` ends flags, and flags may
// follow positional arguments. Error texts are pflag's.

import { formatGoDuration, parseGoDuration } from "./duration.ts";

export type FlagKind = "string" | "bool" | "int" | "duration" | "strings";

/** A flag's value as parsed: durations are milliseconds, `strings` are lists. */
export type FlagValue = string | boolean | number | string[];

export interface FlagSpec {
  name: string;
  shorthand?: string;
  kind: FlagKind;
  default: FlagValue;
  usage: string;
  /** Shown after the flag name in help instead of the kind (e.g. `<stability_level>`). */
  typeName?: string;
  /** Extra validation of the raw text; returns an error text (pflag puts it after the colon). */
  validate?: (raw: string) => string | undefined;
  /** Deprecated no-op flags: using one prints pflag's deprecation notice. */
  deprecated?: string;
}

export interface ParsedFlags {
  values: Map<string, FlagValue>;
  /** Names of the flags given on the command line. */
  changed: Set<string>;
  args: string[];
  help: boolean;
  /** Deprecation notices to print to stderr (pflag prints them while parsing). */
  notices: string[];
}

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlagError";
  }
}

const helpFlag: FlagSpec = { name: "help", shorthand: "h", kind: "bool", default: false, usage: "" };

export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[]): ParsedFlags {
  const byName = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const s of [...specs, helpFlag]) {
    byName.set(s.name, s);
    if (s.shorthand) byShort.set(s.shorthand, s);
  }
  const values = new Map<string, FlagValue>();
  for (const s of specs) values.set(s.name, cloneValue(s.default));
  const result: ParsedFlags = { values, changed: new Set(), args: [], help: false, notices: [] };

  const set = (spec: FlagSpec, raw: string, display: string): void => {
    if (spec === helpFlag) {
      result.help = parseGoBool(raw) ?? true;
      return;
    }
    const parsed = convert(spec, raw, result.changed.has(spec.name) ? values.get(spec.name) : undefined);
    if (typeof parsed === "object" && parsed !== null && "error" in parsed) {
      throw new FlagError(`invalid argument ${goQuote(raw)} for ${goQuote(display)} flag: ${parsed.error}`);
    }
    values.set(spec.name, parsed);
    result.changed.add(spec.name);
    if (spec.deprecated !== undefined) {
      result.notices.push(`Flag --${spec.name} has been deprecated, ${spec.deprecated}`);
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      result.args.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const body = arg.slice(2);
      const eq = body.indexOf("=");
      const name = eq < 0 ? body : body.slice(0, eq);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      const display = displayName(spec);
      if (eq >= 0) set(spec, body.slice(eq + 1), display);
      else if (spec.kind === "bool") set(spec, "true", display);
      else if (i + 1 < argv.length) set(spec, argv[++i]!, display);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      // Shorthand cluster: bools may be combined; a value-taking flag consumes the rest.
      let rest = arg.slice(1);
      while (rest.length > 0) {
        const c = rest[0]!;
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in -${arg.slice(1)}`);
        const display = displayName(spec);
        rest = rest.slice(1);
        if (rest.startsWith("=")) {
          set(spec, rest.slice(1), display);
          rest = "";
        } else if (spec.kind === "bool") {
          set(spec, "true", display);
        } else if (rest.length > 0) {
          set(spec, rest, display);
          rest = "";
        } else if (i + 1 < argv.length) {
          set(spec, argv[++i]!, display);
        } else {
          throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
        }
      }
      continue;
    }
    result.args.push(arg);
  }
  return result;
}

function displayName(spec: FlagSpec): string {
  return spec.shorthand ? `-${spec.shorthand}, --${spec.name}` : `--${spec.name}`;
}

function cloneValue(v: FlagValue): FlagValue {
  return Array.isArray(v) ? [...v] : v;
}

function convert(spec: FlagSpec, raw: string, previous: FlagValue | undefined): FlagValue | { error: string } {
  switch (spec.kind) {
    case "bool": {
      const b = parseGoBool(raw);
      if (b === undefined) return { error: `strconv.ParseBool: parsing ${goQuote(raw)}: invalid syntax` };
      return b;
    }
    case "int": {
      const n = parseGoInt(raw);
      if (typeof n === "string") return { error: n };
      return n;
    }
    case "duration": {
      const d = parseGoDuration(raw);
      if (typeof d === "string") return { error: d };
      return d;
    }
    case "strings": {
      const items = raw === "" ? [] : raw.split(",").map((s) => s.trim());
      // pflag: the first use replaces the default, later uses append.
      return Array.isArray(previous) ? [...previous, ...items] : items;
    }
    case "string": {
      const problem = spec.validate?.(raw);
      if (problem !== undefined) return { error: problem };
      return raw;
    }
  }
}

/** strconv.ParseBool */
export function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/** strconv.ParseInt(s, 0, 64) as pflag's IntVar uses it, limited to JS safe integers. */
export function parseGoInt(s: string): number | string {
  const m = /^([+-]?)(0[xX][0-9a-fA-F](_?[0-9a-fA-F])*|0[bB][01](_?[01])*|0[oO]?[0-7](_?[0-7])*|[1-9](_?[0-9])*|0)$/.exec(s);
  if (!m) return `strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`;
  let body = m[2]!.replaceAll("_", "");
  if (/^0[0-7]/.test(body)) body = "0o" + body.slice(1);
  const n = Number(body) * (m[1] === "-" ? -1 : 1);
  if (!Number.isSafeInteger(n)) return `strconv.ParseInt: parsing ${goQuote(s)}: value out of range`;
  return n;
}

/** Go's %q for the ASCII strings flags carry. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** `name=value` for every flag in name order, values as pflag prints them (Alloy's runtime flags listing). */
export function flagSummary(specs: readonly FlagSpec[], values: ReadonlyMap<string, FlagValue>): string[] {
  return [...specs]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => {
      const v = values.get(s.name) ?? s.default;
      const text = s.kind === "duration" ? formatGoDuration(v as number) : Array.isArray(v) ? `[${v.join(",")}]` : String(v);
      return `${s.name}=${text}`;
    });
}
