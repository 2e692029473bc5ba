// Typed decoding of Alloy bodies. A component declares its arguments once:
//
//   import * as schema from "../syntax/schema/index.ts";
//   const Arguments = schema.block({
//     filename:       schema.attr(schema.string),                          // required
//     detector:       schema.attr(schema.enumOf("fsnotify", "poll"), { default: "fsnotify" }),
//     poll_frequency: schema.attr(schema.duration, { default: "1m" }),   // milliseconds out
//     tls_config:     schema.block(TLSConfig, { optional: true }),        // undefined when absent
//     rule:           schema.blocks(Rule),                                 // repeatable, in order
//     stages:         schema.enumBlocks({ "stage.json": StageJSON }),     // ordered mixed blocks
//     ...schema.squash(HTTPClientConfig),                                  // embedded fields
//   }, { validate: (a) => (a.poll_frequency > 0 ? undefined : "poll_frequency must be positive") });
//   type Args = schema.Infer<typeof Arguments>;
//
// decodeBody evaluates and decodes a body (all problems as one DiagnosticsError),
// typecheckBlock checks one statically (alloy validate), encodeBody turns exports
// into an Alloy object value, bodyToAlloyJSON renders a value for the UI.

export {
  any,
  bool,
  capsule,
  decodeWith,
  duration,
  enumOf,
  enumWith,
  goQuote,
  int,
  int64,
  list,
  map,
  number,
  object,
  optionalSecret,
  secret,
  string,
  target,
  targets,
  text,
  typedAlloyJSON,
  uint,
  type ObjectOf,
  type Type,
  type Shape,
  type TypeOf,
} from "./types.ts";
export {
  AttrMapSchema,
  BlockSchema,
  alloyName,
  attr,
  attrMap,
  block,
  blocks,
  blocksExactly,
  enumBlocks,
  label,
  squash,
  type AttrField,
  type AttrMode,
  type BlockField,
  type BlockMode,
  type BlockOptions,
  type BlocksField,
  type EnumBlocksField,
  type EnumElement,
  type EnumMembers,
  type Field,
  type Fields,
  type Infer,
  type InferFields,
  type LabelField,
  type Validate,
} from "./fields.ts";
export { decodeBody, decodeValue, defaultsOf, encodeBody, encodeValue, type DecodeOptions } from "./decode.ts";
export { bodyToAlloyJSON } from "./alloyjson.ts";
export type { OptionalSecret } from "../convert.ts";
export { typecheckBlock } from "./typecheck.ts";
