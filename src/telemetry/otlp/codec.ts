// Export requests and responses of each signal in either OTLP encoding.

import type { MessageShape } from "@bufbuild/protobuf";
import { readExportRequestJson } from "./json_reader.ts";
import { exportRequestJson } from "./json_writer.ts";
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from "./otlp_protobuf.ts";
import type { ExportRequest, ExportResponse, Signal } from "./pdata.ts";
import { otlpJson, pdata } from "./schemas.ts";
import { readExportRequest } from "./request_reader.ts";
import { writeExportRequest } from "./request_writer.ts";

export type OtlpEncoding = "protobuf" | "json";

export const CONTENT_TYPE: Record<OtlpEncoding, string> = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};

/** The encoding for a Content-Type header, or undefined when it is neither OTLP encoding. */
export function encodingOfContentType(contentType: string | null | undefined): OtlpEncoding | undefined {
  const mime = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (mime === "application/x-protobuf" || mime === "application/protobuf") return "protobuf";
  if (mime === "application/json") return "json";
  return undefined;
}

/** Decodes an export request; throws PayloadError("invalid") saying what was wrong. */
export function decodeExportRequest<S extends Signal>(signal: S, body: Uint8Array, encoding: OtlpEncoding): ExportRequest<S> {
  // The specialised readers cover well-formed requests; anything else gets the generic decoder.
  if (encoding === "protobuf") {
    const fast = readExportRequest(signal, body);
    if (fast !== undefined) return fast;
    const schema = pdata().SIGNAL_DESCRIPTORS[signal].request;
    return decodeOtlpProtobuf(schema, body) as MessageShape<typeof schema> as ExportRequest<S>;
  }
  const schema = pdata().SIGNAL_DESCRIPTORS[signal].request;
  const json = otlpJson().parseOtlpJson(schema, body);
  const fast = readExportRequestJson(signal, json);
  if (fast !== undefined) return fast;
  return otlpJson().decodeParsedOtlpJson(schema, json) as MessageShape<typeof schema> as ExportRequest<S>;
}

export function encodeExportRequest<S extends Signal>(signal: S, request: ExportRequest<S>, encoding: OtlpEncoding): Uint8Array<ArrayBuffer> {
  if (encoding === "protobuf") return writeExportRequest(signal, request);
  const json = exportRequestJson(signal, request);
  if (json !== undefined) return new TextEncoder().encode(JSON.stringify(json));
  const schema = pdata().SIGNAL_DESCRIPTORS[signal].request;
  const msg = request as MessageShape<typeof schema>;
  return encoding === "json" ? otlpJson().encodeOtlpJson(schema, msg) : encodeOtlpProtobuf(schema, msg);
}

export function decodeExportResponse<S extends Signal>(signal: S, body: Uint8Array, encoding: OtlpEncoding): ExportResponse<S> {
  const schema = pdata().SIGNAL_DESCRIPTORS[signal].response;
  const msg = encoding === "json" ? otlpJson().decodeOtlpJson(schema, body) : decodeOtlpProtobuf(schema, body);
  return msg as MessageShape<typeof schema> as ExportResponse<S>;
}

export function encodeExportResponse<S extends Signal>(signal: S, response: ExportResponse<S>, encoding: OtlpEncoding): Uint8Array<ArrayBuffer> {
  const schema = pdata().SIGNAL_DESCRIPTORS[signal].response;
  const msg = response as MessageShape<typeof schema>;
  return encoding === "json" ? otlpJson().encodeOtlpJson(schema, msg) : encodeOtlpProtobuf(schema, msg);
}
