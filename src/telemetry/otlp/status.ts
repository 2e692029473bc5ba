// How failures map to OTLP status codes, on the server side and in clients
// (OTLP specification, "Failures" and "Throttling" for OTLP/gRPC and OTLP/HTTP).

import { ConnectError, Code } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { errorMessage, findConsumerError, SignalNotAccepted } from "./consumer.ts";
import { PayloadError } from "./payload_error.ts";
import { pdata } from "./schemas.ts";
import { AuthenticationError } from "./server_auth.ts";

/** The gRPC error a receiver answers with when a consumer or the payload failed. */
export function grpcErrorFor(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof AuthenticationError) return new ConnectError(err.message, Code.Unauthenticated);
  if (err instanceof SignalNotAccepted) return new ConnectError(err.message, Code.Unimplemented);
  if (err instanceof PayloadError) {
    return new ConnectError(err.message, err.problem === "too_large" ? Code.ResourceExhausted : Code.InvalidArgument);
  }
  const ce = findConsumerError(err);
  const message = errorMessage(err);
  if (ce?.permanent) return new ConnectError(message, Code.InvalidArgument);
  const code = ce?.throttled ? Code.ResourceExhausted : Code.Unavailable;
  if (ce?.retryAfterSeconds === undefined) return new ConnectError(message, code);
  const seconds = Math.max(0, ce.retryAfterSeconds);
  const { RetryInfoSchema } = pdata();
  const retryInfo = create(RetryInfoSchema, {
    retryDelay: { seconds: BigInt(Math.floor(seconds)), nanos: Math.round((seconds % 1) * 1e9) },
  });
  return new ConnectError(message, code, undefined, [{ desc: RetryInfoSchema, value: retryInfo }]);
}

/** HTTP status for a receiver failure (the Collector's mapping: permanent 400, retryable 503, throttled 429). */
export function httpStatusFor(err: unknown): number {
  if (err instanceof AuthenticationError) return 401;
  if (err instanceof SignalNotAccepted) return 404;
  if (err instanceof PayloadError) {
    switch (err.problem) {
      case "too_large":
        return 413;
      case "unsupported_media_type":
        return 415;
      default:
        return 400;
    }
  }
  const ce = findConsumerError(err);
  if (ce?.permanent) return 400;
  return ce?.throttled ? 429 : 503;
}

/** gRPC status code carried in google.rpc.Status bodies for an HTTP status. */
export function grpcCodeForHttpStatus(status: number): Code {
  switch (status) {
    case 400:
      return Code.InvalidArgument;
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
      return Code.NotFound;
    case 405:
    case 415:
      return Code.Unimplemented;
    case 413:
    case 429:
      return Code.ResourceExhausted;
    case 503:
    case 502:
    case 504:
      return Code.Unavailable;
    default:
      return Code.Unknown;
  }
}

/** OTLP/gRPC: codes a client may retry (the spec's retryable list). */
export function isRetryableGrpcCode(code: Code): boolean {
  switch (code) {
    case Code.Canceled:
    case Code.DeadlineExceeded:
    case Code.Aborted:
    case Code.OutOfRange:
    case Code.Unavailable:
    case Code.DataLoss:
    case Code.ResourceExhausted: // retryable only with RetryInfo; callers check that
      return true;
    default:
      return false;
  }
}

/** OTLP/HTTP: statuses a client may retry. */
export function isRetryableHttpStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}
