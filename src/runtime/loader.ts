// Blocks → graph: classify every top-level block, create (or keep) its node,
// wire references as edges and reject graphs Alloy rejects (unknown component,
// duplicate ID, missing label, misplaced block, unresolved reference, cycle).

import type { Body, BlockStmt, Pos } from "../syntax/ast.ts";
import type { Diagnostic } from "../syntax/diag.ts";
import type { Scope } from "../syntax/vm.ts";
import { DEPRECATED_IDENTIFIERS, EXPERIMENTAL_IDENTIFIERS } from "../syntax/stdlib/index.ts";
import { stabilityError } from "./component.ts";
import { ComponentNode } from "./component_node.ts";
import { ArgumentNode, DeclareNode, ExportNode, LoggingNode, ServiceNode, TracingNode } from "./config_nodes.ts";
import { CustomComponentNode } from "./custom_component_node.ts";
import { CustomRegistry } from "./custom_registry.ts";
import { ForeachNode } from "./foreach_node.ts";
import { Graph } from "./graph.ts";
import { ImportNode } from "./import_node.ts";
import type { LogSettings } from "./logger.ts";
import type { NodeHost, RuntimeNode } from "./node.ts";
import { resolveTraversal, traversalEnd, traversalName, traversalsFromBody, type Traversal } from "./references.ts";

/** One file's top-level body, as a controller loads it. */
export interface SourceBody {
  file: string;
  body: Body;
}

export interface LoaderContext {
  host: NodeHost;
  /** Module (declare/import body or foreach template) rather than the root config. */
  inModule: boolean;
  inForeach: boolean;
  /** Nodes of the previous graph, kept when the same ID reappears with the same kind. */
  previous: Graph<RuntimeNode> | undefined;
  /** Names resolvable without a node (stdlib, module_path, foreach variables). */
  scope: Scope;
  isStdlibName(name: string): boolean;
  logSettings: LogSettings;
  /** The lexically enclosing registry (the declare's or the parent module's). */
  parentRegistry: CustomRegistry | undefined;
  /** Node lookup in enclosing graphs (foreach templates may reference outer components). */
  outerHasNode?: (id: string) => boolean;
}

/** A resolved reference: the node referred to and the export field read (`receiver`). */
export interface Reference {
  target: string;
  field: string | undefined;
}

export interface BuiltGraph {
  graph: Graph<RuntimeNode>;
  /** Per node, every reference in source order (for data-flow edges in the UI). */
  references: Map<string, Reference[]>;
  /** Hands kept nodes their new blocks; call only when the graph is applied. */
  commit(): void;
  registry: CustomRegistry;
  diagnostics: Diagnostic[];
}

export const importBlockNames = ["import.file", "import.string", "import.http", "import.git"];
const configBlockNames = new Set(["logging", "tracing", "argument", "export", "foreach", ...importBlockNames]);

function posAdd(p: Pos, n: number): Pos {
  return { offset: p.offset + n, line: p.line, column: p.column + n };
}

/** The range of a block's name, as Alloy underlines it. */
export function nameRange(b: BlockStmt, len = b.name.join(".").length): { start: Pos; end: Pos } {
  return { start: b.namePos, end: posAdd(b.namePos, len) };
}

function err(file: string, start: Pos | undefined, end: Pos | undefined, message: string): Diagnostic {
  return { severity: "error", message, file, start, end };
}

export function nodeID(b: BlockStmt): string {
  const name = b.name.join(".");
  return b.label !== undefined && b.label !== "" ? `${name}.${b.label}` : name;
}

export function buildGraph(sources: SourceBody[], ctx: LoaderContext): BuiltGraph {
  const { host } = ctx;
  const env = host.env;
  const diags: Diagnostic[] = [];
  const graph = new Graph<RuntimeNode>();
  const registry = new CustomRegistry(ctx.parentRegistry);
  const firstAt = new Map<string, { block: BlockStmt; file: string }>();
  // Kept nodes get their new blocks only once the whole graph is accepted.
  const pending = new Map<RuntimeNode, { block: BlockStmt; file: string }>();
  const blockOf = (n: RuntimeNode): BlockStmt => pending.get(n)?.block ?? n.block;
  const fileOf = (n: RuntimeNode): string => pending.get(n)?.file ?? n.file;
  const blocks: Array<{ block: BlockStmt; file: string }> = [];

  for (const src of sources) {
    for (const stmt of src.body) {
      if (stmt.kind !== "block") {
        diags.push(err(src.file, stmt.name.start, stmt.name.end, `unrecognized attribute ${stmt.name.name}`));
        continue;
      }
      blocks.push({ block: stmt, file: src.file });
    }
  }

  // Declares and imports first: custom component classification needs them.
  for (const { block, file } of blocks) {
    const name = block.name.join(".");
    if (name === "declare") {
      if (!block.label) diags.push(err(file, ...rangeOf(nameRange(block)), "declare block must have a label"));
      else if (block.label === "declare") diags.push(err(file, block.start, block.end, "'declare' is not a valid label for a declare block"));
      else if (!registry.declares.has(block.label)) {
        registry.declares.set(block.label, {
          label: block.label,
          block,
          file,
          registry,
          modulePath: host.modulePath,
          contentKey: "",
        });
      }
    } else if (importBlockNames.includes(name) && block.label) {
      const prev = ctx.previous?.get(nodeID(block));
      registry.imports.set(block.label, prev instanceof ImportNode ? prev.module : undefined);
    }
  }

  for (const { block, file } of blocks) {
    const name = block.name.join(".");
    const id = nodeID(block);
    const dup = firstAt.get(id);
    if (dup && env.services.has(id) && !ctx.inModule) {
      diags.push(err(file, block.start, block.end, `duplicate definition of "${id}"`));
      continue;
    }
    if (dup) {
      const p = dup.block.start;
      diags.push(err(file, ...rangeOf(nameRange(block, id.length)), `block ${id} already declared at ${dup.file}:${p.line}:${p.column}`));
      continue;
    }
    firstAt.set(id, { block, file });
    const prev = ctx.previous?.get(id);
    const reuse = <T extends RuntimeNode>(cls: abstract new (...a: never[]) => T): T | undefined => {
      if (prev instanceof cls) {
        pending.set(prev, { block, file });
        return prev;
      }
      return undefined;
    };

    let node: RuntimeNode | undefined;
    if (name === "declare") {
      if (!block.label || block.label === "declare") continue;
      node = reuse(DeclareNode) ?? new DeclareNode(id, block, file, host);
    } else if (configBlockNames.has(name)) {
      node = configNode(name, id, block, file, ctx, diags, reuse);
    } else if (!ctx.inModule && !ctx.inForeach && env.services.has(id)) {
      const def = env.services.get(id)!;
      const msg = stabilityError(def.stability, env.stability, `block "${id}"`);
      if (msg) {
        diags.push(err(file, block.start, block.end, msg));
        continue;
      }
      node = reuse(ServiceNode) ?? new ServiceNode(id, block, file, host, def);
    } else if (env.services.has(id)) {
      diags.push(err(file, block.start, block.end, `service blocks not allowed inside a module: "${id}"`));
      continue;
    } else if (registry.isCustom(block.name[0]!)) {
      // Alloy's runtime does not require a label on custom component instances.
      node = reuse(CustomComponentNode) ?? new CustomComponentNode(id, block, file, host);
    } else {
      const def = env.components.get(name);
      if (!def) {
        diags.push(err(file, ...rangeOf(nameRange(block)), `cannot find the definition of component name "${name}"`));
        continue;
      }
      if (def.community) {
        if (!env.communityComponents) {
          diags.push(err(file, ...rangeOf(nameRange(block)), `the component "${name}" is a community component. Use the --feature.community-components.enabled command-line flag to enable community components`));
          continue;
        }
      } else {
        const msg = stabilityError(def.stability, env.stability, `component "${name}"`);
        if (msg) {
          diags.push(err(file, ...rangeOf(nameRange(block)), msg));
          continue;
        }
      }
      if (!block.label) {
        diags.push(err(file, ...rangeOf(nameRange(block)), `component "${name}" must have a label`));
        continue;
      }
      node = prev instanceof ComponentNode && prev.def === def ? reuse(ComponentNode) : new ComponentNode(id, block, file, def, host);
    }
    if (node) graph.add(node);
  }

  // Every service is a node at root, configured or not, so removing a block resets it to defaults.
  // `logging` likewise, as Alloy synthesizes a default logging node.
  if (!ctx.inModule && !ctx.inForeach && !graph.has("logging") && !firstAt.has("logging")) {
    const prev = ctx.previous?.get("logging");
    const block = emptyBlock("logging");
    if (prev instanceof LoggingNode) {
      pending.set(prev, { block, file: "" });
      graph.add(prev);
    } else graph.add(new LoggingNode("logging", block, "", host, ctx.logSettings));
  }
  if (!ctx.inModule && !ctx.inForeach) {
    for (const [name, def] of env.services) {
      if (graph.has(name)) continue;
      const prev = ctx.previous?.get(name);
      const block = emptyBlock(name);
      if (prev instanceof ServiceNode) {
        pending.set(prev, { block, file: "" });
        graph.add(prev);
      } else graph.add(new ServiceNode(name, block, "", host, def));
    }
  }

  const references = wireEdges(graph, registry, ctx, diags, blockOf, fileOf);
  if (diags.length === 0) checkCycles(graph, diags);
  return {
    graph,
    registry,
    references,
    diagnostics: diags,
    commit: () => {
      for (const [n, b] of pending) {
        n.block = b.block;
        n.file = b.file;
      }
    },
  };
}

const zeroPos = { offset: 0, line: 0, column: 0 };

/** The block a service gets when the config has none: an empty body decodes to its defaults. */
export function emptyBlock(name: string): BlockStmt {
  return { kind: "block", name: name.split("."), namePos: zeroPos, body: [], lcurly: zeroPos, rcurly: zeroPos, start: zeroPos, end: zeroPos };
}

function rangeOf(r: { start: Pos; end: Pos }): [Pos, Pos] {
  return [r.start, r.end];
}

function configNode(
  name: string,
  id: string,
  block: BlockStmt,
  file: string,
  ctx: LoaderContext,
  diags: Diagnostic[],
  reuse: <T extends RuntimeNode>(cls: abstract new (...a: never[]) => T) => T | undefined,
): RuntimeNode | undefined {
  const { host } = ctx;
  const env = host.env;
  switch (name) {
    case "logging":
    case "tracing":
      // foreach templates run as modules, so they get the module message too (as in Alloy's runtime).
      if (ctx.inModule || ctx.inForeach) {
        diags.push(err(file, block.start, block.end, `${name} block not allowed inside a module`));
        return undefined;
      }
      return name === "logging"
        ? (reuse(LoggingNode) ?? new LoggingNode(id, block, file, host, ctx.logSettings))
        : (reuse(TracingNode) ?? new TracingNode(id, block, file, host));
    case "argument":
    case "export":
      if (!ctx.inModule || ctx.inForeach) {
        diags.push(err(file, block.start, block.end, `${name} blocks only allowed inside a module`));
        return undefined;
      }
      if (!block.label) {
        diags.push(err(file, ...rangeOf(nameRange(block)), `${name} block must have a label`));
        return undefined;
      }
      return name === "argument"
        ? (reuse(ArgumentNode) ?? new ArgumentNode(id, block, file, host))
        : (reuse(ExportNode) ?? new ExportNode(id, block, file, host));
    case "foreach": {
      const msg = stabilityError("experimental", env.stability, `config block "${name}"`);
      if (msg) {
        diags.push(err(file, block.start, block.end, msg));
        return undefined;
      }
      if (!block.label) {
        diags.push(err(file, ...rangeOf(nameRange(block)), `${name} block must have a label`));
        return undefined;
      }
      return reuse(ForeachNode) ?? new ForeachNode(id, block, file, host);
    }
    default:
      if (!block.label) {
        diags.push(err(file, ...rangeOf(nameRange(block)), `${name} block must have a label`));
        return undefined;
      }
      return reuse(ImportNode) ?? new ImportNode(id, block, file, host);
  }
}

/** Which blocks' expressions count as references of a node. */
function referenceBody(node: RuntimeNode, block: BlockStmt): Body {
  if (node.kind === "declare") return [];
  if (node.kind === "foreach") return block.body.filter((s) => !(s.kind === "block" && s.name.join(".") === "template"));
  return block.body;
}

function wireEdges(
  graph: Graph<RuntimeNode>,
  registry: CustomRegistry,
  ctx: LoaderContext,
  diags: Diagnostic[],
  blockOf: (n: RuntimeNode) => BlockStmt,
  fileOf: (n: RuntimeNode) => string,
): Map<string, Reference[]> {
  const references = new Map<string, Reference[]>();
  for (const node of graph.all()) {
    const refs: Reference[] = [];
    references.set(node.id, refs);
    if (node.kind === "declare") {
      // A declare depends on the local declares its body instantiates, so recursion is a cycle.
      const used = new Set<string>();
      collectFirstFragments(blockOf(node).body, used);
      for (const f of used) if (graph.has(`declare.${f}`)) graph.addEdge(node.id, `declare.${f}`);
    }
    if (node.kind === "custom") {
      const first = blockOf(node).name[0]!;
      const namespaces = new Set<string>();
      if (registry.declares.has(first) && graph.has(`declare.${first}`)) {
        graph.addEdge(node.id, `declare.${first}`);
        // Imports the declare body uses: their changes must reach this instance too.
        collectFirstFragments(registry.declares.get(first)!.block.body, namespaces);
      } else namespaces.add(first);
      for (const ns of namespaces) {
        for (const imp of importBlockNames) {
          if (graph.has(`${imp}.${ns}`)) graph.addEdge(node.id, `${imp}.${ns}`);
        }
      }
    }
    const traversals: Array<Traversal & { templateRef?: boolean }> = traversalsFromBody(referenceBody(node, blockOf(node)));
    if (node.kind === "foreach") {
      // Template references to outer components make the foreach depend on them; the
      // rest resolve inside the template's own graph.
      for (const s of blockOf(node).body) {
        if (s.kind === "block" && s.name.join(".") === "template") {
          for (const t of traversalsFromBody(s.body)) traversals.push(Object.assign(t, { templateRef: true }));
        }
      }
    }
    for (const t of traversals) {
      const target = resolveTraversal(t, (id) => graph.has(id));
      const root = t[0]!.name;
      if (target !== undefined) {
        graph.addEdge(node.id, target);
        const depth = target.split(".").length;
        refs.push({ target, field: t[depth]?.name });
        if (ctx.isStdlibName(root)) {
          ctx.host.env.logger.warn("a component is shadowing an existing stdlib name", { component: target, stdlib_name: root });
        }
        continue;
      }
      if (ctx.outerHasNode && resolveTraversal(t, ctx.outerHasNode) !== undefined) continue;
      if (node.kind === "foreach" && t.templateRef) continue;
      if (ctx.scope.has(root) || ctx.isStdlibName(root)) {
        if (DEPRECATED_IDENTIFIERS.has(root)) {
          ctx.host.env.logger.warn("this stdlib function is deprecated; please refer to the documentation for updated usage and alternatives", {
            function: root,
          });
        } else if (EXPERIMENTAL_IDENTIFIERS.has(traversalName(t))) {
          // Experimental stdlib functions are refused while linking, before anything is evaluated.
          const msg = stabilityError("experimental", ctx.host.env.stability, traversalName(t));
          const last = t[t.length - 1]!.start;
          if (msg) diags.push(err(fileOf(node), t[0]!.start, { ...last, offset: last.offset + 1, column: last.column + 1 }, msg));
        }
        continue;
      }
      diags.push(err(fileOf(node), t[0]!.start, traversalEnd(t), `component "${traversalName(t)}" does not exist or is out of scope`));
    }
  }
  return references;
}

/** First name fragments of the blocks in a body, nested declares included. */
function collectFirstFragments(body: Body, out: Set<string>): void {
  for (const st of body) {
    if (st.kind !== "block") continue;
    out.add(st.name[0]!);
    if (st.name.join(".") === "declare") collectFirstFragments(st.body, out);
  }
}

/** Alloy's dag.Validate: one error per cycle and per self reference, without a position. */
function checkCycles(graph: Graph<RuntimeNode>, diags: Diagnostic[]): void {
  for (const comp of graph.stronglyConnected()) {
    if (comp.length < 2) continue;
    diags.push({ severity: "error", message: `cycle: ${[...comp].sort().join(", ")}`, file: "" });
  }
  for (const [from, to] of graph.edges()) {
    if (from === to) diags.push({ severity: "error", message: `self reference: ${from}`, file: "" });
  }
}
