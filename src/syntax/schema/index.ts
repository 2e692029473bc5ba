// Typed decoding of Alloy bodies. Import as a namespace:
//   import * as schema from "../syntax/schema/index.ts";
//   const Arguments = schema.block({ filename: schema.attr(schema.string) });
//   type Args = schema.Infer<typeof Arguments>;

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
