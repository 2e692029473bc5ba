// loki.source.file: tails the files named by `targets` (each target's
// `__path__`; its other labels, minus internal `__*` ones, plus `filename`,
// become the stream labels) and forwards their lines to forward_to. Every file
// is polled on its own schedule: min_poll_frequency while it changes, backing
// off to max_poll_frequency while idle. Positions live in
// <data dir>/positions.yml (see positions.ts for what survives a crash).

import { join } from "node:path";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../../runtime/component.ts";
import * as schema from "../../../../syntax/schema/index.ts";
import { newLabelSet, type Entry, type LabelSet } from "../../../../telemetry/loki/entry.ts";
import { formatLabels } from "../../../../telemetry/loki/labels.ts";
import { LOGS_RECEIVER_TYPE, sendToAll, type LogsReceiver } from "../../../../telemetry/loki/receiver.ts";
import { matchTargets } from "../../../local/file_match.ts";
import { checkFormat, CompressedFileReader, type CompressionFormat } from "./decompress.ts";
import { LineSplitter } from "./lines.ts";
import { FileMetrics } from "./metrics.ts";
import { Positions, PositionsError } from "./positions.ts";
import { FileTailer, type TailerOptions } from "./tailer.ts";

const Decompression = schema.block({
  enabled: schema.attr(schema.bool),
  initial_delay: schema.attr(schema.duration, { default: "0s" }),
  format: schema.attr(schema.string),
}, { validate: (d) => (d.enabled ? checkFormat(d.format) : undefined) });

const FileWatch = schema.block({
  min_poll_frequency: schema.attr(schema.duration, { default: "250ms" }),
  max_poll_frequency: schema.attr(schema.duration, { default: "250ms" }),
}, { validate: (w) => (w.min_poll_frequency > w.max_poll_frequency ? "min_poll_frequency must not exceed max_poll_frequency" : undefined) });

const FileMatch = schema.block({
  enabled: schema.attr(schema.bool, { default: false }),
  sync_period: schema.attr(schema.duration, { default: "10s" }),
  ignore_older_than: schema.attr(schema.duration, { default: "0s" }),
});

const Arguments = schema.block({
  targets: schema.attr(schema.targets),
  forward_to: schema.attr(schema.list(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE))),
  encoding: schema.attr(schema.string, { default: "" }),
  tail_from_end: schema.attr(schema.bool, { default: false }),
  legacy_positions_file: schema.attr(schema.string, { default: "" }),
  on_positions_file_error: schema.attr(schema.enumOf("skip", "restart_from_end", "restart_from_beginning"), { default: "restart_from_beginning" }),
  decompression: schema.block(Decompression, { optional: true }),
  file_watch: schema.block(FileWatch, { default: "defaults" }),
  file_match: schema.block(FileMatch, { default: "defaults" }),
}, {
  validate: (a) => {
    if (a.encoding === "") return undefined;
    try {
      new TextDecoder(a.encoding);
      return undefined;
    } catch {
      return `unsupported encoding ${JSON.stringify(a.encoding)}`;
    }
  },
});
type Args = schema.Infer<typeof Arguments>;

/** How often the positions file is written while running. */
export const POSITIONS_SYNC_MS = 1000;

type Reader = FileTailer | CompressedFileReader;

interface Running {
  reader: Reader;
  stop: AbortController;
  done: Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(t), resolve());
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

class SourceFile implements ComponentInstance<Args> {
  private args: Args;
  private readonly positions: Positions;
  private readonly metrics: FileMetrics;
  private readers = new Map<string, Running>();
  private readonly forward: (entries: Entry[]) => void | Promise<void>;
  private syncTimer: ReturnType<typeof setInterval> | undefined;
  private matchTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly ctx: ComponentContext<Record<string, never>>, args: Args) {
    this.args = args;
    this.metrics = new FileMetrics(ctx.registry);
    this.positions = new Positions(join(ctx.dataDir, "positions.yml"));
    try {
      this.positions.load();
    } catch (e) {
      if (!(e instanceof PositionsError)) throw e;
      // Every file then starts as if it had never been read.
      ctx.logger.warn("positions file is unreadable; starting without positions", { err: e.message });
    }
    this.forward = (entries) => sendToAll(this.args.forward_to, entries);
    this.syncTimer = setInterval(() => this.syncPositions(), POSITIONS_SYNC_MS);
    this.reconcile();
    this.scheduleMatch();
  }

  private syncPositions(): void {
    try {
      this.positions.sync();
    } catch (e) {
      this.ctx.logger.error("cannot write positions file", { err: (e as Error).message });
    }
  }

  private scheduleMatch(): void {
    if (this.matchTimer) clearInterval(this.matchTimer);
    this.matchTimer = undefined;
    if (this.args.file_match.enabled) this.matchTimer = setInterval(() => this.reconcile(), Math.max(10, this.args.file_match.sync_period));
  }

  /** The files to read now: the targets, with globs expanded when file_match is enabled. */
  private currentTargets(): Record<string, string>[] {
    const fm = this.args.file_match;
    return fm.enabled ? matchTargets(this.args.targets, fm.ignore_older_than) : this.args.targets;
  }

  private reconcile(): void {
    const wanted = new Map<string, { path: string; labels: LabelSet; positionLabels: string }>();
    for (const t of this.currentTargets()) {
      const path = t.__path__;
      if (path === undefined || path === "") continue;
      const labels = newLabelSet();
      for (const [k, v] of Object.entries(t)) if (!k.startsWith("__")) labels[k] = v;
      const positionLabels = formatLabels(labels);
      labels.filename = path;
      wanted.set(`${path}\u0000${positionLabels}`, { path, labels, positionLabels });
    }
    if (this.args.legacy_positions_file !== "") {
      const byPath = new Map([...wanted.values()].map((w) => [w.path, w.positionLabels]));
      try {
        this.positions.importLegacy(this.args.legacy_positions_file, (p) => byPath.get(p));
      } catch (e) {
        this.ctx.logger.warn("cannot read legacy positions file", { file: this.args.legacy_positions_file, err: (e as Error).message });
      }
    }
    for (const [key, r] of this.readers) {
      if (!wanted.has(key)) {
        this.readers.delete(key);
        r.stop.abort();
        void r.done.then(() => r.reader.stop());
      }
    }
    let splitter: LineSplitter | undefined;
    for (const [key, w] of wanted) {
      if (this.readers.has(key)) continue;
      splitter ??= new LineSplitter(this.args.encoding);
      const opts: TailerOptions = {
        ...w,
        positions: this.positions,
        splitter,
        tailFromEnd: this.args.tail_from_end,
        onPositionError: this.args.on_positions_file_error,
        forward: this.forward,
        metrics: this.metrics,
        logger: this.ctx.logger,
      };
      const d = this.args.decompression;
      const reader = d?.enabled ? new CompressedFileReader(opts, d.format as CompressionFormat, d.initial_delay) : new FileTailer(opts);
      const stop = new AbortController();
      this.readers.set(key, { reader, stop, done: this.pollLoop(reader, stop.signal) });
    }
  }

  private async pollLoop(reader: Reader, signal: AbortSignal): Promise<void> {
    const { min_poll_frequency: min, max_poll_frequency: max } = this.args.file_watch;
    let wait = min;
    while (!signal.aborted) {
      let read = false;
      try {
        read = await reader.poll();
      } catch (e) {
        // A receiver that refuses entries (shutting down) ends this round; the lines are read again later.
        this.ctx.logger.debug("file poll failed", { path: reader.opts.path, err: String(e) });
      }
      if (read && reader instanceof FileTailer && reader.lastSize >= 0) this.metrics.totalBytes.set({ path: reader.opts.path }, reader.lastSize);
      wait = read ? min : Math.min(max, Math.max(min, wait * 2));
      await sleep(wait, signal);
    }
  }

  async update(args: Args): Promise<void> {
    const restart =
      args.encoding !== this.args.encoding ||
      args.tail_from_end !== this.args.tail_from_end ||
      JSON.stringify(args.decompression) !== JSON.stringify(this.args.decompression) ||
      JSON.stringify(args.file_watch) !== JSON.stringify(this.args.file_watch);
    if (restart) await this.stopReaders();
    this.args = args;
    this.scheduleMatch();
    this.reconcile();
  }

  private async stopReaders(): Promise<void> {
    const rs = [...this.readers.values()];
    this.readers.clear();
    for (const r of rs) r.stop.abort();
    // A receiver that never takes the pending batch must not hold up shutdown; its lines stay unrecorded.
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref?.());
    await Promise.race([Promise.all(rs.map((r) => r.done)), deadline]);
    for (const r of rs) r.reader.stop();
  }

  /** Alloy's targets_info: each file with its labels, whether it is open, and how far it was read. */
  debugInfo(): unknown {
    return {
      targets_info: [...this.readers.values()].map(({ reader }) => ({
        path: reader.opts.path,
        labels: reader.opts.positionLabels,
        is_running: reader instanceof FileTailer ? reader.isRunning : true,
        read_offset: BigInt(reader instanceof FileTailer ? reader.readOffset : (this.positions.get(reader.opts.path, reader.opts.positionLabels) ?? 0)),
      })),
    };
  }

  async stop(): Promise<void> {
    if (this.syncTimer) clearInterval(this.syncTimer);
    if (this.matchTimer) clearInterval(this.matchTimer);
    await this.stopReaders();
    this.syncPositions();
  }
}

export default defineComponent({
  name: "loki.source.file",
  stability: "generally-available",
  args: Arguments,
  build: (ctx, args) => new SourceFile(ctx, args),
});
