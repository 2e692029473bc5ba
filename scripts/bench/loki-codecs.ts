// Loki codec benchmarks: push encode + snappy (MiB/s of uncompressed
// protobuf), loki.write's batch (entries added one by one, then encoded and
// compressed, with pooled buffers), JSON push decode (lines/s), logfmt decode
// (lines/s), and stage.template executions/s.
//   bun scripts/bench/loki-codecs.ts [--seconds 2]

import { BufferPool, PushBatch } from "../../src/components/loki/write/batch.ts";
import type { Entry, Stream } from "../../src/telemetry/loki/entry.ts";
import { formatLabels } from "../../src/telemetry/loki/labels.ts";
import { snappy } from "../../src/telemetry/loki/snappy.ts";
import { decodeLogfmt } from "../../src/telemetry/loki/logfmt.ts";
import { encodePushRequest, encodeSnappyPush, decodeSnappyPush } from "../../src/telemetry/loki/push.ts";
import { decodeJsonPush, encodeJsonPush } from "../../src/telemetry/loki/push_json.ts";
import { executeStageTemplate, newStageTemplate } from "../../src/telemetry/loki/template_funcs.ts";
import { parseCriLine } from "../../src/telemetry/loki/container_logs.ts";
import { parseLogSelector } from "../../src/telemetry/loki/logql.ts";

const secondsArg = process.argv.indexOf("--seconds");
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 2;

/** Runs fn repeatedly for the time budget; returns operations per second. */
function measure(fn: () => void): number {
  for (let i = 0; i < 50; i++) fn(); // warm up
  const deadline = performance.now() + seconds * 1000;
  let ops = 0;
  const start = performance.now();
  while (performance.now() < deadline) {
    fn();
    ops++;
  }
  return ops / ((performance.now() - start) / 1000);
}

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

// 10 streams x 100 entries of realistic log lines.
const streams: Stream[] = Array.from({ length: 10 }, (_, s) => ({
  labels: { job: "varlogs", host: `node-${s}`, filename: `/var/log/app-${s}.log` },
  entries: Array.from({ length: 100 }, (_, i) => ({
    timestamp: 1_700_000_000_000_000_000n + BigInt(s * 1000 + i),
    line: `ts=2024-01-01T00:00:${String(i % 60).padStart(2, "0")}Z level=info caller=main.go:${i} msg="request served" path=/api/v1/items/${i} status=200 duration=${i}.5ms`,
    structuredMetadata: i % 10 === 0 ? [{ name: "trace_id", value: `abcdef${i}` }] : [],
  })),
}));
const lines = streams.reduce((n, s) => n + s.entries.length, 0);

const raw = encodePushRequest(streams);
const encOps = measure(() => encodeSnappyPush(streams));
console.log(`push encode+snappy: ${fmt((encOps * raw.length) / 2 ** 20)} MiB/s (${fmt(encOps * lines)} lines/s, ${raw.length} bytes/request)`);

// The same entries as loki.write receives them: interleaved streams, one label set object per stream.
const flat: Entry[] = [];
for (let i = 0; i < 100; i++) for (const st of streams) flat.push({ labels: st.labels, ...st.entries[i]! });
const keys = new Map(streams.map((st) => [st.labels, formatLabels(st.labels)]));
const pool = new BufferPool();
const batchOps = measure(() => {
  const b = new PushBatch("", pool);
  for (const e of flat) b.add(keys.get(e.labels)!, e, PushBatch.sizeOf(e));
  b.encodeCompressed(snappy.compress);
});
console.log(`loki.write batch add+encode+snappy: ${fmt((batchOps * raw.length) / 2 ** 20)} MiB/s (${fmt(batchOps * lines)} lines/s)`);

const compressed = encodeSnappyPush(streams);
const decOps = measure(() => decodeSnappyPush(compressed));
console.log(`push snappy+decode: ${fmt((decOps * raw.length) / 2 ** 20)} MiB/s (${fmt(decOps * lines)} lines/s)`);

const json = encodeJsonPush(streams);
const jsonOps = measure(() => decodeJsonPush(json));
console.log(`JSON push decode: ${fmt(jsonOps * lines)} lines/s`);

const logfmtLines = streams.flatMap((s) => s.entries.map((e) => e.line));
const logfmtOps = measure(() => {
  for (const l of logfmtLines) decodeLogfmt(l, () => {});
});
console.log(`logfmt decode: ${fmt(logfmtOps * logfmtLines.length)} lines/s`);

const tpl = newStageTemplate('{{ if eq .level "info" }}{{ ToUpper .Value }}{{ else }}{{ .Value | ToLower }}{{ end }}-{{ .path }}');
const extracted = { level: "info", app: "loki", path: "/api" };
const tplOps = measure(() => executeStageTemplate(tpl, "app", extracted, "line"));
console.log(`stage.template executions: ${fmt(tplOps)} /s`);

const cri = "2019-01-01T01:00:00.000000001Z stderr P some partial log content here";
console.log(`CRI line parse: ${fmt(measure(() => parseCriLine(cri)))} lines/s`);

const sel = parseLogSelector('{job="varlogs", host=~"node-[0-9]+"} |= "status=200" |~ "duration=\\\\d+"');
const labels = streams[0]!.labels;
const selLine = streams[0]!.entries[0]!.line;
console.log(`stage.match selector: ${fmt(measure(() => sel.matches(labels, selLine)))} matches/s`);
