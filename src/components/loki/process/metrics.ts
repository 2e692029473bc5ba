// stage.metrics: counters, gauges and histograms over extracted values,
// registered in the component's registry (prefix `loki_process_custom_` by
// default), one series per entry label set, dropped after max_idle_duration.

import * as schema from "../../../syntax/schema/index.ts";
import type { LabelSet } from "../../../telemetry/loki/entry.ts";
import { ExpiringMetricVec } from "./metrics_vec.ts";
import type { Stage, StageContext } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";
import { byteLength, getFloat, getString } from "./values.ts";

const common = {
  name: schema.attr(schema.string),
  description: schema.attr(schema.string, { default: "" }),
  source: schema.attr(schema.string, { default: "" }),
  prefix: schema.attr(schema.string, { default: "loki_process_custom_" }),
  max_idle_duration: schema.attr(schema.duration, { default: "5m" }),
  value: schema.attr(schema.string, { default: "" }),
};

const idle = (a: { max_idle_duration: number }) =>
  a.max_idle_duration < 1000 ? "max_idle_duration must be greater or equal than 1s" : undefined;

const CounterBlock = schema.block(
  {
    ...common,
    action: schema.attr(schema.string),
    match_all: schema.attr(schema.bool, { default: false }),
    count_entry_bytes: schema.attr(schema.bool, { default: false }),
  },
  {
    validate: (c) => {
      if (idle(c)) return idle(c);
      if (c.action !== "inc" && c.action !== "add") return "the 'action' counter field must be either 'inc' or 'add'";
      if (c.match_all && c.value !== "") return "a 'counter' metric supports either 'match_all' or a 'value', but not both";
      if (c.count_entry_bytes && (!c.match_all || c.action !== "add")) {
        return "the 'count_entry_bytes' counter field must be specified along with match_all set to true or action set to 'add'";
      }
      return undefined;
    },
  },
);
const GaugeBlock = schema.block(
  { ...common, action: schema.attr(schema.string) },
  {
    validate: (g) =>
      idle(g) ??
      (["set", "inc", "dec", "add", "sub"].includes(g.action)
        ? undefined
        : "the 'action' gauge field must be one of the following values: [set, inc, dec, add, sub]"),
  },
);
const HistogramBlock = schema.block(
  { ...common, buckets: schema.attr(schema.list(schema.number)) },
  {
    validate: (h) => {
      if (idle(h)) return idle(h);
      for (let i = 1; i < h.buckets.length; i++) {
        if (h.buckets[i - 1]! >= h.buckets[i]!) {
          return `histogram buckets must be in increasing order: ${h.buckets[i - 1]!.toFixed(6)} >= ${h.buckets[i]!.toFixed(6)}`;
        }
      }
      return undefined;
    },
  },
);

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export const MetricsBlock = schema.block({
  metrics: schema.enumBlocks({ "metric.counter": CounterBlock, "metric.gauge": GaugeBlock, "metric.histogram": HistogramBlock }),
});

type Recorder = (labels: LabelSet, extracted: Record<string, unknown>, line: string) => void;

export function newMetricsStage(args: schema.Infer<typeof MetricsBlock>, ctx: StageContext): Stage {
  const logger = ctx.logger.with({ stage: "metrics" });
  const recorders: Recorder[] = [];
  for (const m of args.metrics) {
    const cfg = m.value;
    const fullName = (cfg.prefix === "" ? "loki_process_custom_" : cfg.prefix) + cfg.name;
    const source = cfg.source === "" ? cfg.name : cfg.source;
    const kind = m.kind === "metric.counter" ? "counter" : m.kind === "metric.gauge" ? "gauge" : "histogram";
    if (!METRIC_NAME.test(fullName)) throw new Error(`${JSON.stringify(fullName)} is not a valid metric name`);
    const buckets = m.kind === "metric.histogram" ? m.value.buckets.filter((b) => b !== Infinity) : [];
    const vec = new ExpiringMetricVec(fullName, cfg.description, kind, cfg.max_idle_duration, buckets);
    ctx.registerCollector(vec);
    // Series whose value does not equal `value` (when set) are not touched.
    const valueMatches = (v: unknown) => {
      if (cfg.value === "") return true;
      const s = getString(v);
      if (s === undefined) logger.debug("failed to convert extracted value to string, can't perform value comparison", { metric: cfg.name });
      return s === cfg.value;
    };
    const float = (v: unknown): number | undefined => {
      const f = getFloat(v);
      if (f === undefined) logger.debug("failed to convert extracted value to float", { metric: cfg.name });
      return f;
    };
    if (m.kind === "metric.counter") {
      const c = m.value;
      recorders.push((labels, extracted, line) => {
        if (c.match_all) {
          vec.add(labels, c.count_entry_bytes ? byteLength(line) : 1);
          return;
        }
        if (!(source in extracted)) return logger.debug("source does not exist", { source });
        const v = extracted[source];
        if (!valueMatches(v)) return;
        if (c.action === "inc") return vec.add(labels, 1);
        const f = float(v);
        if (f === undefined) return;
        if (f < 0) return logger.debug("counter cannot decrease", { metric: cfg.name });
        vec.add(labels, f);
      });
    } else if (m.kind === "metric.gauge") {
      const action = m.value.action;
      recorders.push((labels, extracted) => {
        if (!(source in extracted)) return logger.debug("source does not exist", { source });
        const v = extracted[source];
        if (!valueMatches(v)) return;
        if (action === "inc") return vec.add(labels, 1);
        if (action === "dec") return vec.add(labels, -1);
        const f = float(v);
        if (f === undefined) return;
        if (action === "set") vec.set(labels, f);
        else vec.add(labels, action === "add" ? f : -f);
      });
    } else {
      recorders.push((labels, extracted) => {
        if (!(source in extracted)) return logger.debug("source does not exist", { source });
        const v = extracted[source];
        if (!valueMatches(v)) return;
        const f = float(v);
        if (f !== undefined) vec.observe(labels, f);
      });
    }
  }
  const stage = mutatingStage((e) => {
    for (const r of recorders) r(e.entry.labels, e.extracted, e.entry.line);
  });
  return stage;
}
