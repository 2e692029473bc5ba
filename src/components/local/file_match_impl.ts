// local.file_match: expands doublestar globs in `__path__` (minus `__path_exclude__`)
// into one target per file, refreshed every sync_period.

import type * as schema from "../../syntax/schema/index.ts";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../runtime/component.ts";
import { matchTargets, type Arguments, type Exports } from "./file_match.ts";

type Args = schema.Infer<typeof Arguments>;

class FileMatch implements ComponentInstance<Args> {
  constructor(
    private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>,
    private args: Args,
  ) {
    this.sync();
  }

  private sync(): void {
    this.ctx.publish({ targets: matchTargets(this.args.path_targets, this.args.ignore_older_than) });
  }

  update(args: Args): void {
    this.args = args;
    this.sync();
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(this.args.sync_period, 1));
        signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
      });
      if (!signal.aborted) this.sync();
    }
  }
}

/** Loaded with the first block of this component in a config (see file_match.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = (ctx, args) => new FileMatch(ctx, args);
