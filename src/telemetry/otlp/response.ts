// Export responses: OTLP's partial_success in both directions.

import { create } from "@bufbuild/protobuf";
import type { PartialSuccess } from "./consumer.ts";
import { SIGNAL_DESCRIPTORS, type ExportResponse, type Signal } from "./pdata.ts";

/** An export response, with partial_success set when some items were rejected or a warning is given. */
export function exportResponse<S extends Signal>(signal: S, partial?: PartialSuccess | void): ExportResponse<S> {
  const schema = SIGNAL_DESCRIPTORS[signal].response;
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

/** The partial success a server reported, or undefined for full success. */
export function partialSuccessOf(response: ExportResponse): PartialSuccess | undefined {
  const p = response.partialSuccess;
  if (!p) return undefined;
  const rejected =
    "rejectedSpans" in p ? p.rejectedSpans : "rejectedDataPoints" in p ? p.rejectedDataPoints : p.rejectedLogRecords;
  if (rejected === 0n && p.errorMessage === "") return undefined;
  return { rejected: Number(rejected), message: p.errorMessage };
}
