// Go's text/template: `new Template(name).funcs({...}).parse(text).execute(data)`.
// Values follow the mapping in ../govalue.ts (ints are bigint, floats number).

import { BUILTINS } from "./builtins.ts";
import { execute, type ExecEnv, type MissingKey } from "./exec.ts";
import { asGoFunc, type FuncMap, type GoFunc } from "./funcs.ts";
import { parseTemplate, type Tree } from "./parse.ts";

export { TemplateExecError } from "./exec.ts";
export { TemplateParseError } from "./parse.ts";
export { goFunc, type FuncMap, type GoFunc, type ParamType, type TemplateFunc } from "./funcs.ts";

export class Template {
  private readonly trees = new Map<string, Tree>();
  private readonly userFuncs = new Map<string, GoFunc>();
  private missingKey: MissingKey = "default";

  constructor(readonly name: string) {}

  /** Adds functions (before parse, as in Go, so the parser knows them). */
  funcs(map: FuncMap): this {
    for (const [k, f] of Object.entries(map)) this.userFuncs.set(k, asGoFunc(f));
    this.cachedEnv = undefined;
    return this;
  }

  /** Go's Option("missingkey=..."). */
  option(opt: string): this {
    const m = /^missingkey=(default|invalid|zero|error)$/.exec(opt);
    if (!m) throw new Error(`unrecognized option: ${opt}`);
    this.missingKey = m[1] as MissingKey;
    return this;
  }

  /** Parses text; `{{define}}` blocks add named templates. Throws TemplateParseError. */
  parse(text: string): this {
    const trees = parseTemplate(this.name, text, (n) => this.userFuncs.has(n) || Object.hasOwn(BUILTINS, n));
    for (const [name, tree] of trees) {
      const existing = this.trees.get(name);
      // A later empty body does not replace an existing definition (Go's AddParseTree rule).
      if (existing && tree.root.nodes.length === 0) continue;
      this.trees.set(name, tree);
    }
    return this;
  }

  /** Runs the main template; throws TemplateExecError. */
  execute(data: unknown): string {
    return this.executeTemplate(this.name, data);
  }

  executeTemplate(name: string, data: unknown): string {
    const tree = this.trees.get(name);
    if (!tree) {
      if (name === this.name) throw new Error(`template: ${name}: ${JSON.stringify(name)} is an incomplete or empty template`);
      throw new Error(`template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.name)}`);
    }
    return execute(this.env(), tree, data);
  }

  private cachedEnv: ExecEnv | undefined;

  /** The lookup environment, built once and rebuilt when funcs or options change. */
  private env(): ExecEnv {
    if (this.cachedEnv && this.cachedEnv.missingKey === this.missingKey) return this.cachedEnv;
    const resolved = new Map<string, { fn: GoFunc; builtin: boolean }>();
    for (const [n, b] of Object.entries(BUILTINS)) resolved.set(n, { fn: b, builtin: true });
    for (const [n, f] of this.userFuncs) resolved.set(n, { fn: f, builtin: false });
    this.cachedEnv = { lookupTree: (n) => this.trees.get(n), lookupFunc: (n) => resolved.get(n), missingKey: this.missingKey };
    return this.cachedEnv;
  }

  /** Names of the defined templates, as Go's DefinedTemplates lists them. */
  definedTemplates(): string[] {
    return [...this.trees.keys()];
  }
}
