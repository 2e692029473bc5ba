import type { ExpositionParser } from "../../../../src/telemetry/prometheus/textparse/parser.ts";

export interface Parsed {
  kind: string;
  m?: string;
  help?: string;
  type?: string;
  unit?: string;
  comment?: string;
  v?: number;
  t?: number;
  labels?: Record<string, string>;
  exemplars?: { labels: Record<string, string>; value: number; ts?: number }[];
  ct?: number;
}

/** Drains a parser into plain records; the last record is the eof/invalid marker. */
export function drain(p: ExpositionParser, opts: { ct?: boolean } = {}): Parsed[] {
  const out: Parsed[] = [];
  for (;;) {
    const e = p.next();
    switch (e) {
      case "eof":
        out.push({ kind: "eof" });
        return out;
      case "invalid":
        out.push({ kind: "invalid", comment: p.error!.message });
        return out;
      case "help":
        out.push({ kind: e, m: p.metricFamily, help: p.help });
        break;
      case "type":
        out.push({ kind: e, m: p.metricFamily, type: p.type });
        break;
      case "unit":
        out.push({ kind: e, m: p.metricFamily, unit: p.unit });
        break;
      case "comment":
        out.push({ kind: e, comment: p.comment });
        break;
      case "series":
      case "histogram": {
        const r: Parsed = { kind: e, m: p.seriesText, labels: p.labels().toObject() };
        if (e === "series") r.v = p.value;
        if (p.timestamp !== undefined) r.t = p.timestamp;
        const ex = p.exemplars();
        if (ex.length > 0) {
          r.exemplars = ex.map((x) => ({ labels: x.labels.toObject(), value: x.value, ...(x.hasTimestamp ? { ts: x.timestamp } : {}) }));
        }
        if (opts.ct) {
          const ct = p.createdTimestamp();
          if (ct !== undefined) r.ct = ct;
        }
        out.push(r);
        break;
      }
    }
  }
}

export function errorOf(p: ExpositionParser): string {
  const all = drain(p);
  const last = all[all.length - 1]!;
  return last.kind === "invalid" ? last.comment! : "";
}
