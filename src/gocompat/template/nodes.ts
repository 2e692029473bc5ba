// The parse tree of a Go text/template, as text/template/parse/node.go,
// with String() forms matching Go's (used in execution error contexts).

import { quote } from "../strconv.ts";

interface Base {
  /** Byte offset (UTF-16 index here) in the template text. */
  pos: number;
}

export interface TextNode extends Base { type: "text"; text: string }
export interface CommentNode extends Base { type: "comment"; text: string }
export interface ActionNode extends Base { type: "action"; line: number; pipe: PipeNode }
export interface ListNode extends Base { type: "list"; nodes: Node[] }
export interface BranchNode extends Base {
  type: "if" | "range" | "with";
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList?: ListNode;
}
export interface TemplateNode extends Base { type: "template"; line: number; name: string; pipe?: PipeNode }
export interface BreakNode extends Base { type: "break"; line: number }
export interface ContinueNode extends Base { type: "continue"; line: number }

export interface PipeNode extends Base {
  type: "pipe";
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode extends Base { type: "command"; args: ArgNode[] }
export interface IdentifierNode extends Base { type: "identifier"; ident: string }
export interface VariableNode extends Base { type: "variable"; ident: string[] }
export interface DotNode extends Base { type: "dot" }
export interface NilNode extends Base { type: "nil" }
export interface FieldNode extends Base { type: "field"; ident: string[] }
export interface ChainNode extends Base { type: "chain"; node: ArgNode; field: string[] }
export interface BoolNode extends Base { type: "bool"; value: boolean }
export interface StringNode extends Base { type: "string"; quoted: string; text: string }
export interface NumberNode extends Base {
  type: "number";
  text: string;
  isInt: boolean;
  isFloat: boolean;
  int: bigint;
  float: number;
}

export type ArgNode =
  | IdentifierNode | VariableNode | DotNode | NilNode | FieldNode | ChainNode | BoolNode | StringNode | NumberNode | PipeNode;
export type Node =
  | TextNode | CommentNode | ActionNode | ListNode | BranchNode | TemplateNode | BreakNode | ContinueNode | PipeNode | CommandNode | ArgNode;

/** Go's Node.String(). */
export function nodeString(n: Node): string {
  switch (n.type) {
    case "text":
      return n.text;
    case "comment":
      return `{{${n.text}}}`;
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "list":
      return n.nodes.map(nodeString).join("");
    case "if":
    case "range":
    case "with": {
      let s = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList) s += `{{else}}${nodeString(n.elseList)}`;
      return s + "{{end}}";
    }
    case "template":
      return n.pipe ? `{{template ${quote(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${quote(n.name)}}}`;
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
    case "pipe": {
      let s = "";
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(", ") + (n.isAssign ? " = " : " := ");
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "identifier":
      return n.ident;
    case "variable":
      return n.ident.join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "field":
      return "." + n.ident.join(".");
    case "chain":
      return (n.node.type === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node)) + "." + n.field.join(".");
    case "bool":
      return n.value ? "true" : "false";
    case "string":
      return n.quoted;
    case "number":
      return n.text;
  }
}
