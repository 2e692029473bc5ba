// Fetching module content for import.file, import.string, import.http and
// import.git, and turning it into declares (and nested imports) ready to use.

import { readdirSync, readFileSync, statSync } from "node:fs";
import * as fs from "node:fs";
import { dirname, join, resolve } from "node:path";
// isomorphic-git is loaded on first use: it costs ~16 MiB of resident memory and
// most configs never use import.git.
async function loadGit(): Promise<{ git: typeof import("isomorphic-git").default; http: typeof import("isomorphic-git/http/node").default }> {
  const [g, h] = await Promise.all([import("isomorphic-git"), import("isomorphic-git/http/node")]);
  return { git: g.default, http: h.default };
}
import type { BlockStmt } from "../syntax/ast.ts";
import { DiagnosticsError } from "../syntax/diag.ts";
import { parseFile } from "../syntax/parser.ts";
import { newObject, type StabilityLevel } from "../syntax/value.ts";
import { Scope } from "../syntax/vm.ts";
import * as schema from "../syntax/schema/index.ts";
import { importArgs, importFileArgs, importGitArgs, importHTTPArgs, importStringArgs } from "./config_specs.ts";
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
  /** Files or directories to watch (import.file with the fsnotify detector, nested ones included). */
  watchPaths: string[];
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
  let files: ModuleFile[];
  let dir = modulePath;
  let pollMs: number | undefined;
  const watchPaths: string[] = [];
  const opts = { file, stability: env.stability, range: { start: block.start, end: block.end } };
  switch (kind) {
    case "import.file": {
      const args = schema.decodeBody(importFileArgs, block.body, scope, opts);
      const path = resolve(modulePath, args.filename);
      ({ files, dir } = readFileOrDir(path));
      pollMs = args.poll_frequency;
      if (args.detector === "fsnotify") watchPaths.push(path);
      break;
    }
    case "import.string": {
      const args = schema.decodeBody(importStringArgs, block.body, scope, opts);
      files = [{ name: `${block.label}`, text: args.content.value }];
      break;
    }
    case "import.http": {
      const args = schema.decodeBody(importHTTPArgs, block.body, scope, opts);
      const c = args.client;
      const headers = new Headers();
      for (const [k, vs] of Object.entries(c.http_headers)) for (const v of vs) headers.append(k, v.value);
      for (const [k, v] of Object.entries(args.headers)) headers.set(k, v);
      const fileOr = (secret: { value: string } | undefined, file: string) => (file !== "" ? readFileSync(file, "utf8").trim() : (secret?.value ?? ""));
      if (c.basic_auth) headers.set("Authorization", `Basic ${btoa(`${c.basic_auth.username}:${fileOr(c.basic_auth.password, c.basic_auth.password_file)}`)}`);
      else if (c.authorization) headers.set("Authorization", `${c.authorization.type} ${fileOr(c.authorization.credentials, c.authorization.credentials_file)}`);
      else if (c.bearer_token || c.bearer_token_file !== "") headers.set("Authorization", `Bearer ${fileOr(c.bearer_token, c.bearer_token_file)}`);
      const t = c.tls_config;
      const pem = (text: string, file: string) => (text !== "" ? text : file !== "" ? readFileSync(file, "utf8") : undefined);
      const tls = t
        ? { rejectUnauthorized: !t.insecure_skip_verify, ca: pem(t.ca_pem, t.ca_file), cert: pem(t.cert_pem, t.cert_file), key: t.key_pem?.value ?? pem("", t.key_file), serverName: t.server_name || undefined }
        : undefined;
      const proxy = c.proxy_url !== "" ? c.proxy_url : undefined;
      const res = await env.fetch(args.url, {
        method: args.method,
        headers,
        redirect: c.follow_redirects ? "follow" : "manual",
        signal: AbortSignal.timeout(args.poll_timeout),
        ...({ tls, proxy } as object),
      });
      if (!res.ok) throw new Error(`unexpected status code ${res.status} fetching ${args.url}`);
      files = [{ name: args.url, text: await res.text() }];
      pollMs = args.poll_frequency;
      break;
    }
    case "import.git": {
      const args = schema.decodeBody(importGitArgs, block.body, scope, opts);
      const auth = args.basic_auth ? { username: args.basic_auth.username, password: args.basic_auth.password?.value ?? "" } : undefined;
      const checkout = await gitCheckout(args.repository, args.revision, env.dataDir(), auth);
      ({ files, dir } = readFileOrDir(join(checkout, args.path)));
      pollMs = args.pull_frequency;
      break;
    }
    default:
      throw new Error(`unknown import block ${kind}`);
  }
  const module: ImportedModule = { declares: new Map(), imports: new Map(), contentKey: "" };
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
      } else if (importArgs[name] && stmt.label) {
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
    // The whole tree is re-read together: poll at the fastest period and watch every file.
    if (child.pollMs !== undefined) pollMs = pollMs === undefined ? child.pollMs : Math.min(pollMs, child.pollMs);
    watchPaths.push(...child.watchPaths);
  }
  for (const [k, d] of module.declares) {
    registry.declares.set(k, d);
    d.contentKey = contentKey;
  }
  module.contentKey = contentKey;
  return { module, contentKey, pollMs, watchPaths };
}

function readFileOrDir(path: string): { files: ModuleFile[]; dir: string } {
  if (statSync(path).isDirectory()) {
    const names = readdirSync(path).filter((n) => n.endsWith(".alloy")).sort();
    return { files: names.map((n) => ({ name: join(path, n), text: readFileSync(join(path, n), "utf8") })), dir: path };
  }
  return { files: [{ name: path, text: readFileSync(path, "utf8") }], dir: dirname(path) };
}

/** Clone (or fetch) `repository` into `dataDir` and check out `revision`; returns the work tree. */
async function gitCheckout(
  repository: string,
  revision: string,
  dataDir: string,
  auth: { username: string; password: string } | undefined,
): Promise<string> {
  const dir = join(dataDir, "repo");
  const { git, http } = await loadGit();
  // A path (absolute, or relative to the working directory as go-git treats it) or file:// URL is local.
  const isURL = /^[a-z][a-z0-9+.-]*:\/\//i.test(repository) || /^[^/\s]+@[^/\s]+:/.test(repository);
  const url = isURL ? repository : `file://${resolve(repository)}`;
  const local = url.startsWith("file://") ? url.slice("file://".length) : undefined;
  if (local) return localCheckout(local, revision, dir);
  const exists = fs.existsSync(join(dir, ".git"));
  if (!exists) {
    fs.mkdirSync(dir, { recursive: true });
    await git.clone({ fs, http, dir, url, noCheckout: true, onAuth: auth ? () => auth : undefined });
  } else {
    await git.fetch({ fs, http, dir, url, tags: true, onAuth: auth ? () => auth : undefined });
  }
  const oid = await resolveRevision(dir, revision);
  await git.checkout({ fs, dir, ref: oid, force: true });
  return dir;
}

/** isomorphic-git has no file:// transport: read objects from the local repository directly. */
async function localCheckout(gitdirOrRepo: string, revision: string, dir: string): Promise<string> {
  const { git } = await loadGit();
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
  const { git } = await loadGit();
  const opts = gitdir ? { fs, gitdir } : { fs, dir };
  // A clone's own branches go stale after fetches: its remote-tracking branches come first.
  const order =
    gitdir === undefined && revision !== "HEAD"
      ? [`refs/remotes/origin/${revision}`, `refs/tags/${revision}`, revision, `refs/heads/${revision}`]
      : [revision, `refs/remotes/origin/${revision}`, `refs/tags/${revision}`, `refs/heads/${revision}`];
  if (gitdir === undefined && revision === "HEAD") order.unshift("refs/remotes/origin/HEAD");
  for (const ref of order) {
    try {
      return await git.resolveRef({ ...opts, ref });
    } catch {
      // try the next spelling
    }
  }
  if (/^[0-9a-f]{4,40}$/.test(revision)) return git.expandOid({ ...opts, oid: revision });
  throw new Error(`revision "${revision}" not found`);
}
