// Fetching module content for import.file, import.string, import.http and
// import.git, and turning it into declares (and nested imports) ready to use.

import { readdirSync, readFileSync, statSync } from "node:fs";
import * as fs from "node:fs";
import { dirname, join, resolve } from "node:path";
import git from "isomorphic-git";
import http from "isomorphic-git/http/node";
import type { BlockStmt } from "../syntax/ast.ts";
import { DiagnosticsError } from "../syntax/diag.ts";
import { parseFile } from "../syntax/parser.ts";
import { Secret, newObject, type ObjectValue, type StabilityLevel } from "../syntax/value.ts";
import { Scope } from "../syntax/vm.ts";
import { parseDuration } from "../syntax/duration.ts";
import { decodeConfigBlock } from "./config_block.ts";
import { importSpecs } from "./config_specs.ts";
import { CustomRegistry, type ImportedModule } from "./custom_registry.ts";

export interface FetchEnv {
  fetch: typeof fetch;
  stability: StabilityLevel;
  /** Where import.git keeps its clones. */
  dataDir: () => string;
}

/** One fetched file of module content. */
interface ModuleFile {
  name: string;
  text: string;
}

export interface FetchedModule {
  module: ImportedModule;
  /** Every byte the module came from, nested imports included: a change means reload. */
  contentKey: string;
  /** Poll period in ms (import.string: undefined). */
  pollMs: number | undefined;
}

/** Decode an import block's arguments, fetch its content and build the module tree. */
export async function fetchImport(
  kind: string,
  block: BlockStmt,
  file: string,
  scope: Scope,
  env: FetchEnv,
  modulePath: string,
  depth = 0,
): Promise<FetchedModule> {
  if (depth > 32) throw new Error("import nesting is too deep");
  const spec = importSpecs[kind];
  if (!spec) throw new Error(`unknown import block ${kind}`);
  const args = decodeConfigBlock(block, file, spec, scope, env.stability);
  let files: ModuleFile[];
  let dir = modulePath;
  let pollMs: number | undefined;
  switch (kind) {
    case "import.file": {
      const path = resolve(modulePath, args.filename as string);
      ({ files, dir } = readFileOrDir(path));
      pollMs = parseDuration(args.poll_frequency as string);
      break;
    }
    case "import.string": {
      const c = args.content;
      const text = c instanceof Secret ? c.value : typeof c === "string" ? c : undefined;
      if (text === undefined) throw new Error("content must be a string or secret");
      files = [{ name: `${block.label}`, text }];
      break;
    }
    case "import.http": {
      const timeout = parseDuration(args.poll_timeout as string);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((args.headers as ObjectValue | undefined) ?? {})) headers[k] = v instanceof Secret ? v.value : String(v);
      const res = await env.fetch(args.url as string, { method: args.method as string, headers, signal: AbortSignal.timeout(timeout) });
      if (!res.ok) throw new Error(`unexpected status code ${res.status} fetching ${args.url as string}`);
      files = [{ name: args.url as string, text: await res.text() }];
      pollMs = parseDuration(args.poll_frequency as string);
      break;
    }
    case "import.git": {
      const checkout = await gitCheckout(args.repository as string, args.revision as string, env.dataDir());
      ({ files, dir } = readFileOrDir(join(checkout, args.path as string)));
      pollMs = parseDuration(args.pull_frequency as string);
      break;
    }
    default:
      throw new Error(`unknown import block ${kind}`);
  }
  const module: ImportedModule = { declares: new Map(), imports: new Map() };
  const registry = new CustomRegistry();
  let contentKey = files.map((f) => `${f.name}\u0000${f.text}`).join("\u0001");
  const nested: Array<{ b: BlockStmt; f: string }> = [];
  for (const f of files) {
    const parsed = parseFile(f.name, f.text);
    if (parsed.diagnostics.length > 0) throw new DiagnosticsError(parsed.diagnostics);
    for (const stmt of parsed.file.body) {
      if (stmt.kind !== "block") throw new Error("only declare and import blocks are allowed in a module");
      const name = stmt.name.join(".");
      if (name === "declare" && stmt.label) {
        module.declares.set(stmt.label, { label: stmt.label, block: stmt, file: f.name, registry, modulePath: dir, contentKey });
      } else if (name.startsWith("import.") && importSpecs[name] && stmt.label) {
        if (module.imports.has(stmt.label)) throw new Error(`import block redefined ${stmt.label}`);
        if (kind === "import.http" && name === "import.file") {
          throw new Error(`importing a module via import.http (nodeID: ${block.name.join(".")}.${block.label}) that contains an import.file block is not supported`);
        }
        nested.push({ b: stmt, f: f.name });
      } else {
        throw new Error(`only declare and import blocks are allowed in a module, got ${name}`);
      }
    }
  }
  const vars = newObject();
  vars.module_path = dir;
  for (const { b, f } of nested) {
    const child = await fetchImport(b.name.join("."), b, f, new Scope(vars), env, dir, depth + 1);
    module.imports.set(b.label!, child.module);
    registry.imports.set(b.label!, child.module);
    contentKey += `\u0002${child.contentKey}`;
  }
  for (const [k, d] of module.declares) {
    registry.declares.set(k, d);
    d.contentKey = contentKey;
  }
  return { module, contentKey, pollMs };
}

function readFileOrDir(path: string): { files: ModuleFile[]; dir: string } {
  if (statSync(path).isDirectory()) {
    const names = readdirSync(path).filter((n) => n.endsWith(".alloy")).sort();
    return { files: names.map((n) => ({ name: join(path, n), text: readFileSync(join(path, n), "utf8") })), dir: path };
  }
  return { files: [{ name: path, text: readFileSync(path, "utf8") }], dir: dirname(path) };
}

/** Clone (or fetch) `repository` into `dataDir` and check out `revision`; returns the work tree. */
async function gitCheckout(repository: string, revision: string, dataDir: string): Promise<string> {
  const dir = join(dataDir, "repo");
  const url = repository.startsWith("/") ? `file://${repository}` : repository;
  const local = url.startsWith("file://") ? url.slice("file://".length) : undefined;
  if (local) return localCheckout(local, revision, dir);
  const exists = fs.existsSync(join(dir, ".git"));
  if (!exists) {
    fs.mkdirSync(dir, { recursive: true });
    await git.clone({ fs, http, dir, url, noCheckout: true });
  } else {
    await git.fetch({ fs, http, dir, url, tags: true });
  }
  const oid = await resolveRevision(dir, revision);
  await git.checkout({ fs, dir, ref: oid, force: true });
  return dir;
}

/** isomorphic-git has no file:// transport: read objects from the local repository directly. */
async function localCheckout(gitdirOrRepo: string, revision: string, dir: string): Promise<string> {
  const gitdir = fs.existsSync(join(gitdirOrRepo, ".git")) ? join(gitdirOrRepo, ".git") : gitdirOrRepo;
  const oid = await resolveRevision(gitdirOrRepo, revision, gitdir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await git.walk({
    fs,
    gitdir,
    trees: [git.TREE({ ref: oid })],
    map: async (path, entries) => {
      const e = entries[0];
      if (!e || path === ".") return true;
      const type = await e.type();
      if (type === "tree") fs.mkdirSync(join(dir, path), { recursive: true });
      else if (type === "blob") fs.writeFileSync(join(dir, path), (await e.content()) ?? new Uint8Array());
      return true;
    },
  });
  return dir;
}

async function resolveRevision(dir: string, revision: string, gitdir?: string): Promise<string> {
  const opts = gitdir ? { fs, gitdir } : { fs, dir };
  for (const ref of [revision, `refs/remotes/origin/${revision}`, `refs/tags/${revision}`, `refs/heads/${revision}`]) {
    try {
      return await git.resolveRef({ ...opts, ref });
    } catch {
      // try the next spelling
    }
  }
  if (/^[0-9a-f]{4,40}$/.test(revision)) return git.expandOid({ ...opts, oid: revision });
  throw new Error(`revision "${revision}" not found`);
}
