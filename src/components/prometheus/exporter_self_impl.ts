// prometheus.exporter.self: a target for this process's own metrics, scraped
// in-process through the memory address. The component's handler answers
// `/metrics` with what the server's `/metrics` serves (build info, process,
// config, controller and component metrics), as Alloy's agent integration serves
// the default registry.

import { hostname } from "node:os";
import * as schema from "../../syntax/schema/index.ts";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../runtime/component.ts";
import type { Arguments, Exports } from "./exporter_self.ts";

type Args = schema.Infer<typeof Arguments>;
type Ctx = ComponentContext<schema.Infer<typeof Exports>>;

/** Alloy's exporter instance default: $HOSTNAME, else the OS hostname, else "unknown". */
export function defaultInstance(): string {
  const env = process.env.HOSTNAME;
  if (env) return env;
  try {
    return hostname() || "unknown";
  } catch {
    return "unknown";
  }
}

/** The target every prometheus.exporter.* exports (exporter.New in Alloy). */
export function exporterTarget(ctx: { globalID: string; memoryAddress: string }, name: string, instance = defaultInstance()): Record<string, string> {
  const id = ctx.globalID;
  return {
    __address__: ctx.memoryAddress,
    __scheme__: "http",
    __metrics_path__: `/api/v0/component/${id}/metrics`,
    instance,
    job: `integrations/${name}`,
    __meta_component_name: id.slice(0, id.lastIndexOf(".")),
    __meta_component_id: id,
  };
}

class ExporterSelf implements ComponentInstance<Args> {
  constructor(private readonly ctx: Ctx) {
    ctx.publish({ targets: [exporterTarget(ctx, "self")] });
  }

  update(): void {
    this.ctx.publish({ targets: [exporterTarget(this.ctx, "self")] });
  }

  handler = async (req: Request, path: string): Promise<Response> => {
    if (path !== "/metrics") return new Response("404 page not found\n", { status: 404 });
    const res = await this.ctx.fetch(`http://${this.ctx.memoryAddress}/metrics`, { headers: { Accept: req.headers.get("Accept") ?? "*/*" }, signal: req.signal });
    return new Response(res.body, {
      status: res.status,
      headers: { "Content-Type": res.headers.get("Content-Type") ?? "text/plain; version=0.0.4; charset=utf-8" },
    });
  };
}

/** Loaded with the first block of this component in a config (see exporter_self.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = (ctx) => new ExporterSelf(ctx);
