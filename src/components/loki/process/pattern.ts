// stage.pattern: Loki's pattern syntax (`<ip> - <_> [<ts>] "<method> <path>"`):
// literals must appear in order; each capture takes the text up to the next
// literal (the last one takes the rest). `<_>` captures nothing.

import * as schema from "../../../syntax/schema/index.ts";
import { isValidLabelName } from "../../../telemetry/loki/labels.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { isValidLabelValue, stageInput } from "./values.ts";

export const PatternBlock = schema.block({
  pattern: schema.attr(schema.string),
  source: schema.attr(schema.string, { optional: true }),
  labels_from_groups: schema.attr(schema.bool, { default: false }),
});
type PatternArgs = schema.Infer<typeof PatternBlock>;

type Node = { literal: string } | { capture: string };

/** Parses a pattern; throws on consecutive captures, no capture, or a repeated name. */
export function parsePattern(p: string): Node[] {
  const nodes: Node[] = [];
  const re = /<([A-Za-z_][A-Za-z0-9_]*)>/g;
  let last = 0;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    if (m.index > last) nodes.push({ literal: p.slice(last, m.index) });
    nodes.push({ capture: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < p.length) nodes.push({ literal: p.slice(last) });
  const seen = new Set<string>();
  let captures = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (!("capture" in n)) continue;
    if (i > 0 && "capture" in nodes[i - 1]!) throw new Error("found consecutive capture: invalid expression");
    if (n.capture !== "_") {
      if (seen.has(n.capture)) throw new Error(`duplicate capture name (${n.capture}): invalid expression`);
      seen.add(n.capture);
      captures++;
    }
  }
  if (captures === 0 && !nodes.some((n) => "capture" in n)) throw new Error("at least one capture is required: invalid expression");
  return nodes;
}

/** The named captures of a match, or undefined when the line does not match. */
export function matchPattern(nodes: readonly Node[], line: string): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  let pos = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if ("literal" in n) {
      if (i === 0) {
        if (!line.startsWith(n.literal)) return undefined;
        pos = n.literal.length;
        continue;
      }
      continue; // consumed together with the preceding capture
    }
    const next = nodes[i + 1];
    let end: number;
    if (next === undefined) end = line.length;
    else {
      const lit = (next as { literal: string }).literal;
      end = line.indexOf(lit, pos);
      if (end < 0) return undefined;
    }
    if (n.capture !== "_") out.push([n.capture, line.slice(pos, end)]);
    pos = next === undefined ? end : end + (next as { literal: string }).literal.length;
  }
  return out;
}

export function newPatternStage(args: PatternArgs, ctx: StageContext): Stage {
  if (args.pattern === "") throw new Error("pattern is required");
  if (args.source === "") throw new Error("empty source");
  let nodes: Node[];
  try {
    nodes = parsePattern(args.pattern);
  } catch (err) {
    throw new Error(`failed to parse pattern: ${(err as Error).message}`);
  }
  for (const n of nodes) {
    if ("capture" in n && n.capture !== "_" && !isValidLabelName(n.capture)) throw new Error(`invalid capture label name '${n.capture}'`);
  }
  const logger = ctx.logger.with({ stage: "pattern" });
  return mutatingStage((e) => {
    const input = stageInput(logger, e.extracted, e.entry.line, args.source);
    if (input === undefined) return;
    const m = matchPattern(nodes, input);
    if (m === undefined) {
      logger.debug("pattern did not match", { input, pattern: args.pattern });
      return;
    }
    for (const [name, v] of m) {
      e.extracted[name] = v;
      if (args.labels_from_groups && isValidLabelValue(v)) e.entry.labels[name] = v;
    }
  });
}
