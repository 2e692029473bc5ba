// The built-in components a runtime knows by name. An entry is either a definition
// or a name with a way to import it; a named definition is imported the first time
// a config uses the name, so a config pays only for the components it names.

import type { Body } from "../syntax/ast.ts";
import type { ComponentDefinition } from "./component.ts";

/** A built-in component known by name whose definition module is imported on first use. */
export interface LazyComponent {
  name: string;
  load: () => Promise<ComponentDefinition>;
}

export type ComponentEntry = ComponentDefinition | LazyComponent;

function isLazy(e: ComponentEntry): e is LazyComponent {
  return !("build" in e);
}

export class ComponentCatalog {
  private readonly loaded = new Map<string, ComponentDefinition>();
  private readonly named = new Map<string, LazyComponent>();

  constructor(entries: readonly ComponentEntry[]) {
    for (const e of entries) {
      if (isLazy(e)) this.named.set(e.name, e);
      else this.loaded.set(e.name, e);
    }
  }

  /** The definition, once imported; undefined for an unknown name or one not yet resolved. */
  get(name: string): ComponentDefinition | undefined {
    return this.loaded.get(name);
  }

  /** Imports the definitions of the built-in components these blocks (at any depth) name. */
  async resolve(bodies: readonly Body[]): Promise<void> {
    const wanted = new Set<string>();
    const visit = (body: Body): void => {
      for (const st of body) {
        if (st.kind !== "block") continue;
        const name = st.name.join(".");
        if (this.named.has(name)) wanted.add(name);
        visit(st.body);
      }
    };
    for (const b of bodies) visit(b);
    await Promise.all([...wanted].map((name) => this.import(name)));
  }

  private async import(name: string): Promise<void> {
    const entry = this.named.get(name);
    if (!entry) return;
    const def = await entry.load();
    if (def.name !== name) throw new Error(`the module for component "${name}" defines "${def.name}"`);
    this.loaded.set(name, def);
    this.named.delete(name);
  }
}
