// import.file / import.string / import.http / import.git: fetches module content,
// registers its declares under the import's namespace, and polls for changes; a
// change re-evaluates only the custom components that use this namespace.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BlockStmt } from "../syntax/ast.ts";
import type { Scope } from "../syntax/vm.ts";
import type { ImportedModule } from "./custom_registry.ts";
import { errorText } from "./component_node.ts";
import { health, unknownHealth } from "./health.ts";
import { fetchImport, type FetchEnv } from "./import_source.ts";
import type { NodeHost, RuntimeNode } from "./node.ts";
import type { Health } from "./runtime.ts";

export class ImportNode implements RuntimeNode {
  readonly kind = "import";
  readonly exportsValue = undefined;
  module: ImportedModule | undefined;
  private contentKey = "";
  private pollMs: number | undefined;
  private lastScope: Scope | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private h: Health = unknownHealth;

  constructor(
    readonly id: string,
    public block: BlockStmt,
    public file: string,
    private readonly host: NodeHost,
  ) {}

  health(): Health {
    return this.h;
  }

  private fetchEnv(): FetchEnv {
    const env = this.host.env;
    return {
      fetch: env.fetch,
      stability: env.stability,
      dataDir: () => {
        const d = join(env.storagePath, this.host.globalID(this.id));
        mkdirSync(d, { recursive: true });
        return d;
      },
    };
  }

  async evaluate(scope: Scope): Promise<void> {
    this.lastScope = scope;
    try {
      await this.refresh(scope);
      this.h = health("healthy", "module content loaded");
    } catch (err) {
      this.h = health("unhealthy", `failed to load module content: ${errorText(err)}`);
      throw err;
    }
  }

  /** Fetches content; true when it differs from what was loaded before. */
  private async refresh(scope: Scope): Promise<boolean> {
    const kind = this.block.name.join(".");
    const fetched = await fetchImport(kind, this.block, this.file, scope, this.fetchEnv(), this.host.modulePath);
    this.pollMs = fetched.pollMs;
    if (fetched.contentKey === this.contentKey && this.module) {
      this.host.customRegistry.imports.set(this.block.label!, this.module);
      return false;
    }
    this.contentKey = fetched.contentKey;
    this.module = fetched.module;
    this.host.customRegistry.imports.set(this.block.label!, fetched.module);
    return true;
  }

  start(): void {
    if (this.host.env.dryRun || this.timer || this.stopped || this.pollMs === undefined) return;
    const tick = async (): Promise<void> => {
      this.timer = undefined;
      if (this.stopped || !this.lastScope) return;
      try {
        if (await this.refresh(this.lastScope)) this.host.exportsChanged(this);
        this.h = health("healthy", "module content loaded");
      } catch (err) {
        this.h = health("unhealthy", `failed to reload module content: ${errorText(err)}`);
        this.host.env.logger.warn("failed to reload module content", { node: this.id, err: errorText(err) });
      }
      if (!this.stopped && this.pollMs !== undefined) this.timer = setTimeout(() => void tick(), this.pollMs);
    };
    this.timer = setTimeout(() => void tick(), this.pollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
