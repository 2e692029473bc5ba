// The fields of a block schema: attributes, nested blocks (single, repeated,
// fixed-count), ordered mixed "enum" blocks, and the block label. A component
// declares them once; decoding, defaults, validation and UI rendering follow.

import type { StabilityLevel } from "../value.ts";
import type { Type } from "./types.ts";

/** How an attribute may be omitted: required, defaulted, or left undefined. */
export type AttrMode = "required" | "default" | "optional";

export interface AttrField<T, D = T, M extends AttrMode = AttrMode> {
  readonly kind: "attr";
  readonly type: Type<T, D>;
  readonly mode: M;
  readonly default?: D | (() => T);
  /** The name in the config when it differs from the property name. */
  readonly name?: string;
  readonly stability?: StabilityLevel;
}

export type BlockMode = "required" | "default" | "optional";

/** What a nested block decodes with: a block schema, or a map of attributes (Go's map-typed blocks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BodySchema = BlockSchema | AttrMapSchema<any, any>;

export interface BlockField<S extends BodySchema = BodySchema, M extends BlockMode = BlockMode> {
  readonly kind: "block";
  readonly schema: S;
  readonly mode: M;
  /** "defaults" decodes an empty body (every attribute default) when the block is absent. */
  readonly default?: "defaults" | (() => Infer<S>);
  readonly name?: string;
  readonly stability?: StabilityLevel;
}

export interface BlocksField<S extends BodySchema = BodySchema> {
  readonly kind: "blocks";
  readonly schema: S;
  /** Set when at least one block must be present. */
  readonly required: boolean;
  /** Set when the block must appear exactly this many times. */
  readonly exactly?: number;
  readonly name?: string;
  readonly stability?: StabilityLevel;
}

export type EnumMembers = Record<string, BlockSchema>;

/** One element of an ordered mixed block list: which block it was, and its decoded body. */
export type EnumElement<E extends EnumMembers> = { [K in keyof E & string]: { kind: K; value: Infer<E[K]> } }[keyof E & string];

export interface EnumBlocksField<E extends EnumMembers = EnumMembers> {
  readonly kind: "enum";
  readonly members: E;
  readonly stability?: StabilityLevel;
}

export interface LabelField {
  readonly kind: "label";
}

export type Field =
  | AttrField<any, any, AttrMode> // eslint-disable-line @typescript-eslint/no-explicit-any
  | BlockField<any, BlockMode> // eslint-disable-line @typescript-eslint/no-explicit-any
  | BlocksField<any> // eslint-disable-line @typescript-eslint/no-explicit-any
  | EnumBlocksField<any> // eslint-disable-line @typescript-eslint/no-explicit-any
  | LabelField;

export type Fields = Record<string, Field>;

/** The result of validate: a message (or nothing when valid). Throwing an Error works too. */
export type Validate<T> = (value: T) => string | undefined | void;

export interface BlockOptions<T> {
  // Method syntax keeps schemas of specific shapes assignable to BlockSchema<Fields>.
  validate?(value: T): string | undefined | void;
}

/** A block or body schema: its fields and an optional validation hook run after decoding. */
export class BlockSchema<F extends Fields = Fields> {
  readonly kind = "blockSchema";
  constructor(
    readonly fields: F,
    readonly options: BlockOptions<InferFields<F>> = {},
  ) {}

  /** The property holding the label, when the block takes one. */
  get labelKey(): string | undefined {
    return Object.keys(this.fields).find((k) => this.fields[k]!.kind === "label");
  }
}

/** A body decoded into a map of attributes (custom components' arguments); nested blocks are refused. */
export class AttrMapSchema<T = unknown, D = unknown> {
  readonly kind = "attrMap";
  constructor(readonly type: Type<T, D>) {}
}

type FieldOut<F> =
  F extends AttrField<infer T, infer _D, infer M>
    ? M extends "optional"
      ? T | undefined
      : T
    : F extends BlockField<infer S, infer M>
      ? M extends "optional"
        ? Infer<S> | undefined
        : Infer<S>
      : F extends BlocksField<infer S>
        ? Infer<S>[]
        : F extends EnumBlocksField<infer E>
          ? EnumElement<E>[]
          : F extends LabelField
            ? string
            : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Keys whose field may be absent from the decoded value (optional attributes and blocks). */
type OptionalKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends AttrField<infer _T, infer _D, "optional"> ? K : F[K] extends BlockField<infer _S, "optional"> ? K : never;
}[keyof F];

export type InferFields<F extends Fields> = Simplify<
  { -readonly [K in Exclude<keyof F, OptionalKeys<F>>]: FieldOut<F[K]> } & {
    -readonly [K in OptionalKeys<F>]?: FieldOut<F[K]>;
  }
>;

/** The decoded TypeScript type of a schema. */
export type Infer<S> =
  S extends BlockSchema<infer F> ? InferFields<F> : S extends AttrMapSchema<infer T, infer _D> ? Record<string, T> : never;

interface CommonOptions {
  name?: string;
  stability?: StabilityLevel;
}

export function attr<T, D>(type: Type<T, D>, opts: CommonOptions & { default: D | (() => T) }): AttrField<T, D, "default">;
export function attr<T, D>(type: Type<T, D>, opts: CommonOptions & { optional: true }): AttrField<T, D, "optional">;
export function attr<T, D>(type: Type<T, D>, opts?: CommonOptions): AttrField<T, D, "required">;
export function attr<T, D>(
  type: Type<T, D>,
  opts: CommonOptions & { default?: D | (() => T); optional?: boolean } = {},
): AttrField<T, D, AttrMode> {
  const mode: AttrMode = "default" in opts ? "default" : opts.optional ? "optional" : "required";
  return { kind: "attr", type, mode, default: opts.default, name: opts.name, stability: opts.stability };
}

/**
 * `block({...fields}, opts)` defines a block schema; `block(Schema, opts)`
 * declares a nested block field of that schema (required unless optional or defaulted).
 */
export function block<F extends Fields>(fields: F, opts?: BlockOptions<InferFields<F>>): BlockSchema<F>;
export function block<S extends BodySchema>(schema: S, opts: CommonOptions & { optional: true }): BlockField<S, "optional">;
export function block<S extends BodySchema>(
  schema: S,
  opts: CommonOptions & { default: "defaults" | (() => Infer<S>) },
): BlockField<S, "default">;
export function block<S extends BodySchema>(schema: S, opts?: CommonOptions): BlockField<S, "required">;
export function block(
  arg: Fields | BodySchema,
  opts: (CommonOptions & { optional?: boolean; default?: "defaults" | (() => unknown) }) | BlockOptions<never> = {},
): BlockSchema | BlockField {
  if (!(arg instanceof BlockSchema) && !(arg instanceof AttrMapSchema)) return new BlockSchema(arg, opts as BlockOptions<InferFields<Fields>>);
  const o = opts as CommonOptions & { optional?: boolean; default?: "defaults" | (() => never) };
  const mode: BlockMode = o.default !== undefined ? "default" : o.optional ? "optional" : "required";
  return { kind: "block", schema: arg, mode, default: o.default, name: o.name, stability: o.stability };
}

/** A repeatable block, decoded in order (empty when absent unless `required`). */
export function blocks<S extends BodySchema>(schema: S, opts: CommonOptions & { required?: boolean } = {}): BlocksField<S> {
  return { kind: "blocks", schema, required: opts.required ?? false, name: opts.name, stability: opts.stability };
}

/** A block that must appear exactly `n` times. */
export function blocksExactly<S extends BodySchema>(schema: S, n: number, opts: CommonOptions = {}): BlocksField<S> {
  return { kind: "blocks", schema, required: n > 0, exactly: n, name: opts.name, stability: opts.stability };
}

/** Blocks of several kinds kept in one ordered list, e.g. loki.process stages. Keys are full block names. */
export function enumBlocks<E extends EnumMembers>(members: E, opts: { stability?: StabilityLevel } = {}): EnumBlocksField<E> {
  return { kind: "enum", members, stability: opts.stability };
}

/** The block's label (`block "label" { }`); a schema with a label requires a non-empty one. */
export function label(): LabelField {
  return { kind: "label" };
}

/** The fields of a shared block, to spread into another (Go's `squash` embedding). */
export function squash<F extends Fields>(schema: BlockSchema<F>): F {
  return schema.fields;
}

/** A body of arbitrary attributes decoded with one type. */
export function attrMap<T, D>(type: Type<T, D>): AttrMapSchema<T, D> {
  return new AttrMapSchema(type);
}

/** The name a field has in the config. */
export function alloyName(key: string, f: Field): string {
  return f.kind === "attr" || f.kind === "block" || f.kind === "blocks" ? (f.name ?? key) : key;
}
