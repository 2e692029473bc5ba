// Lexical lookup of custom components: a controller sees its own declares and
// import namespaces, then those of the module it sits in, up to the root.

import type { BlockStmt } from "../syntax/ast.ts";

/** A `declare` body ready to instantiate, with the scope it was written in. */
export interface DeclareTemplate {
  label: string;
  block: BlockStmt;
  file: string;
  /** Custom components the body itself may use (its lexical surroundings). */
  registry: CustomRegistry;
  /** Directory relative imports inside the body resolve against. */
  modulePath: string;
  /** Changes whenever the body or anything it was imported with changes. */
  contentKey: string;
}

/** What an import block brought in: its declares and nested import namespaces. */
export interface ImportedModule {
  declares: Map<string, DeclareTemplate>;
  imports: Map<string, ImportedModule>;
  /** Everything the module was built from; changes when any of its files does. */
  contentKey: string;
}

export class CustomRegistry {
  readonly declares = new Map<string, DeclareTemplate>();
  /** Namespace → module; undefined while the import has not loaded yet. */
  readonly imports = new Map<string, ImportedModule | undefined>();

  constructor(readonly parent?: CustomRegistry) {}

  /** Whether a block named with this first fragment is a custom component in this scope. */
  isCustom(firstFragment: string): boolean {
    for (let r: CustomRegistry | undefined = this; r; r = r.parent) {
      if (r.declares.has(firstFragment) || r.imports.has(firstFragment)) return true;
    }
    return false;
  }

  /** Which scope level defines `firstFragment` (the nearest). */
  owner(firstFragment: string): CustomRegistry | undefined {
    for (let r: CustomRegistry | undefined = this; r; r = r.parent) {
      if (r.declares.has(firstFragment) || r.imports.has(firstFragment)) return r;
    }
    return undefined;
  }

  /** The content of every import visible from here: part of a local declare's identity. */
  importsFingerprint(): string {
    const parts: string[] = [];
    for (let r: CustomRegistry | undefined = this; r; r = r.parent) {
      for (const [ns, m] of r.imports) parts.push(`${ns}=${m?.contentKey ?? "-"}`);
    }
    return parts.join("\u0003");
  }

  /** The template for `name` (`decl` or `ns.decl` or `ns.nested.decl`), if loaded. */
  lookup(name: string[]): DeclareTemplate | undefined {
    const owner = this.owner(name[0]!);
    if (!owner) return undefined;
    if (name.length === 1 && owner.declares.has(name[0]!)) return owner.declares.get(name[0]!);
    let mod = owner.imports.get(name[0]!);
    for (let i = 1; mod && i < name.length - 1; i++) mod = mod.imports.get(name[i]!);
    return mod?.declares.get(name[name.length - 1]!);
  }
}
