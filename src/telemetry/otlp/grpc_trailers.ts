// Trailers that end a failed gRPC call: grpc-status, grpc-message (percent-encoded) and,
// when the error carries details such as RetryInfo, grpc-status-details-bin with the
// google.rpc.Status they belong to (base64 without padding), as Connect writes them. Written
// here rather than with Connect's protocol-grpc writer, whose module builds descriptors when
// loaded; only a failure with details loads them here, through pdata().

import { create, toBinary } from "@bufbuild/protobuf";
import type { ConnectError } from "@connectrpc/connect";
import { pdata } from "./schemas.ts";

export function grpcErrorTrailers(error: ConnectError): Record<string, string> {
  const trailers: Record<string, string> = {};
  error.metadata.forEach((value, key) => (trailers[key] = value));
  trailers["grpc-status"] = String(error.code);
  trailers["grpc-message"] = encodeURIComponent(error.rawMessage);
  if (error.details.length > 0) {
    const status = create(pdata().RpcStatusSchema, {
      code: error.code,
      message: error.rawMessage,
      details: error.details.map((d) =>
        "desc" in d
          ? { typeUrl: `type.googleapis.com/${d.desc.typeName}`, value: toBinary(d.desc, create(d.desc, d.value)) }
          : { typeUrl: `type.googleapis.com/${d.type}`, value: d.value },
      ),
    });
    trailers["grpc-status-details-bin"] = Buffer.from(toBinary(pdata().RpcStatusSchema, status)).toString("base64").replace(/=+$/, "");
  }
  return trailers;
}
