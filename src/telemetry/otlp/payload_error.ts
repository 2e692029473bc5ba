// What was wrong with an OTLP payload a peer sent, as a value servers map to status codes.

export type PayloadProblem =
  /** Not a valid protobuf/JSON export request (HTTP 400, gRPC INVALID_ARGUMENT). */
  | "invalid"
  /** Larger than the configured limit, compressed or not (HTTP 413, gRPC RESOURCE_EXHAUSTED). */
  | "too_large"
  /** Content-Type other than protobuf or JSON (HTTP 415). */
  | "unsupported_media_type"
  /** Content-Encoding the server does not accept (HTTP 400 as in the Collector). */
  | "unsupported_encoding";

export class PayloadError extends Error {
  override readonly name = "PayloadError";
  constructor(
    readonly problem: PayloadProblem,
    message: string,
  ) {
    super(message);
  }
}
