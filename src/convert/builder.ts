// A small builder for Alloy text: blocks, attributes and values, rendered the way Alloy's
// token builder lays them out, then re-parsed and re-printed with the canonical printer.

import { parseFile } from "../syntax/parser.ts";
import { printFile } from "../syntax/printer/index.ts";
import { goQuoteString } from "../syntax/goformat.ts";
import { isValidIdentifier } from "../syntax/scanner.ts";
import { Diagnostics, Severity } from "./diagnostics.ts";

/** An expression copied into the output verbatim, e.g. a component export reference. */
export interface RawExpr {
  raw: string;
}

export interface ObjectLit {
  fields: [string, AlloyValue][];
}

export type AlloyValue = string | number | bigint | boolean | null | RawExpr | ObjectLit | AlloyValue[];

export const raw = (text: string): RawExpr => ({ raw: text });
export const obj = (fields: [string, AlloyValue][]): ObjectLit => ({ fields });
/** An object from a plain record, keys sorted as Go's map encoding sorts them. */
export const objSorted = (rec: Record<string, AlloyValue>): ObjectLit =>
  obj(Object.keys(rec).sort().map((k) => [k, rec[k]!]));

export interface Attr {
  kind: "attr";
  name: string;
  value: AlloyValue;
}

export class Block {
  readonly kind = "block";
  readonly items: (Attr | Block)[] = [];
  constructor(
    readonly name: string,
    readonly label?: string,
  ) {}

  attr(name: string, value: AlloyValue): this {
    this.items.push({ kind: "attr", name, value });
    return this;
  }

  /** Sets the attribute unless the value is undefined or equals the default. */
  opt(name: string, value: AlloyValue | undefined, dflt?: AlloyValue): this {
    if (value === undefined) return this;
    if (sameValue(value, dflt)) return this;
    return this.attr(name, value);
  }

  block(b: Block): this {
    this.items.push(b);
    return this;
  }

  child(name: string): Block {
    const b = new Block(name);
    this.items.push(b);
    return b;
  }
}

function sameValue(a: AlloyValue | undefined, b: AlloyValue | undefined): boolean {
  if (b === undefined) return false;
  return JSON.stringify(a, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ===
    JSON.stringify(b, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

function isObjectLit(v: AlloyValue): v is ObjectLit {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "fields" in v;
}

export function renderValue(v: AlloyValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return goQuoteString(v);
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return `[${v.map(renderValue).join(", ")}]`;
  if (isObjectLit(v)) {
    if (v.fields.length === 0) return "{}";
    const lines = v.fields.map(([k, x]) => `${isValidIdentifier(k) ? k : goQuoteString(k)} = ${renderValue(x)},\n`);
    return `{\n${lines.join("")}}`;
  }
  return v.raw;
}

function renderBody(items: readonly (Attr | Block)[]): string {
  let out = "";
  items.forEach((it, i) => {
    if (it.kind === "attr") {
      out += `${it.name} = ${renderValue(it.value)}\n`;
    } else {
      if (i > 0) out += "\n";
      out += renderBlock(it);
    }
  });
  return out;
}

function renderBlock(b: Block): string {
  const head = b.label !== undefined ? `${b.name} ${goQuoteString(b.label)}` : b.name;
  return `${head} {\n${renderBody(b.items)}}\n`;
}

/** Renders top-level blocks and pretty-prints them; undefined when there is nothing to write. */
export function renderFile(blocks: readonly Block[], diags: Diagnostics): string | undefined {
  if (blocks.length === 0) return undefined;
  const text = renderBody(blocks);
  return prettyPrint(text, diags);
}

/** Alloy's PrettyPrint: parse and print canonically; on a parse failure report it and keep the raw text. */
export function prettyPrint(text: string, diags: Diagnostics): string {
  const parsed = parseFile("", text);
  if (parsed.diagnostics.length > 0) {
    diags.add(Severity.Error, parsed.diagnostics.map((d) => d.message).join("\n"));
    return text;
  }
  return printFile(parsed.file) + "\n";
}

/** Alloy's ValidateNodes: two top-level blocks with the same name and label are a Critical. */
export function validateNodes(blocks: readonly Block[], diags: Diagnostics): void {
  const seen = new Set<string>();
  for (const b of blocks) {
    const id = b.label ? `${b.name}.${b.label}` : b.name;
    if (seen.has(id)) {
      diags.add(
        Severity.Critical,
        `duplicate label after conversion ${JSON.stringify(id)}. this is due to how valid Alloy labels are assembled and can be avoided by updating named properties in the source config.`,
      );
    } else seen.add(id);
  }
}
