// otelcol.storage.file: a directory where exporters' persistent sending queues (and other
// extensions' state) live across restarts; defaults to the component's data directory.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { handlerType, type OtelHandler } from "../common/handler.ts";

const Compaction = schema.block({
  on_start: schema.attr(schema.bool, { default: false }),
  on_rebound: schema.attr(schema.bool, { default: false }),
  directory: schema.attr(schema.string, { default: "" }),
  max_transaction_size: schema.attr(schema.int, { default: 65536 }),
  rebound_needed_threshold_mib: schema.attr(schema.int, { default: 100 }),
  rebound_trigger_threshold_mib: schema.attr(schema.int, { default: 10 }),
  check_interval: schema.attr(schema.duration, { default: "5s" }),
  cleanup_on_start: schema.attr(schema.bool, { default: false }),
});

const Arguments = schema.block({
  directory: schema.attr(schema.string, { default: "" }),
  timeout: schema.attr(schema.duration, { default: "1s" }),
  fsync: schema.attr(schema.bool, { default: false }),
  create_directory: schema.attr(schema.bool, { default: true }),
  directory_permissions: schema.attr(schema.string, { default: "0750" }),
  compaction: schema.block(Compaction, { optional: true }),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ handler: schema.attr(handlerType) });

/** A file-system-safe name for the owner of a queue (a component ID). */
function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, "_");
}

export function fileStorageHandler(id: string, directory: string, create: boolean): OtelHandler {
  if (create) mkdirSync(directory, { recursive: true });
  return {
    id,
    storage: { directoryFor: (owner, name) => join(directory, `${safeName(owner)}_${safeName(name)}`) },
  };
}

class FileStorage implements ComponentInstance<Args> {
  #dir: string | undefined;
  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.update(args);
  }
  update(args: Args): void {
    const dir = args.directory === "" ? this.ctx.dataDir : args.directory;
    // The same handler while the directory stays, so queues using it are not rebuilt.
    if (dir === this.#dir) return;
    this.#dir = dir;
    this.ctx.publish({ handler: fileStorageHandler(this.ctx.id, dir, args.create_directory || args.directory === "") });
  }
}

export default defineComponent({
  name: "otelcol.storage.file",
  stability: "public-preview",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new FileStorage(ctx, args),
});
