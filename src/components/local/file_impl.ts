// local.file: exports the content of a file, re-read when it changes (fsnotify
// events or polling) and at every poll_frequency.

import { readFile } from "node:fs/promises";
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import { Gauge } from "prom-client";
import * as schema from "../../syntax/schema/index.ts";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../runtime/component.ts";
import type { Arguments, Exports } from "./file.ts";

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

class LocalFile implements ComponentInstance<Args> {
  private watcher: FSWatcher | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private reading: Promise<void> = Promise.resolve();
  private readonly lastAccessed: Gauge;

  constructor(
    private readonly ctx: Ctx,
    private args: Args,
  ) {
    this.lastAccessed = new Gauge({
      name: "local_file_timestamp_last_accessed_unix_seconds",
      help: "The last successful access in unix seconds",
      registers: [ctx.registry],
    });
  }

  /** Reads once before the component is built, so a missing file fails evaluation as in Alloy. */
  async init(): Promise<void> {
    await this.read(true);
    this.arm();
  }

  async update(args: Args): Promise<void> {
    this.args = args;
    await this.read(true);
    this.arm();
  }

  private read(throwOnError: boolean): Promise<void> {
    const next = this.reading.then(async () => {
      try {
        const text = await readFile(this.args.filename, "utf8");
        this.lastAccessed.setToCurrentTime();
        this.ctx.publish({ content: { value: text, isSecret: this.args.is_secret } });
        this.ctx.setHealth({ state: "healthy", message: "read file" });
      } catch (err) {
        const msg = `failed to read file: ${goFileError(this.args.filename, err)}`;
        this.ctx.setHealth({ state: "unhealthy", message: msg });
        this.ctx.logger.error("failed to read file", { path: this.args.filename, err: msg });
        if (throwOnError) throw new Error(msg);
      }
    });
    this.reading = next.catch(() => {});
    return next;
  }

  /** (Re)start change detection for the current arguments. */
  private arm(): void {
    this.disarm();
    if (this.ctx.signal.aborted) return;
    this.timer = setInterval(() => void this.read(false), Math.max(this.args.poll_frequency, 1));
    if (this.args.detector === "fsnotify") {
      // Watch the directory: editors replace files by rename, which ends a file watch.
      const name = basename(this.args.filename);
      try {
        this.watcher = watch(dirname(this.args.filename), (_event, changed) => {
          if (changed === null || changed === name) void this.read(false);
        });
        this.watcher.on("error", () => {});
      } catch (err) {
        this.ctx.logger.warn("fsnotify watch failed; falling back to polling", { err: String(err) });
      }
    }
  }

  private disarm(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
  }

  async run(signal: AbortSignal): Promise<void> {
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => resolve(), { once: true });
    });
  }

  stop(): void {
    this.disarm();
  }
}

/** Go's os.PathError text (`open /x: no such file or directory`) for the usual errno codes. */
function goFileError(path: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  const text: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EISDIR: "is a directory",
    ENOTDIR: "not a directory",
  };
  if (code && text[code]) return `${code === "EISDIR" ? "read" : "open"} ${path}: ${text[code]}`;
  return err instanceof Error ? err.message : String(err);
}

/** Loaded with the first block of this component in a config (see file.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = async (ctx, args) => {
  const c = new LocalFile(ctx, args);
  await c.init();
  return c;
};
