// Parser for Go's text/template (text/template/parse/parse.go): builds one
// tree per defined template, checks functions and variables at parse time,
// and reports errors as Go does: `template: NAME:LINE: message`.

import { unquote } from "../strconv.ts";
import { itemString, lex, type Item, type ItemType } from "./lex.ts";
import { NumberSyntaxError, parseNumber } from "./number.ts";
import type {
  ArgNode, BranchNode, CommandNode, ListNode, Node, NumberNode, PipeNode, TemplateNode, VariableNode,
} from "./nodes.ts";

export interface Tree {
  name: string;
  /** The name of the template whose text defined this tree (for error locations). */
  parseName: string;
  root: ListNode;
  text: string;
}

export class TemplateParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateParseError";
  }
}

interface ElseMarker { type: "else"; pos: number; line: number }
interface EndMarker { type: "end"; pos: number; line: number }

/** Parses template text; returns the trees it defines, the main one under `name`. */
export function parseTemplate(name: string, text: string, hasFunction: (name: string) => boolean): Map<string, Tree> {
  return new Parser(name, text, hasFunction).parse();
}

class Parser {
  private readonly items: Item[];
  private i = 0;
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  /** Line of the action being parsed, for "unclosed action started at" errors. */
  private actionLine = 0;
  private readonly trees = new Map<string, Tree>();
  private treeName: string;

  constructor(
    private readonly parseName: string,
    private readonly text: string,
    private readonly hasFunction: (name: string) => boolean,
  ) {
    this.items = lex(text);
    this.treeName = parseName;
  }

  // ---- token stream ----
  private next(): Item {
    const it = this.items[Math.min(this.i, this.items.length - 1)]!;
    this.i++;
    return it;
  }
  private backup(n = 1): void {
    this.i -= n;
  }
  private peek(): Item {
    return this.items[Math.min(this.i, this.items.length - 1)]!;
  }
  private nextNonSpace(): Item {
    let t = this.next();
    while (t.type === "space") t = this.next();
    return t;
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }
  private current(): Item {
    return this.items[Math.max(0, Math.min(this.i - 1, this.items.length - 1))]!;
  }

  private errorf(msg: string): never {
    throw new TemplateParseError(`template: ${this.parseName}:${this.current().line}: ${msg}`);
  }
  private expect(type: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }
  private unexpected(t: Item, context: string): never {
    if (t.type === "error") {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (t.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(t.val + extra);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  parse(): Map<string, Tree> {
    const root: ListNode = { type: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== "eof") {
      if (this.peek().type === "leftDelim") {
        this.next();
        if (this.nextNonSpace().type === "define") {
          this.parseDefinition();
          continue;
        }
        this.backup(2);
        // Skip back over any spaces between the delimiter and the next token.
        while (this.peek().type !== "leftDelim") this.backup();
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${n.type === "end" ? "{{end}}" : "{{else}}"}`);
      root.nodes.push(n);
    }
    this.add({ name: this.parseName, parseName: this.parseName, root, text: this.text });
    return this.trees;
  }

  private add(tree: Tree): void {
    const existing = this.trees.get(tree.name);
    if (existing && !isEmptyTree(existing.root) && !isEmptyTree(tree.root)) {
      this.errorf(`template: multiple definition of template "${tree.name}"`);
    }
    if (!existing || !isEmptyTree(tree.root)) this.trees.set(tree.name, tree);
  }

  private parseDefinition(): void {
    const context = "define clause";
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== "string" && nameTok.type !== "rawString") this.unexpected(nameTok, context);
    const name = this.unquoteOrFail(nameTok.val);
    this.expect("rightDelim", context);
    const savedVars = this.vars;
    const savedName = this.treeName;
    this.vars = ["$"];
    this.treeName = name;
    const [list, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected {{else}} in ${context}`);
    this.vars = savedVars;
    this.treeName = savedName;
    this.add({ name, parseName: this.parseName, root: list, text: this.text });
  }

  private itemList(): [ListNode, ElseMarker | EndMarker] {
    const list: ListNode = { type: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== "eof") {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Node | ElseMarker | EndMarker {
    const t = this.nextNonSpace();
    switch (t.type) {
      case "text":
        return { type: "text", pos: t.pos, text: t.val };
      case "leftDelim":
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      case "comment":
        return { type: "comment", pos: t.pos, text: t.val };
      default:
        this.unexpected(t, "input");
    }
  }

  private action(): Node | ElseMarker | EndMarker {
    const t = this.nextNonSpace();
    switch (t.type) {
      case "block":
        return this.blockControl();
      case "break":
        return this.loopControl("break", t);
      case "continue":
        return this.loopControl("continue", t);
      case "else":
        return this.elseControl(t);
      case "end":
        this.expect("rightDelim", "end");
        return { type: "end", pos: t.pos, line: t.line };
      case "if":
        return this.parseControl("if", t);
      case "range":
        return this.parseControl("range", t);
      case "template":
        return this.templateControl(t);
      case "with":
        return this.parseControl("with", t);
    }
    this.backup();
    const p = this.peek();
    return { type: "action", pos: p.pos, line: p.line, pipe: this.pipeline("command", "rightDelim") };
  }

  private loopControl(kind: "break" | "continue", t: Item): Node {
    const tok = this.nextNonSpace();
    if (tok.type !== "rightDelim") this.unexpected(tok, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos, line: t.line };
  }

  private elseControl(t: Item): ElseMarker {
    const p = this.peekNonSpace();
    // "else if" / "else with" leave the keyword for the enclosing control to chain.
    if (p.type === "if" || p.type === "with") return { type: "else", pos: p.pos, line: p.line };
    this.expect("rightDelim", "else");
    return { type: "else", pos: t.pos, line: t.line };
  }

  private parseControl(kind: "if" | "range" | "with", t: Item): BranchNode {
    const savedVars = this.vars.length;
    try {
      const pipe = this.pipeline(kind, "rightDelim");
      if (kind === "range") this.rangeDepth++;
      let [list, next] = this.itemList();
      if (kind === "range") this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === "else") {
        const p = this.peekNonSpace();
        if ((kind === "if" && p.type === "if") || (kind === "with" && p.type === "with")) {
          // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} with a shared end.
          const kw = this.nextNonSpace();
          const nested = this.parseControl(kind, kw);
          elseList = { type: "list", pos: next.pos, nodes: [nested] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== "end") this.errorf("expected end; found {{else}}");
        }
      }
      return { type: kind, pos: t.pos, line: t.line, pipe, list, elseList };
    } finally {
      this.vars.length = savedVars;
    }
  }

  private templateControl(_t: Item): TemplateNode {
    const context = "template clause";
    const tok = this.nextNonSpace();
    const name = this.templateName(tok, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== "rightDelim") {
      this.backup();
      pipe = this.pipeline(context, "rightDelim");
    }
    return { type: "template", pos: tok.pos, line: tok.line, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = "block clause";
    const tok = this.nextNonSpace();
    const name = this.templateName(tok, context);
    const pipe = this.pipeline(context, "rightDelim");
    const savedVars = this.vars;
    this.vars = ["$"];
    const [list, end] = this.itemList();
    this.vars = savedVars;
    if (end.type !== "end") this.errorf(`unexpected {{else}} in ${context}`);
    this.add({ name, parseName: this.parseName, root: list, text: this.text });
    return { type: "template", pos: tok.pos, line: tok.line, name, pipe };
  }

  private templateName(tok: Item, context: string): string {
    if (tok.type === "string" || tok.type === "rawString") return this.unquoteOrFail(tok.val);
    this.unexpected(tok, context);
  }

  private unquoteOrFail(s: string): string {
    try {
      return unquote(s);
    } catch {
      this.errorf("invalid syntax");
    }
  }

  private pipeline(context: string, end: "rightDelim" | "rightParen"): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== "variable") break;
      const vIndex = this.i;
      this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === "assign" || next.type === "declare") {
        pipe.isAssign = next.type === "assign";
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
      } else if (next.type === "char" && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === "variable" || p === "rightDelim" || p === "rightParen") continue decls;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else {
        // "$x foo" or "$x": $x is an operand, not a declaration.
        this.i = vIndex;
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type) {
        case "bool": case "charConstant": case "complex": case "dot": case "field": case "identifier":
        case "number": case "nil": case "rawString": case "string": case "variable": case "leftParen":
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === "space") continue;
      if (t.type === "rightDelim" || t.type === "rightParen") this.backup();
      else if (t.type !== "pipe") this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== "field") return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === "field") fields.push(this.next().val.slice(1));
    switch (node.type) {
      case "field":
        return { type: "field", pos: node.pos, ident: [...node.ident, ...fields] };
      case "variable":
        return { type: "variable", pos: node.pos, ident: [...node.ident, ...fields] };
      case "bool": case "string": case "number": case "nil": case "dot":
        this.errorf(`unexpected . after term ${JSON.stringify(nodeText(node))}`);
      default:
        return { type: "chain", pos, node, field: fields };
    }
  }

  private term(): ArgNode | undefined {
    const t = this.nextNonSpace();
    switch (t.type) {
      case "identifier":
        if (!this.hasFunction(t.val)) this.errorf(`function ${JSON.stringify(t.val)} not defined`);
        return { type: "identifier", pos: t.pos, ident: t.val };
      case "dot":
        return { type: "dot", pos: t.pos };
      case "nil":
        return { type: "nil", pos: t.pos };
      case "variable":
        return this.useVar(t);
      case "field":
        return { type: "field", pos: t.pos, ident: t.val.slice(1).split(".") };
      case "bool":
        return { type: "bool", pos: t.pos, value: t.val === "true" };
      case "charConstant":
      case "complex":
      case "number":
        return this.number(t);
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString":
        return { type: "string", pos: t.pos, quoted: t.val, text: this.unquoteOrFail(t.val) };
    }
    this.backup();
    return undefined;
  }

  private useVar(t: Item): VariableNode {
    const ident = t.val.split(".");
    if (!this.vars.includes(ident[0]!)) this.errorf(`undefined variable ${JSON.stringify(ident[0])}`);
    return { type: "variable", pos: t.pos, ident };
  }

  private number(t: Item): NumberNode {
    try {
      return parseNumber(t);
    } catch (err) {
      if (err instanceof NumberSyntaxError) this.errorf(err.message);
      throw err;
    }
  }

}

function nodeText(n: ArgNode): string {
  switch (n.type) {
    case "bool":
      return String(n.value);
    case "string":
      return n.quoted;
    case "number":
      return n.text;
    case "nil":
      return "nil";
    default:
      return ".";
  }
}


function isEmptyTree(n: ListNode): boolean {
  return n.nodes.every((x) => (x.type === "text" && x.text.trim() === "") || x.type === "comment");
}
