// Why an export to an OTLP server failed, classified as the OTLP spec asks clients to.
// It is a ConsumerError, so an exporter can hand it straight back to whoever fed it.

import { ConsumerError, type ConsumerErrorOptions } from "./consumer.ts";

export interface ExportErrorDetails extends ConsumerErrorOptions {
  /** HTTP status, for OTLP/HTTP. */
  httpStatus?: number;
  /** gRPC status code, for OTLP/gRPC. */
  grpcCode?: number;
}

export class ExportError extends ConsumerError {
  readonly httpStatus: number | undefined;
  readonly grpcCode: number | undefined;

  constructor(message: string, permanent: boolean, details: ExportErrorDetails = {}) {
    super(message, permanent, details);
    this.httpStatus = details.httpStatus;
    this.grpcCode = details.grpcCode;
  }

  /** True when the same request may succeed if sent again later. */
  get retryable(): boolean {
    return !this.permanent;
  }
}

/** Outcome of a successful export: the server may still have refused some items. */
export interface ExportResult {
  /** Spans, data points or log records the server reported as rejected (0 for full success). */
  rejected: number;
  /** The server's message with a partial success; "" otherwise. */
  message: string;
}
