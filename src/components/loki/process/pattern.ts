// stage.pattern: Loki's pattern syntax (`<ip> - <_> [<ts>] "<method> <path>"`):
// literals must appear in order; each capture takes the text up to the next
// literal (the last one takes the rest). `<_>` captures nothing.

import * as schema from "../../../syntax/schema/index.ts";
import { isValidLabelName } from "../../../telemetry/loki/labels.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { changedLabels } from "./label_sets.ts";
import { isValidLabelValue, stageInput } from "./values.ts";

export const PatternBlock = schema.block({
  pattern: schema.attr(schema.string),
  source: schema.attr(schema.string, { optional: true }),
  labels_from_groups: schema.attr(schema.bool, { default: false }),
});
type PatternArgs = schema.Infer<typeof PatternBlock>;

type Node = { literal: string } | { capture: string };

/** Parses a pattern; throws Loki's errors for no named capture, consecutive captures, or a repeated name. */
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
  const named = nodes.filter((n): n is { capture: string } => "capture" in n && n.capture !== "_").map((n) => n.capture);
  if (named.length === 0) throw new Error("at least one capture is required");
  for (let i = 0; i + 1 < nodes.length; i++) {
    const a = nodes[i]!;
    const b = nodes[i + 1]!;
    if ("capture" in a && "capture" in b) throw new Error(`found consecutive capture '<${a.capture}><${b.capture}>': invalid expression`);
  }
  const seen = new Set<string>();
  for (const n of named) {
    if (seen.has(n)) throw new Error(`duplicate capture name (${n}): invalid expression`);
    seen.add(n);
  }
  return nodes;
}

/**
 * The named captures of a line, as Loki's matcher finds them: a leading literal
 * must start the line; each capture runs to the next occurrence of the literal
 * after it; when that literal is missing the capture takes the rest and
 * matching stops. Undefined when nothing matches.
 */
export function matchPattern(nodes: readonly Node[], line: string): Array<[string, string]> | undefined {
  if (line === "" || nodes.length === 0) return undefined;
  const out: Array<[string, string]> = [];
  let rest = line;
  let i = 0;
  const first = nodes[0]!;
  if ("literal" in first) {
    if (!rest.startsWith(first.literal)) return undefined;
    rest = rest.slice(first.literal.length);
    i = 1;
  }
  if (i >= nodes.length) return undefined;
  while (i < nodes.length) {
    const capture = (nodes[i] as { capture: string }).capture;
    const next = nodes[i + 1] as { literal: string } | undefined;
    if (next === undefined) {
      if (capture !== "_") out.push([capture, rest]);
      return out;
    }
    const at = rest.indexOf(next.literal);
    if (at < 0) {
      if (capture !== "_") out.push([capture, rest]);
      return out;
    }
    if (capture !== "_") out.push([capture, rest.slice(0, at)]);
    rest = rest.slice(at + next.literal.length);
    i += 2;
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
    const labels: Array<[string, string]> = [];
    for (const [name, v] of m) {
      e.extracted[name] = v;
      if (args.labels_from_groups && isValidLabelValue(v)) labels.push([name, v]);
    }
    if (labels.length > 0) e.entry.labels = changedLabels(e.entry.labels, labels);
  });
}
