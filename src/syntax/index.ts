// The public face of the Alloy syntax package: parse, print, evaluate, decode.

export * from "./ast.ts";
export * from "./value.ts";
export * from "./diag.ts";
export { parseFile, parseExpression, type ParseFileResult, type ParseExpressionResult } from "./parser.ts";
export { printFile, printExpr, type PrintOptions } from "./printer/index.ts";
export { renderDiagnostics } from "./diag_render.ts";
export {
  DEPRECATION_MESSAGE,
  EvalError,
  Scope,
  evaluate,
  literalValue,
  stabilityAllowed,
  stabilityMessage,
  toEvalError,
  unquote,
  valueErrorDiagnostic,
  type EvalOptions,
} from "./vm.ts";
export { binaryOp, unaryOp, valuesEqual, compareBytes, OperatorError } from "./ops.ts";
export {
  ArgError,
  FunctionError,
  ValueError,
  describe,
  formatFloat,
  numberToString,
  toBool,
  toDuration,
  toFloat,
  toInt,
  toSecret,
  toStringValue,
  toOptionalSecret,
  type OptionalSecret,
  type PathSegment,
} from "./convert.ts";
export { DurationError, formatDuration, formatDurationNanos, parseDuration, parseDurationNanos } from "./duration.ts";
export { sprintf } from "./goformat.ts";
export {
  DEPRECATED_IDENTIFIERS,
  EXPERIMENTAL_IDENTIFIERS,
  createStdlib,
  defaultHost,
  defaultStdlib,
  isStdlibIdentifier,
  normalizeVersion,
  setDefaultHost,
  type Host,
} from "./stdlib/index.ts";
export * as schema from "./schema/index.ts";
export {
  attributesToAlloyJSON,
  objectToAlloyJSON,
  valueToAlloyJSON,
  type JsonAttr,
  type JsonBlock,
  type JsonBody,
  type JsonObjectField,
  type JsonStatement,
  type JsonValue,
} from "./alloyjson.ts";
