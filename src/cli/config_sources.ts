// Reads `alloy run`/`validate`'s config path: a file, or the top-level `*.alloy`
// files of a directory in filename order (subdirectories are not searched).

import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ConfigSource } from "../runtime/runtime.ts";
import { fsErrorText } from "./read_input.ts";
import type { ConfigFormat } from "./run_flags.ts";

export class ConfigReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigReadError";
  }
}

/** `--config.bypass-conversion-errors` and `--config.extra-args`, used when the format is not alloy. */
export interface ConversionOptions {
  bypassErrors?: boolean;
  extraArgs?: string;
}

export async function readConfigSources(
  path: string,
  format: ConfigFormat = "alloy",
  conversion: ConversionOptions = {},
): Promise<ConfigSource[]> {
  const wrap = (text: string): ConfigReadError => new ConfigReadError(`reading config path ${JSON.stringify(path)}: ${text}`);
  const st = await stat(path).catch((err: unknown) => {
    throw wrap(fsErrorText("stat", path, err));
  });
  const read = async (file: string): Promise<ConfigSource> => {
    const text = await readFile(file, "utf8").catch((err: unknown) => {
      throw wrap(fsErrorText("open", file, err));
    });
    return { name: file, text };
  };
  if (st.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true }).catch((err: unknown) => {
      throw wrap(fsErrorText("open", path, err));
    });
    const files = entries
      .filter((e) => !e.isDirectory() && e.name.endsWith(".alloy"))
      .map((e) => e.name)
      .sort();
    return Promise.all(files.map((f) => read(join(path, f))));
  }
  const source = await read(path);
  if (format === "alloy") return [source];
  // The converters load only for a non-Alloy --config.format.
  const { conversionFails, convert, parseExtraArgs } = await import("../convert/index.ts");
  let extraArgs: string[];
  try {
    extraArgs = parseExtraArgs(conversion.extraArgs ?? "");
  } catch (err) {
    throw wrap(err instanceof Error ? err.message : String(err));
  }
  const { output, diags } = convert(source.text, format, extraArgs);
  if (conversionFails(diags, conversion.bypassErrors ?? false)) throw wrap(diags.toString());
  return [{ name: source.name, text: output ?? "" }];
}

/** Alloy's config hash: sha256 over the sources' contents, sorted by name. */
export function hashSources(sources: readonly ConfigSource[]): string {
  const h = createHash("sha256");
  for (const s of [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) h.update(s.text);
  return h.digest("hex");
}
