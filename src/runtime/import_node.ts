// import.file / import.string / import.http / import.git: fetches module content,
// registers its declares under the import's namespace, and polls for changes; a
// change re-evaluates only the custom components that use this namespace.

import { mkdirSync, watch, type FSWatcher } from "node:fs";
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
  private watchPaths: string[] = [];
  private watchers: FSWatcher[] = [];
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
      // Keep retrying a source that failed, at Alloy's default period.
      if (this.block.name.join(".") !== "import.string") this.pollMs ??= 60_000;
      this.h = health("unhealthy", `failed to load module content: ${errorText(err)}`);
      throw err;
    }
  }

  /** Fetches content; true when it differs from what was loaded before. */
  private async refresh(scope: Scope): Promise<boolean> {
    const kind = this.block.name.join(".");
    const fetched = await fetchImport(kind, this.block, this.file, scope, this.fetchEnv(), this.host.modulePath);
    this.pollMs = fetched.pollMs;
    if (fetched.watchPaths.join("\n") !== this.watchPaths.join("\n")) {
      for (const w of this.watchers) w.close();
      this.watchers = [];
      this.watchPaths = fetched.watchPaths;
      if (this.started) this.watchFiles();
    }
    if (fetched.contentKey === this.contentKey && this.module) {
      this.host.customRegistry.imports.set(this.block.label!, this.module);
      return false;
    }
    this.contentKey = fetched.contentKey;
    this.module = fetched.module;
    this.host.customRegistry.imports.set(this.block.label!, fetched.module);
    return true;
  }

  private started = false;

  /** fsnotify detector: re-read at once when a watched file or directory changes. */
  private watchFiles(): void {
    if (this.watchers.length > 0 || this.host.env.dryRun || this.stopped) return;
    for (const path of this.watchPaths) {
      try {
        const w = watch(path, () => {
          if (this.timer) clearTimeout(this.timer);
          this.timer = setTimeout(() => void this.tick(), 10);
        });
        w.on("error", () => {});
        this.watchers.push(w);
      } catch {
        // Polling still runs at poll_frequency.
      }
    }
  }

  start(): void {
    this.started = true;
    this.watchFiles();
    if (this.host.env.dryRun || this.timer || this.stopped || this.pollMs === undefined) return;
    this.timer = setTimeout(() => void this.tick(), this.pollMs);
  }

  private ticking = false;
  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || !this.lastScope) return;
    if (this.ticking) {
      this.timer = setTimeout(() => void this.tick(), 10);
      return;
    }
    this.ticking = true;
    try {
      if (await this.refresh(this.lastScope)) this.host.exportsChanged(this);
      this.h = health("healthy", "module content loaded");
    } catch (err) {
      this.h = health("unhealthy", `failed to reload module content: ${errorText(err)}`);
      this.host.env.logger.warn("failed to reload module content", { node: this.id, err: errorText(err) });
    } finally {
      this.ticking = false;
    }
    if (!this.stopped && this.pollMs !== undefined && !this.timer) this.timer = setTimeout(() => void this.tick(), this.pollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
  }
}
