// OTLP protobuf binary encoding through the generated schemas.

import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { PayloadError } from "./payload_error.ts";

export function encodeOtlpProtobuf<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Uint8Array<ArrayBuffer> {
  return toBinary(schema, message);
}

/** Decodes protobuf bytes; throws PayloadError("invalid") naming the message and the decoder's complaint. */
export function decodeOtlpProtobuf<Desc extends DescMessage>(schema: Desc, body: Uint8Array): MessageShape<Desc> {
  try {
    return fromBinary(schema, body);
  } catch (err) {
    throw new PayloadError("invalid", `invalid ${schema.name} protobuf (${body.byteLength} bytes): ${(err as Error).message}`);
  }
}
