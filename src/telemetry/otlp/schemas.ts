// The generated descriptors and the protobuf-es JSON codec, loaded on first use. A pipeline
// that receives, batches and forwards protobuf never needs them: receivers scan requests
// (wire_scan.ts), and the fast reader and writer build and encode messages without them.
// They are needed to decode what the fast reader declines, for OTLP/JSON, partial
// successes and error details; those paths call these instead of importing the modules,
// which would build every descriptor when the component loads.

type Pdata = typeof import("./pdata.ts");
type OtlpJson = typeof import("./otlp_json.ts");

let pdataModule: Pdata | undefined;
let otlpJsonModule: OtlpJson | undefined;

/** pdata.ts: the generated messages and SIGNAL_DESCRIPTORS. */
export function pdata(): Pdata {
  return (pdataModule ??= require("./pdata.ts") as Pdata);
}

/** otlp_json.ts: fromJson / toJson with OTLP's JSON rules. */
export function otlpJson(): OtlpJson {
  return (otlpJsonModule ??= require("./otlp_json.ts") as OtlpJson);
}
