// remote.http: polls a URL and exports the (trimmed) response body, as a secret
// when is_secret is set. The `client` block is the shared HTTP client config
// (auth, TLS, proxy, redirects, extra headers).

import * as schema from "../../syntax/schema/index.ts";
import type { BuildComponent, ComponentContext, ComponentInstance } from "../../runtime/component.ts";
import { HTTPClient } from "../common/http_client/client.ts";
import type { Arguments, Exports } from "./http.ts";

type Args = schema.Infer<typeof Arguments>;

class RemoteHTTP implements ComponentInstance<Args> {
  private client: HTTPClient;
  private lastPoll = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly ctx: ComponentContext<schema.Infer<typeof Exports>>,
    private args: Args,
  ) {
    this.client = new HTTPClient(args.client, ctx.fetch);
  }

  /** Like Alloy, every update polls at once and fails the evaluation when the poll fails. */
  async update(args: Args): Promise<void> {
    this.args = args;
    this.client = new HTTPClient(args.client, this.ctx.fetch);
    this.wake?.();
    const err = await this.poll();
    if (err) throw new Error(err);
  }

  private async poll(): Promise<string | undefined> {
    this.lastPoll = Date.now();
    const a = this.args;
    let err: string | undefined;
    try {
      const res = await this.client.request(a.url, {
        method: a.method,
        headers: a.headers,
        body: a.body !== "" ? a.body : undefined,
        signal: AbortSignal.any([AbortSignal.timeout(a.poll_timeout), this.ctx.signal]),
      });
      const text = await res.text();
      if (res.status !== 200) err = `unexpected status code ${res.status} ${res.statusText}`.trimEnd();
      else this.ctx.publish({ content: { value: text.trim(), isSecret: a.is_secret } });
    } catch (e) {
      err = `performing request: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (err) {
      this.ctx.logger.error("polling failed", { err });
      this.ctx.setHealth({ state: "unhealthy", message: `polling failed: ${err}` });
    } else this.ctx.setHealth({ state: "healthy", message: "polled endpoint" });
    return err;
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const wait = Math.max(0, this.lastPoll + this.args.poll_frequency - Date.now());
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wake = () => (clearTimeout(t), resolve());
        signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
      });
      this.wake = undefined;
      if (!signal.aborted && Date.now() >= this.lastPoll + this.args.poll_frequency) await this.poll();
    }
  }
}

/** Loaded with the first block of this component in a config (see http.ts). */
export const build: BuildComponent<typeof Arguments, typeof Exports> = async (ctx, args) => {
  const c = new RemoteHTTP(ctx, args);
  await c.update(args);
  return c;
};
