// The runtime's only view of the syntax package's argument schemas. Until
// src/syntax/schema lands this is an opaque carrier of the decoded type; the
// runtime casts it to the real schema when decoding.

/** A block schema that decodes to `T` (satisfied by `schema.block({...})`). */
export type ArgsSchema<T> = object & { readonly __decodesTo?: (t: T) => T };
