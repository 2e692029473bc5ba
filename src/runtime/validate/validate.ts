// `alloy validate`: static checks of a config without running anything —
// classification, labels, duplicates, component names and stability, static
// type checks, references and cycles — reported in Alloy's validator order.

import type { BlockStmt, Body } from "../../syntax/ast.ts";
import type { Diagnostic } from "../../syntax/diag.ts";
import { parseFile } from "../../syntax/parser.ts";
import * as schema from "../../syntax/schema/index.ts";
import type { StabilityLevel } from "../../syntax/value.ts";
import { DEPRECATED_IDENTIFIERS, EXPERIMENTAL_IDENTIFIERS } from "../../syntax/stdlib/index.ts";
import { DEPRECATION_MESSAGE } from "../../syntax/vm.ts";
import { stabilityError, type ComponentDefinition } from "../component.ts";
import { argumentArgs, exportArgs, foreachArgs, importArgs, loggingArgs, tracingArgs } from "../config_specs.ts";
import type { ServiceDefinition } from "../env.ts";
import { nameRange, nodeID } from "../loader.ts";
import { resolveTraversal, traversalEnd, traversalName, traversalsFromBody } from "../references.ts";
import type { ConfigSource } from "../runtime.ts";
import { isStdlibName } from "../schema_bridge.ts";
import { defaultServices } from "../services.ts";
import { VGraph, type VNode, type VState } from "./vgraph.ts";

export interface ValidateOptions {
  stability: StabilityLevel;
  communityComponents: boolean;
  components: readonly ComponentDefinition[];
  services?: readonly ServiceDefinition[];
}

interface Blk {
  block: BlockStmt;
  file: string;
}

type Registration = { ok: true; args: schema.BlockSchema | undefined } | { ok: false; message: string };

/** Custom components visible in a scope, then the built-in registry. */
class VRegistry {
  readonly custom = new Map<string, schema.BlockSchema | undefined>();
  constructor(
    private readonly parent: VRegistry | undefined,
    private readonly builtin: (name: string) => Registration,
  ) {}
  get(name: string): Registration {
    const first = name.split(".")[0]!;
    if (this.custom.has(first)) return { ok: true, args: this.custom.get(first) };
    return this.parent ? this.parent.get(name) : this.builtin(name);
  }
}

const configNames = new Set(["foreach", "argument", "export", "logging", "tracing", ...Object.keys(importArgs)]);

function err(file: string, start: Diagnostic["start"], end: Diagnostic["end"], message: string): Diagnostic {
  return { severity: "error", message, file, start, end };
}

/** Validates sources (merged in name order) and returns every diagnostic, warnings included. */
export function validateConfig(sources: ConfigSource[], opts: ValidateOptions): Diagnostic[] {
  const sorted = [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parseDiags: Diagnostic[] = [];
  const blocks: Blk[] = [];
  for (const s of sorted) {
    const { file, diagnostics } = parseFile(s.name, s.text);
    if (diagnostics.length > 0) {
      parseDiags.push(...diagnostics);
      continue;
    }
    for (const st of file.body) {
      if (st.kind === "attribute") {
        parseDiags.push(err(s.name, st.name.start, st.name.end, `unrecognized attribute ${st.name.name}`));
        break;
      }
      blocks.push({ block: st, file: s.name });
    }
  }
  if (parseDiags.length > 0) return parseDiags;

  const components = new Map(opts.components.map((c) => [c.name, c]));
  const services = new Map((opts.services ?? defaultServices()).map((s) => [s.name, s]));
  const builtin = (name: string): Registration => {
    const def = components.get(name);
    if (!def) return { ok: false, message: `cannot find the definition of component name "${name}"` };
    if (def.community) {
      if (!opts.communityComponents) {
        return { ok: false, message: `the component "${name}" is a community component. Use the --feature.community-components.enabled command-line flag to enable community components` };
      }
      return { ok: true, args: def.args };
    }
    const msg = stabilityError(def.stability, opts.stability, `component "${name}"`);
    return msg ? { ok: false, message: msg } : { ok: true, args: def.args };
  };
  const v = new Validator(opts.stability, services);
  const split = classify(blocks, services, []);
  const root: VState = {
    root: true,
    foreach: false,
    graph: new VGraph(),
    // Alloy's module and foreach scopes share the root's variable map, so names leak upwards.
    scope: new Set(["module_path"]),
    arguments: [],
  };
  const registry = new VRegistry(undefined, builtin);
  v.validate(root, split, registry);
  return v.validateGraph(root, registry);
}

interface Split {
  declares: Blk[];
  configs: Blk[];
  components: Blk[];
  services: Blk[];
}

function classify(blocks: Blk[], services: Map<string, ServiceDefinition>, diags: Diagnostic[], body?: { file: string; body: Body }): Split {
  const out: Split = { declares: [], configs: [], components: [], services: [] };
  if (body) {
    blocks = [];
    for (const st of body.body) {
      if (st.kind === "attribute") {
        diags.push(err(body.file, st.start, st.end, "unsupported statement type *ast.AttributeStmt"));
        continue;
      }
      blocks.push({ block: st, file: body.file });
    }
  }
  for (const b of blocks) {
    const name = b.block.name.join(".");
    if (configNames.has(name)) out.configs.push(b);
    else if (name === "declare") out.declares.push(b);
    else if (services.has(nodeID(b.block))) out.services.push(b);
    else out.components.push(b);
  }
  return out;
}

class Validator {
  constructor(
    private readonly stability: StabilityLevel,
    private readonly services: Map<string, ServiceDefinition>,
  ) {}

  private newNode(b: Blk, kind: VNode["kind"]): VNode {
    return { id: nodeID(b.block), block: b.block, file: b.file, kind, diags: [], body: b.block.body };
  }

  /** Alloy's blockAlreadyDefined: the duplicate gets a unique ID so it is still checked. */
  private dedupe(mem: Map<string, Blk>, n: VNode, b: Blk, i: number): boolean {
    const orig = mem.get(n.id);
    if (orig) {
      const p = orig.block.start;
      n.diags.push(err(b.file, ...nameRangeArr(b.block, n.id.length), `block ${n.id} already declared at ${orig.file}:${p.line}:${p.column}`));
      n.id = `${n.id}-${i}`;
      return true;
    }
    mem.set(n.id, b);
    return false;
  }

  private disallowed(s: VState, b: Blk): Diagnostic | undefined {
    const id = nodeID(b.block);
    if (!s.root) return err(b.file, ...nameRangeArr(b.block, id.length), `${id} not allowed in module`);
    if (s.foreach) return err(b.file, ...nameRangeArr(b.block, id.length), `${id} not allowed in foreach`);
    return undefined;
  }

  private missingLabel(b: Blk): Diagnostic | undefined {
    if (b.block.label) return undefined;
    const name = b.block.name.join(".");
    return err(b.file, ...nameRangeArr(b.block), `${name} block must have a label`);
  }

  validate(s: VState, split: Split, cr: VRegistry): void {
    this.validateDeclares(s, split.declares, cr);
    this.validateConfigs(s, split.configs, cr);
    const mem = new Map<string, Blk>();
    split.components.forEach((b, i) => {
      const n = this.newNode(b, "component");
      if (!b.block.label) n.diags.push(err(b.file, ...nameRangeArr(b.block), `component "${b.block.name.join(".")}" must have a label`));
      this.dedupe(mem, n, b, i);
      s.graph.add(n);
    });
    const smem = new Map<string, Blk>();
    split.services.forEach((b, i) => {
      const n = this.newNode(b, "node");
      this.dedupe(smem, n, b, i);
      const d = this.disallowed(s, b);
      if (d) n.diags.push(d);
      const def = this.services.get(nodeID(b.block))!;
      if (!def.args) n.diags.push(err(b.file, b.block.start, b.block.end, `service "${def.name}" does not support being configured`));
      else n.args = def.args;
      s.graph.add(n);
    });
  }

  private validateDeclares(s: VState, declares: Blk[], cr: VRegistry): void {
    const mem = new Map<string, Blk>();
    declares.forEach((b, i) => {
      const n = this.newNode(b, "module");
      if (!b.block.label) n.diags.push(err(b.file, ...nameRangeArr(b.block), "declare block must have a label"));
      this.dedupe(mem, n, b, i);
      const sub: VState = { root: false, foreach: false, graph: new VGraph(), scope: s.scope, arguments: [] };
      const split = classify([], this.services, n.diags, { file: b.file, body: b.block.body });
      n.body = [];
      const subCR = new VRegistry(cr, () => ({ ok: false, message: "" }));
      this.validate(sub, split, subCR);
      n.state = sub;
      n.registry = subCR;
      s.graph.add(n);
      if (b.block.label) {
        s.scope.add("argument");
        cr.custom.set(b.block.label, argumentsSchema(sub.arguments));
      }
    });
  }

  private validateConfigs(s: VState, configs: Blk[], cr: VRegistry): void {
    const mem = new Map<string, Blk>();
    configs.forEach((b, i) => {
      const n = this.newNode(b, "node");
      const register = !this.dedupe(mem, n, b, i);
      const name = b.block.name.join(".");
      switch (name) {
        case "logging":
        case "tracing": {
          n.args = name === "logging" ? loggingArgs : tracingArgs;
          const d = this.disallowed(s, b);
          if (d) n.diags.push(d);
          s.graph.add(n);
          return;
        }
        case "foreach":
          this.validateForeach(s, n, b, cr);
          return;
        case "argument":
        case "export": {
          n.args = name === "argument" ? argumentArgs : exportArgs;
          if (s.root) n.diags.push(err(b.file, b.block.start, b.block.end, `${name} blocks only allowed inside a module`));
          const d = this.missingLabel(b);
          if (d) n.diags.push(d);
          else if (name === "argument" && register) s.arguments.push(b.block);
          s.graph.add(n);
          return;
        }
        default: {
          const d = this.missingLabel(b);
          if (d) n.diags.push(d);
          n.args = importArgs[name];
          s.graph.add(n);
          if (!d && register) cr.custom.set(b.block.label!, undefined);
        }
      }
    });
  }

  private validateForeach(s: VState, n: VNode, b: Blk, cr: VRegistry): void {
    const msg = stabilityError("experimental", this.stability, `foreach block "foreach"`);
    if (msg) n.diags.push(err(b.file, ...nameRangeArr(b.block), msg));
    const d = this.missingLabel(b);
    if (d) n.diags.push(d);
    const template = b.block.body.find((st): st is BlockStmt => st.kind === "block" && st.name.join(".") === "template");
    n.body = b.block.body.filter((st) => st !== template);
    n.args = foreachArgs;
    n.kind = "foreach";
    if (!template) {
      n.diags.push(err(b.file, b.block.start, b.block.end, `missing required block "template"`));
      n.kind = "node";
      s.graph.add(n);
      return;
    }
    const sub: VState = { root: s.root, foreach: true, graph: new VGraph(s.graph), scope: s.scope, arguments: [] };
    const split = classify([], this.services, n.diags, { file: b.file, body: template.body });
    for (const st of n.body) {
      if (st.kind === "attribute" && st.name.name === "var" && st.value.kind === "literal" && st.value.literal === "STRING") {
        s.scope.add(JSON.parse(st.value.raw) as string);
      }
    }
    const subCR = new VRegistry(cr, () => ({ ok: false, message: "" }));
    this.validate(sub, split, subCR);
    n.state = sub;
    n.registry = subCR;
    s.graph.add(n);
  }

  validateGraph(s: VState, cr: VRegistry): Diagnostic[] {
    const diags: Diagnostic[] = [];
    for (const n of s.graph.inOrder()) {
      if (n.kind === "component") {
        const name = n.block.name.join(".");
        const reg = cr.get(name);
        if (!reg.ok) {
          diags.push(...n.diags, err(n.file, ...nameRangeArr(n.block), reg.message));
          continue;
        }
        diags.push(...n.diags);
        if (!reg.args) continue;
        diags.push(...schema.typecheckBlock(reg.args, n.block, n.file));
      } else {
        diags.push(...n.diags);
        if (n.args) diags.push(...schema.typecheckBlock(n.args, { ...n.block, body: n.body }, n.file));
        if (n.state) diags.push(...this.validateGraph(n.state, n.registry as VRegistry));
      }
      diags.push(...this.references(n, s));
    }
    for (const cycle of s.graph.cycles()) {
      const names = cycle.map((c) => c.id).sort();
      for (const id of names) {
        const c = s.graph.get(id)!;
        diags.push(err(c.file, c.block.start, { ...c.block.lcurly, column: c.block.lcurly.column + 1, offset: c.block.lcurly.offset + 1 }, `cycle detected: ${names.join(", ")}`));
      }
    }
    for (const n of s.graph.selfReferencing()) {
      diags.push(err(n.file, n.block.start, { ...n.block.lcurly, column: n.block.lcurly.column + 1, offset: n.block.lcurly.offset + 1 }, "cannot reference self"));
    }
    return diags;
  }

  private references(n: VNode, s: VState): Diagnostic[] {
    const diags: Diagnostic[] = [];
    for (const t of traversalsFromBody(n.body)) {
      const target = resolveTraversal(t, (id) => s.graph.getByID(id) !== undefined);
      const root = t[0]!.name;
      const scopeMatch = s.scope.has(root) || isStdlibName(root);
      if (target === undefined && !scopeMatch) {
        diags.push(err(n.file, t[0]!.start, traversalEnd(t), `component "${traversalName(t)}" does not exist or is out of scope`));
        continue;
      }
      if (target !== undefined) {
        if (isStdlibName(root)) {
          diags.push({ severity: "warning", message: "a component is shadowing an existing stdlib name", file: n.file, start: t[0]!.start, end: t[0]!.end });
        }
        if (!s.graph.isFromParent(target)) s.graph.addEdge(n.id, target);
      } else if (DEPRECATED_IDENTIFIERS.has(root)) {
        diags.push({ severity: "warning", message: DEPRECATION_MESSAGE, file: n.file, start: t[0]!.start, end: traversalEnd(t) });
      } else if (EXPERIMENTAL_IDENTIFIERS.has(traversalName(t))) {
        const msg = stabilityError("experimental", this.stability, traversalName(t));
        if (msg) diags.push(err(n.file, t[0]!.start, traversalEnd(t), msg));
      }
    }
    return diags;
  }
}

function nameRangeArr(b: BlockStmt, len?: number): [Diagnostic["start"], Diagnostic["end"]] {
  const r = nameRange(b, len);
  return [r.start, r.end];
}

/** A custom component's arguments: one `any` attribute per argument block, required unless `optional = true`. */
function argumentsSchema(args: BlockStmt[]): schema.BlockSchema {
  const fields: Record<string, schema.Field> = {};
  for (const a of args) {
    const optional = a.body.some(
      (st) => st.kind === "attribute" && st.name.name === "optional" && st.value.kind === "literal" && st.value.raw === "true",
    );
    fields[a.label!] = optional ? schema.attr(schema.any, { optional: true }) : schema.attr(schema.any);
  }
  return schema.block(fields);
}
