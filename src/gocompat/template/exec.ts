// Executes parsed templates the way text/template/exec.go does: the same
// truth rules, variable scoping, field lookup, argument checking and
// error texts (`template: NAME:LINE:COL: executing "NAME" at <NODE>: ...`).

import { formatArg } from "../fmt.ts";
import { isTrue, kindOf, mapEntries, mapGet, typeName } from "../govalue.ts";
import { FuncError } from "./builtins.ts";
import { asGoFunc, type GoFunc, type ParamType } from "./funcs.ts";
import { nodeString, type ArgNode, type BranchNode, type CommandNode, type Node, type PipeNode, type TemplateNode } from "./nodes.ts";
import type { Tree } from "./parse.ts";
import { timeMethod } from "./time_methods.ts";
import type { GoTime } from "../timefmt.ts";

export class TemplateExecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateExecError";
  }
}

export type MissingKey = "default" | "invalid" | "zero" | "error";

export interface ExecEnv {
  lookupTree(name: string): Tree | undefined;
  lookupFunc(name: string): { fn: GoFunc; builtin: boolean } | undefined;
  missingKey: MissingKey;
}

/** No pipeline value is being passed on (Go's missingVal), unlike `undefined`, a missing value. */
const NO_FINAL: unique symbol = Symbol("no final");
type Final = unknown;

class BreakSignal {}
class ContinueSignal {}

const MAX_DEPTH = 10000;

const noFlags = { plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false };

export function execute(env: ExecEnv, tree: Tree, data: unknown): string {
  const s = new State(env, tree, data);
  s.walk(data, tree.root);
  return s.out.join("");
}

class State {
  out: string[] = [];
  private vars: { name: string; value: unknown }[];
  private node: Node | undefined;
  private depth = 0;

  constructor(
    private readonly env: ExecEnv,
    private tree: Tree,
    data: unknown,
  ) {
    this.vars = [{ name: "$", value: data }];
  }

  private at(n: Node): void {
    this.node = n;
  }

  private errorf(msg: string): never {
    const n = this.node;
    if (!n) throw new TemplateExecError(`template: ${this.tree.name}: ${msg}`);
    const before = this.tree.text.slice(0, n.pos);
    const nl = before.lastIndexOf("\n");
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = nl < 0 ? n.pos : n.pos - (nl + 1);
    let context = nodeString(n);
    if ([...context].length > 20) context = [...context].slice(0, 20).join("") + "...";
    throw new TemplateExecError(
      `template: ${this.tree.parseName}:${line}:${col}: executing ${JSON.stringify(this.tree.name)} at <${context}>: ${msg}`,
    );
  }

  // ---- variables ----
  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }
  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: unknown): void {
    this.vars[this.vars.length - n]!.value = value;
  }

  // ---- statements ----
  walk(dot: unknown, n: Node): void {
    this.at(n);
    switch (n.type) {
      case "action": {
        const v = this.evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) this.printValue(n, v);
        return;
      }
      case "break":
        throw new BreakSignal();
      case "continue":
        throw new ContinueSignal();
      case "comment":
        return;
      case "if":
      case "with":
        return this.walkIfOrWith(dot, n);
      case "list":
        for (const c of n.nodes) this.walk(dot, c);
        return;
      case "range":
        return this.walkRange(dot, n);
      case "template":
        return this.walkTemplate(dot, n);
      case "text":
        this.out.push(n.text);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(n)}`);
    }
  }

  private walkIfOrWith(dot: unknown, n: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, n.pipe);
      if (kindOf(val) === "func") this.errorf(`if/with can't use ${formatArg(val, "v", noFlags)}`);
      if (isTrue(val)) this.walk(n.type === "with" ? val : dot, n.list);
      else if (n.elseList) this.walk(dot, n.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    this.at(r);
    const outer = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      // Returns false when the loop must stop ({{break}}).
      const one = (index: unknown, elem: unknown): boolean => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e instanceof BreakSignal) return false;
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.vars.length = mark;
        }
        return true;
      };
      let ran = false;
      switch (kindOf(val)) {
        case "slice":
        case "bytes": {
          const arr = val as ArrayLike<unknown>;
          for (let i = 0; i < arr.length; i++) {
            ran = true;
            const e = arr[i];
            if (!one(BigInt(i), typeof e === "number" && val instanceof Uint8Array ? BigInt(e) : e)) break;
          }
          break;
        }
        case "int": {
          if (decl.length > 1) this.errorf(`can't use ${val} to iterate over more than one variable`);
          for (let i = 0n; i < (val as bigint); i++) {
            ran = true;
            if (!one(i, i)) break;
          }
          break;
        }
        case "map":
          for (const [k, v] of mapEntries(val as Record<string, unknown>)) {
            ran = true;
            if (!one(k, v)) break;
          }
          break;
        case "invalid":
        case "nil":
          break;
        default:
          this.errorf(`range can't iterate over ${formatArg(val, "v", noFlags)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.at(t);
    const tree = this.env.lookupTree(t.name);
    if (!tree) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    const saved = { vars: this.vars, tree: this.tree };
    this.depth++;
    this.tree = tree;
    this.vars = [{ name: "$", value: newDot }];
    try {
      this.walk(newDot, tree.root);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tree = saved.tree;
    }
  }

  private printValue(n: Node, v: unknown): void {
    this.at(n);
    if (v === undefined || v === null) {
      this.out.push("<no value>");
      return;
    }
    if (typeof v === "function" || (typeof v === "object" && v !== null && "call" in v && "params" in v)) {
      this.errorf(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    }
    this.out.push(typeof v === "string" ? v : formatArg(v, "v", noFlags));
  }

  // ---- expressions ----
  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = NO_FINAL;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An interface holding nil is no value at all once it leaves a command.
      if (value === null) value = undefined;
    }
    if (value === NO_FINAL) value = undefined;
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.vars.push({ name: v.ident[0]!, value });
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== NO_FINAL) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case "field":
        this.at(first);
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case "chain":
        return this.evalChain(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first.ident, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
  }

  private idealConstant(n: Extract<ArgNode, { type: "number" }>): unknown {
    this.at(n);
    const isHexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return n.int;
    this.errorf(`${n.text} overflows int`);
  }

  private evalVariable(dot: unknown, v: Extract<ArgNode, { type: "variable" }>, args: ArgNode[], final: Final): unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalChain(dot: unknown, chain: Extract<ArgNode, { type: "chain" }>, args: ArgNode[], final: Final): unknown {
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, "value", chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: Node, ident: string[], args: ArgNode[], final: Final): unknown {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, [], NO_FINAL, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  private evalField(dot: unknown, name: string, node: Node, args: ArgNode[], final: Final, receiver: unknown): unknown {
    if (receiver === undefined) {
      if (this.env.missingKey === "error") this.errorf(`nil data; no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const kind = kindOf(receiver);
    const hasArgs = args.length > 1 || final !== NO_FINAL;
    if (kind === "time") {
      const method = timeMethod(receiver as GoTime, name);
      if (method) return this.evalCall(dot, method, false, node, name, args, final);
    }
    if (kind === "struct" || kind === "error" || kind === "time") {
      const member = (receiver as Record<string, unknown>)[name];
      if (typeof member === "function" && !Object.hasOwn(receiver as object, name)) {
        const method = asGoFunc((member as (...a: never[]) => unknown).bind(receiver));
        return this.evalCall(dot, method, false, node, name, args, final);
      }
      if (Object.hasOwn(receiver as object, name)) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return member;
      }
    } else if (kind === "map") {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      const result = mapGet(receiver as Record<string, unknown>, name);
      if (result === undefined && this.env.missingKey === "error") this.errorf(`map has no entry for key ${JSON.stringify(name)}`);
      return result;
    }
    this.errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private evalFunction(dot: unknown, name: string, cmd: CommandNode, args: ArgNode[], final: Final): unknown {
    this.at(args[0]!);
    const found = this.env.lookupFunc(name);
    if (!found) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, found.fn, found.builtin, cmd, name, args, final);
  }

  private evalCall(dot: unknown, fn: GoFunc, builtin: boolean, node: Node, name: string, allArgs: ArgNode[], final: Final): unknown {
    const args = allArgs.slice(1);
    const numIn = args.length + (final !== NO_FINAL ? 1 : 0);
    const np = fn.params.length;
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = np - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${np - 1} got ${args.length}`);
    } else if (numIn !== np) {
      this.errorf(`wrong number of args for ${name}: want ${np} got ${numIn}`);
    }
    const paramAt = (i: number): ParamType => fn.params[Math.min(i, np - 1)]!;
    if (builtin && (name === "and" || name === "or")) {
      let v: unknown;
      for (const a of args) {
        v = this.evalArg(dot, "value", a);
        if (isTrue(v) === (name === "or")) return v;
      }
      if (final !== NO_FINAL) v = final;
      return v;
    }
    const argv: unknown[] = [];
    for (let i = 0; i < args.length; i++) argv.push(this.evalArg(dot, paramAt(i), args[i]!));
    if (final !== NO_FINAL) argv.push(this.validateType(final, paramAt(numIn - 1)));
    if (builtin && name === "call") return this.callBuiltin(node, argv);
    try {
      return fn.call(...(argv as never[]));
    } catch (err) {
      this.at(node);
      this.errorf(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private callBuiltin(node: Node, argv: unknown[]): unknown {
    const [f, ...rest] = argv;
    this.at(node);
    const name = nodeString((node as CommandNode).args?.[1] ?? node);
    if (f === undefined || f === null) this.errorf("error calling call: call of nil");
    if (typeof f !== "function" && !(typeof f === "object" && "params" in (f as object))) {
      this.errorf(`error calling call: non-function ${name} of type ${typeName(f)}`);
    }
    const gf = asGoFunc(f as GoFunc);
    try {
      return gf.call(...(rest.map((v) => (v === undefined ? null : v)) as never[]));
    } catch (err) {
      this.errorf(`error calling call: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private validateType(value: unknown, typ: ParamType): unknown {
    if (typ === "value") return value;
    if (value === undefined || value === null) {
      if (typ === "any") return null;
      this.errorf(`invalid value; expected ${goTypeName(typ)}`);
    }
    if (typ === "any") return value;
    const k = kindOf(value);
    const ok = (typ === "string" && k === "string") || (typ === "int" && k === "int") || (typ === "float" && k === "float") || (typ === "bool" && k === "bool");
    if (!ok) this.errorf(`wrong type for value; expected ${goTypeName(typ)}; got ${typeName(value)}`);
    return value;
  }

  private evalArg(dot: unknown, typ: ParamType, n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ === "value" || typ === "any") return typ === "value" ? undefined : null;
        this.errorf(`cannot assign nil to ${goTypeName(typ)}`);
      case "field":
        return this.validateType(this.evalFieldChain(dot, dot, n, n.ident, [n], NO_FINAL), typ);
      case "variable":
        return this.validateType(this.evalVariable(dot, n, [n], NO_FINAL), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier": {
        const found = this.env.lookupFunc(n.ident);
        if (!found) this.errorf(`${JSON.stringify(n.ident)} is not a defined function`);
        return this.validateType(this.evalCall(dot, found.fn, found.builtin, n, n.ident, [n], NO_FINAL), typ);
      }
      case "chain":
        return this.validateType(this.evalChain(dot, n, [], NO_FINAL), typ);
    }
    switch (typ) {
      case "bool":
        if (n.type === "bool") return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
      case "float":
        if (n.type === "number" && n.isFloat) return n.float;
        this.errorf(`expected float; found ${nodeString(n)}`);
      case "int":
        if (n.type === "number" && n.isInt) return n.int;
        this.errorf(`expected integer; found ${nodeString(n)}`);
      case "string":
        if (n.type === "string") return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
    }
    switch (n.type) {
      case "bool":
        return n.value;
      case "number":
        return this.idealConstant(n);
      case "string":
        return n.text;
    }
  }
}

function goTypeName(t: ParamType): string {
  switch (t) {
    case "any":
      return "interface {}";
    case "value":
      return "reflect.Value";
    case "float":
      return "float64";
    default:
      return t;
  }
}

export { FuncError };
