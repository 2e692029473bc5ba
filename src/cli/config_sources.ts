// Reads `alloy run`/`validate`'s config path: a file, or the top-level `*.alloy`
// files of a directory in filename order (subdirectories are not searched).

import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ConfigSource } from "../runtime/runtime.ts";
import { conversionUnsupported } from "./convert.ts";
import { fsErrorText } from "./read_input.ts";
import type { ConfigFormat } from "./run_flags.ts";

export class ConfigReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigReadError";
  }
}

export async function readConfigSources(path: string, format: ConfigFormat = "alloy"): Promise<ConfigSource[]> {
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
  if (format !== "alloy") throw wrap(conversionUnsupported(format));
  return [source];
}

/** Alloy's config hash: sha256 over the sources' contents, sorted by name. */
export function hashSources(sources: readonly ConfigSource[]): string {
  const h = createHash("sha256");
  for (const s of [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) h.update(s.text);
  return h.digest("hex");
}
