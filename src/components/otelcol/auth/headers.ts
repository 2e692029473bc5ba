// otelcol.auth.headers: headers exporters add to each request, with a fixed value or one
// taken from the request's client metadata (receivers with include_metadata).

import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { handlerType, type OtelHandler } from "../common/handler.ts";

const Header = schema.block({
  key: schema.attr(schema.string),
  value: schema.attr(schema.optionalSecret, { optional: true }),
  from_context: schema.attr(schema.string, { optional: true }),
  action: schema.attr(schema.enumWith(["insert", "update", "upsert", "delete"], (got) => `unknown action ${got}`), { default: "upsert" }),
}, {
  validate: (h) => {
    if (h.key === "") return "key must be set";
    if (h.action === "delete") return undefined;
    const hasValue = h.value !== undefined;
    const hasCtx = h.from_context !== undefined;
    if (hasValue === hasCtx) return `header "${h.key}": exactly one of value or from_context must be set`;
    return undefined;
  },
});

const Arguments = schema.block({
  header: schema.blocks(Header),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ handler: schema.attr(handlerType) });

export function headersHandler(id: string, args: Args): OtelHandler {
  const rules = args.header;
  return {
    id,
    client: (metadata, existing) => {
      const present = new Set(Object.keys(existing).map((k) => k.toLowerCase()));
      const out: Record<string, string> = {};
      for (const h of rules) {
        const has = present.has(h.key.toLowerCase()) || h.key in out;
        if (h.action === "delete") {
          if (has) out[h.key] = "";
          continue;
        }
        const value = h.value !== undefined ? h.value.value : metadata?.get(h.from_context!.toLowerCase())?.[0];
        if (value === undefined) continue;
        if (h.action === "insert" && has) continue;
        if (h.action === "update" && !has) continue;
        out[h.key] = value;
        present.add(h.key.toLowerCase());
      }
      return out;
    },
  };
}

class HeadersAuth implements ComponentInstance<Args> {
  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.update(args);
  }
  update(args: Args): void {
    this.ctx.publish({ handler: headersHandler(this.ctx.id, args) });
  }
}

export default defineComponent({
  name: "otelcol.auth.headers",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new HeadersAuth(ctx, args),
});
