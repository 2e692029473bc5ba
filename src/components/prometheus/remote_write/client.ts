// One remote write endpoint's HTTP side: POSTs snappy-compressed WriteRequests with
// Prometheus's remote write 1.0 headers, the endpoint's headers and auth, within
// remote_timeout, and classifies the answer as Prometheus's client does: 2xx sent,
// 5xx (and 429 when retry_on_http_429) recoverable, honouring Retry-After, any
// other status failed for good; network errors and timeouts are recoverable.

import { buildInfo } from "../../../buildinfo.ts";
import { remoteWriteHeaders } from "../../../telemetry/prometheus/remotewrite/http.ts";
import { HTTPClient, type ClientRequest } from "../../common/http_client/client.ts";
import type { HTTPClientConfig } from "../../common/http_client/config.ts";
import type { EndpointArgs } from "./arguments.ts";

export const USER_AGENT = `Alloy/${buildInfo.version}`;

export type SendResult =
  | { kind: "ok" }
  | { kind: "recoverable"; message: string; retryAfterMs?: number }
  | { kind: "failed"; message: string };

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export class RemoteWriteClient {
  readonly #http: HTTPClient;
  readonly #headers: Record<string, string>;

  constructor(
    readonly endpoint: EndpointArgs,
    fetchImpl: typeof fetch,
  ) {
    this.#http = new HTTPClient(endpoint as unknown as HTTPClientConfig, fetchImpl);
    this.#headers = { ...endpoint.headers, ...remoteWriteHeaders(USER_AGENT) };
  }

  async send(body: Uint8Array, retryOn429: boolean, stop: AbortSignal): Promise<SendResult> {
    const timeout = AbortSignal.timeout(Math.max(1, this.endpoint.remote_timeout));
    const signal = AbortSignal.any([timeout, stop]);
    let res: Response;
    try {
      // The shared client types its body as text; fetch takes bytes as they are.
      const init: ClientRequest = { method: "POST", headers: this.#headers, body, signal };
      res = await this.#http.request(this.endpoint.url, init);
    } catch (e) {
      const msg = timeout.aborted ? `context deadline exceeded after ${this.endpoint.remote_timeout}ms` : e instanceof Error ? e.message : String(e);
      return { kind: "recoverable", message: `Post "${this.endpoint.url}": ${msg}` };
    }
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => undefined);
      return { kind: "ok" };
    }
    let text = "";
    try {
      text = (await res.text()).slice(0, 512).trim();
    } catch {
      // The body is only for the message.
    }
    const message = `server returned HTTP status ${res.status} ${res.statusText}${text !== "" ? `: ${text}` : ""}`;
    if (res.status >= 500 || (res.status === 429 && retryOn429)) {
      return { kind: "recoverable", message, retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) };
    }
    return { kind: "failed", message };
  }
}
