// The `otelcol.Handler` capsule that otelcol.auth.* and otelcol.storage.* export:
// an extension that receivers (server auth), exporters (client auth) and queues
// (storage) look into for the part they need.

import * as schema from "../../../syntax/schema/index.ts";
import type { ServerAuthenticator } from "../../../telemetry/otlp/server_auth.ts";

export const HANDLER_CAPSULE_TYPE = "otelcol.Handler";

/**
 * A client's per-request credentials: the headers to add or override, given the request's
 * client metadata (for values taken from the context) and the headers the exporter already sends.
 */
export type ClientHeaders = (metadata: ReadonlyMap<string, readonly string[]> | undefined, existing: Readonly<Record<string, string>>) => Record<string, string>;

/** A key-value store an exporter's persistent queue writes into. */
export interface StorageClient {
  /** Directory the queue may own (created when needed). */
  directoryFor(owner: string, signal: string): string;
}

export interface OtelHandler {
  /** The extension's component ID, for error messages. */
  readonly id: string;
  /** Checks incoming requests (server side); absent when the extension cannot authenticate servers. */
  readonly server?: ServerAuthenticator;
  /** Headers for outgoing requests (client side); absent when the extension cannot authenticate clients. */
  readonly client?: ClientHeaders;
  readonly storage?: StorageClient;
}

export const handlerType = schema.capsule<OtelHandler>(HANDLER_CAPSULE_TYPE);

export function serverAuthOf(h: OtelHandler | undefined, where: string): ServerAuthenticator | undefined {
  if (!h) return undefined;
  if (!h.server) throw new Error(`${where}: ${h.id} does not support server authentication`);
  return h.server;
}

export function clientAuthOf(h: OtelHandler | undefined, where: string): ClientHeaders | undefined {
  if (!h) return undefined;
  if (!h.client) throw new Error(`${where}: ${h.id} does not support client authentication`);
  return h.client;
}

export function storageOf(h: OtelHandler | undefined, where: string): StorageClient | undefined {
  if (!h) return undefined;
  if (!h.storage) throw new Error(`${where}: ${h.id} is not a storage extension`);
  return h.storage;
}
