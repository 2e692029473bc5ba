// Finding what a block refers to: every `a.b.c` chain in its expressions is a
// traversal, resolved to the shortest dotted prefix that is a node ID.

import type { Body, Expr, Ident, Pos, Stmt } from "../syntax/ast.ts";

/** `a.b.c` as identifiers with positions; `each["x"]` is the traversal `[each]`. */
export type Traversal = Ident[];

export function traversalName(t: Traversal): string {
  return t.map((i) => i.name).join(".");
}

export function traversalEnd(t: Traversal): Pos {
  return t[t.length - 1]!.end;
}

/** Traversals in every attribute of `body`, nested blocks included, in source order. */
export function traversalsFromBody(body: Body, out: Traversal[] = []): Traversal[] {
  for (const stmt of body) traversalsFromStmt(stmt, out);
  return out;
}

function traversalsFromStmt(stmt: Stmt, out: Traversal[]): void {
  if (stmt.kind === "attribute") traversalsFromExpr(stmt.value, out);
  else traversalsFromBody(stmt.body, out);
}

export function traversalsFromExpr(e: Expr, out: Traversal[] = []): Traversal[] {
  switch (e.kind) {
    case "literal":
      return out;
    case "array":
      for (const el of e.elements) traversalsFromExpr(el, out);
      return out;
    case "object":
      for (const f of e.fields) traversalsFromExpr(f.value, out);
      return out;
    case "identifier":
      out.push([{ name: e.name, start: e.start, end: e.end }]);
      return out;
    case "access": {
      const chain = accessChain(e);
      if (chain) out.push(chain);
      else traversalsFromExpr(e.value, out);
      return out;
    }
    case "index":
      traversalsFromExpr(e.value, out);
      traversalsFromExpr(e.index, out);
      return out;
    case "call":
      traversalsFromExpr(e.value, out);
      for (const a of e.args) traversalsFromExpr(a, out);
      return out;
    case "unary":
      return traversalsFromExpr(e.value, out);
    case "binary":
      traversalsFromExpr(e.left, out);
      traversalsFromExpr(e.right, out);
      return out;
    case "paren":
      return traversalsFromExpr(e.inner, out);
  }
}

/** `a.b.c` when the access chain is rooted at an identifier; undefined otherwise. */
function accessChain(e: Expr): Traversal | undefined {
  const names: Ident[] = [];
  let cur: Expr = e;
  while (cur.kind === "access") {
    names.unshift(cur.name);
    cur = cur.value;
  }
  if (cur.kind !== "identifier") return undefined;
  names.unshift({ name: cur.name, start: cur.start, end: cur.end });
  return names;
}

/** The shortest prefix of `t` that `isNode` accepts, as a node ID. */
export function resolveTraversal(t: Traversal, isNode: (id: string) => boolean): string | undefined {
  let id = "";
  for (const part of t) {
    id = id === "" ? part.name : `${id}.${part.name}`;
    if (isNode(id)) return id;
  }
  return undefined;
}
