// Export responses: OTLP's partial_success in both directions.

import { create } from "@bufbuild/protobuf";
import type { PartialSuccess } from "./consumer.ts";
import type { ExportResponse, Signal } from "./pdata.ts";
import { pdata } from "./schemas.ts";

/** An export response, with partial_success set when some items were rejected or a warning is given. */
export function exportResponse<S extends Signal>(signal: S, partial?: PartialSuccess | void): ExportResponse<S> {
  const schema = pdata().SIGNAL_DESCRIPTORS[signal].response;
  if (!partial || (partial.rejected === 0 && partial.message === "")) return create(schema) as ExportResponse<S>;
  const rejected = BigInt(partial.rejected);
  const detail =
    signal === "traces"
      ? { rejectedSpans: rejected }
      : signal === "metrics"
        ? { rejectedDataPoints: rejected }
        : { rejectedLogRecords: rejected };
  return create(schema, { partialSuccess: { ...detail, errorMessage: partial.message } } as never) as ExportResponse<S>;
}

/**
 * The encoded answer to a fully successful export: a response with every field at its
 * default, which is no bytes in protobuf and an empty object in OTLP/JSON.
 */
export function fullSuccessBody(encoding: "protobuf" | "json"): Uint8Array<ArrayBuffer> {
  return encoding === "json" ? Uint8Array.of(0x7b, 0x7d) : new Uint8Array(0);
}

/** The partial success a server reported, or undefined for full success. */
export function partialSuccessOf(response: ExportResponse): PartialSuccess | undefined {
  const p = response.partialSuccess;
  if (!p) return undefined;
  const rejected =
    "rejectedSpans" in p ? p.rejectedSpans : "rejectedDataPoints" in p ? p.rejectedDataPoints : p.rejectedLogRecords;
  if (rejected === 0n && p.errorMessage === "") return undefined;
  return { rejected: Number(rejected), message: p.errorMessage };
}
