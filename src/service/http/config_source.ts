// `<prefix>/api/v0/web/config`: the running config as the UI's config page shows it —
// formatted as `alloy fmt` prints it, secrets redacted, each component block mapped to
// its line. Not an Alloy endpoint; ours, for the config page.
//
// A value is redacted when the running component decoded it into a secret (its arguments
// hold a `(secret)` capsule there). Blocks the runtime does not describe (config blocks
// such as `http` or `remotecfg`, components that failed to evaluate, module bodies) fall
// back to attribute names that usually hold credentials, so nothing leaks while a
// component is unhealthy.

import type { Hono } from "hono";
import type { AttributeStmt, Body, BlockStmt, Expr, File, Stmt } from "../../syntax/ast.ts";
import { parseFile } from "../../syntax/parser.ts";
import { printFile } from "../../syntax/printer/index.ts";
import type { ConfigSource, Runtime } from "../../runtime/runtime.ts";

/** One component block of a file and the 1-based line of its header in `text`. */
export interface ConfigBlockLink {
  id: string;
  line: number;
}

export interface ConfigFileView {
  name: string;
  /** Formatted text with secrets redacted; the source verbatim is never sent. */
  text: string;
  components: ConfigBlockLink[];
  /** Set when the file does not parse; `text` is then empty rather than unredacted. */
  error?: string;
}

export interface ConfigView {
  files: ConfigFileView[];
}

const SECRET_TEXT = '"(secret)"';
/** Attribute names that usually carry credentials, for blocks without runtime type information. */
const SENSITIVE_NAME = /pass|secret|token|key|credential|auth|bearer|cookie|private|signature|dsn|api_?key/i;

type JsonNode = { name?: unknown; type?: unknown; value?: unknown; body?: unknown; label?: unknown };

const asNodes = (v: unknown): JsonNode[] => (Array.isArray(v) ? (v as JsonNode[]) : []);

/** Whether an alloyjson value holds a secret anywhere inside it. */
function holdsSecret(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsSecret);
  if (v === null || typeof v !== "object") return false;
  const o = v as { type?: unknown; value?: unknown; key?: unknown };
  if (o.type === "capsule" && o.value === "(secret)") return true;
  return holdsSecret(o.value);
}

/** Whether an expression contains a literal a secret could be written in (strings and numbers). */
function hasLiteral(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasLiteral);
  if (node === null || typeof node !== "object") return false;
  const o = node as { kind?: unknown; literal?: unknown };
  if (o.kind === "literal") return o.literal === "STRING" || o.literal === "NUMBER" || o.literal === "FLOAT";
  return Object.values(node).some((v) => typeof v === "object" && hasLiteral(v));
}

const secretLiteral = (e: Expr): Expr => ({ kind: "literal", literal: "STRING", raw: SECRET_TEXT, start: e.start, end: e.end });

/**
 * Returns a copy of `body` where every secret attribute's value is a `"(secret)"` literal.
 * `json` is the runtime's alloyjson body for the same block, undefined when unknown.
 */
function redactBody(body: Body, json: JsonNode[] | undefined): Body {
  const seen = new Map<string, number>();
  return body.map((s): Stmt => {
    if (s.kind === "attribute") {
      const known = json?.find((n) => n.type === "attr" && n.name === s.name.name);
      const secret = known ? holdsSecret(known.value) : SENSITIVE_NAME.test(s.name.name);
      return secret && hasLiteral(s.value) ? ({ ...s, value: secretLiteral(s.value) } satisfies AttributeStmt) : s;
    }
    const name = s.name.join(".");
    const index = seen.get(name) ?? 0;
    seen.set(name, index + 1);
    const inner = json ? asNodes(json.filter((n) => n.type === "block" && n.name === name)[index]?.body) : undefined;
    const matched = json ? json.filter((n) => n.type === "block" && n.name === name)[index] !== undefined : false;
    return { ...s, body: redactBody(s.body, matched ? inner : undefined) } satisfies BlockStmt;
  });
}

const blockID = (b: BlockStmt): string => (b.label === undefined ? b.name.join(".") : `${b.name.join(".")}.${b.label}`);

/** Formats one source with secrets redacted, using `runtime` for type information. */
export function configFileView(source: ConfigSource, runtime: Runtime | undefined): ConfigFileView {
  const { file, diagnostics } = parseFile(source.name, source.text);
  if (diagnostics.some((d) => d.severity === "error")) {
    return { name: source.name, text: "", components: [], error: diagnostics.map((d) => d.message).join("; ") };
  }
  const components: ConfigBlockLink[] = [];
  const body = file.body.map((s): Stmt => {
    if (s.kind === "attribute") return hasLiteral(s.value) && SENSITIVE_NAME.test(s.name.name) ? { ...s, value: secretLiteral(s.value) } : s;
    const info = runtime?.component(blockID(s));
    if (info) components.push({ id: blockID(s), line: 0 });
    return { ...s, body: redactBody(s.body, info ? asNodes(info.arguments) : undefined) };
  });
  const redacted: File = { ...file, body };
  const text = printFile(redacted, { redactSecret: () => false });
  locateBlocks(text, file.body, components);
  return { name: source.name, text, components };
}

/** Fills in each component's header line by walking the printed text in statement order. */
function locateBlocks(text: string, body: Body, components: ConfigBlockLink[]): void {
  const lines = text.split("\n");
  const wanted = new Map(components.map((c) => [c.id, c]));
  let from = 0;
  for (const s of body) {
    if (s.kind !== "block") continue;
    const name = s.name.join(".");
    for (let i = from; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.startsWith(name) && (l[name.length] === " " || l[name.length] === "{")) {
        const link = wanted.get(blockID(s));
        if (link && link.line === 0) link.line = i + 1;
        from = i + 1;
        break;
      }
    }
  }
}

/** The whole running config; sources in the order the runtime loaded them. */
export function configView(sources: readonly ConfigSource[], runtime: Runtime | undefined): ConfigView {
  return { files: sources.map((s) => configFileView(s, runtime)) };
}

/** Adds `GET <api>/config`; `sources` returns the config last loaded (undefined before one). */
export function registerConfigRoute(app: Hono, api: string, sources: (() => readonly ConfigSource[] | undefined) | undefined, runtime: () => Runtime | undefined): void {
  app.get(`${api}/config`, () => {
    const loaded = sources?.();
    if (!loaded) {
      return new Response("the running configuration is not available\n", {
        status: 503,
        headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" },
      });
    }
    return new Response(JSON.stringify(configView(loaded, runtime())), {
      headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
    });
  });
}
