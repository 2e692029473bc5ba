// stage.json: reads the line (or an extracted value) as a JSON object and
// extracts JMESPath expressions, and/or every top-level key matching `regex`.
// Non-scalar results are stored as compact JSON text.

import { jmespath, type JMESExpression, type JSONValue } from "./jmes.ts";
import { GoRegexp } from "../../../gocompat/regexp.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { filteringStage, type Stage, type StageContext } from "./pipeline.ts";
import { stageInput } from "./values.ts";

export const JSONBlock = schema.block({
  expressions: schema.attr(schema.map(schema.string), { optional: true }),
  regex: schema.attr(schema.string, { default: "" }),
  source: schema.attr(schema.string, { optional: true }),
  drop_malformed: schema.attr(schema.bool, { default: false }),
});
type JSONArgs = schema.Infer<typeof JSONBlock>;

type Expr = JMESExpression;

export function newJSONStage(args: JSONArgs, ctx: StageContext): Stage {
  const exprs = args.expressions ?? {};
  if (Object.keys(exprs).length === 0 && args.regex === "") throw new Error("JMES expressions or regex is required");
  if (args.source === "") throw new Error("empty source");
  const compiled: Array<[string, Expr]> = Object.entries(exprs).map(([name, e]) => {
    try {
      return [name, jmespath().compile(e === "" ? name : e)];
    } catch (err) {
      throw new Error(`could not compile JMES expression: ${(err as Error).message}`);
    }
  });
  const re = args.regex === "" ? undefined : GoRegexp.compile(args.regex);
  const logger = ctx.logger.with({ stage: "json" });
  return filteringStage((e) => {
    const input = stageInput(logger, e.extracted, e.entry.line, args.source);
    if (input === undefined) return true;
    let data: unknown;
    try {
      data = JSON.parse(input);
    } catch (err) {
      logger.debug("failed to unmarshal log line", { err: (err as Error).message });
      return !args.drop_malformed;
    }
    if (data !== null && (typeof data !== "object" || Array.isArray(data))) {
      logger.debug("failed to unmarshal log line", { err: "json: cannot unmarshal into a map" });
      return !args.drop_malformed;
    }
    for (const [name, expr] of compiled) {
      let r: JSONValue;
      try {
        r = jmespath().TreeInterpreter.search(expr, data as JSONValue);
      } catch (err) {
        logger.debug("failed to search JMES expression", { err: (err as Error).message });
        continue;
      }
      e.extracted[name] = simplify(r);
    }
    if (re && data !== null) {
      for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (re.matchString(k)) e.extracted[k] = simplify(v);
    }
    return true;
  });
}

/** Scalars stay as they are; arrays and objects become JSON text. */
function simplify(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "object") return goJSONMarshal(v);
  return v;
}

/** encoding/json's Marshal for decoded JSON: map keys sorted, `<>&` escaped. */
export function goJSONMarshal(v: unknown): string {
  const sortKeys = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sortKeys);
    if (x !== null && typeof x === "object") {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) o[k] = sortKeys((x as Record<string, unknown>)[k]);
      return o;
    }
    return x;
  };
  return JSON.stringify(sortKeys(v))
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
