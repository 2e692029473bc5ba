// otelcol.auth.bearer: a static token sent by exporters as `<scheme> <token>` in `header`,
// and required from clients by receivers.

import { timingSafeEqual } from "node:crypto";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import type { RequestHeaders } from "../../../telemetry/otlp/index.ts";
import { DebugMetrics } from "../common/debug_metrics.ts";
import { handlerType, type OtelHandler } from "../common/handler.ts";

const Arguments = schema.block({
  token: schema.attr(schema.secret),
  scheme: schema.attr(schema.string, { default: "Bearer" }),
  header: schema.attr(schema.string, { default: "Authorization" }),
  debug_metrics: schema.block(DebugMetrics, { default: "defaults" }),
});
type Args = schema.Infer<typeof Arguments>;
const Exports = schema.block({ handler: schema.attr(handlerType) });

export function bearerHandler(id: string, args: Args): OtelHandler {
  const expected = args.scheme === "" ? args.token.value : `${args.scheme} ${args.token.value}`;
  const header = args.header;
  return {
    id,
    client: () => ({ [header]: expected }),
    server: async (headers: RequestHeaders) => {
      const got = headers.get(header.toLowerCase())?.[0];
      if (got === undefined) throw new Error(`missing or empty ${header} header`);
      const a = Buffer.from(got);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) throw new Error("authentication didn't succeed");
    },
  };
}

class BearerAuth implements ComponentInstance<Args> {
  constructor(private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>, args: Args) {
    this.update(args);
  }
  update(args: Args): void {
    this.ctx.publish({ handler: bearerHandler(this.ctx.id, args) });
  }
}

export default defineComponent({
  name: "otelcol.auth.bearer",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  build: (ctx, args) => new BearerAuth(ctx, args),
});
