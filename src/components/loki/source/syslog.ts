// loki.source.syslog: one TCP or UDP listener per `listener` block. TCP streams
// are framed by octet counting or newlines (detected from the first byte) and
// parsed as RFC 5424, RFC 3164 or raw; a UDP datagram is one message. Each
// message gets the `__syslog_*` labels, the listener's labels and connection
// labels, then relabel_rules; internal labels are dropped before forwarding.
// Unparseable messages are logged at debug, counted and dropped; the
// connection stays open unless the framing itself is broken.

import { Counter } from "prom-client";
import type { Socket, TCPSocketListener, udp } from "bun";
import { readFileSync } from "node:fs";
import { defineComponent, type ComponentContext, type ComponentInstance } from "../../../runtime/component.ts";
import * as schema from "../../../syntax/schema/index.ts";
import { nowNs, type Entry, type LabelSet } from "../../../telemetry/loki/entry.ts";
import { LOGS_RECEIVER_TYPE, sendToAll, type LogsReceiver } from "../../../telemetry/loki/receiver.ts";
import { syslogConnectionLabels, syslogMessageLabels, syslogRawLabels } from "../../../telemetry/loki/syslog/labels.ts";
import type { SyslogMessage } from "../../../telemetry/loki/syslog/message.ts";
import { parseRawSyslog, RawSyslogReader, type RawSyslogMessage } from "../../../telemetry/loki/syslog/raw.ts";
import { parseRFC3164, type RFC3164Options } from "../../../telemetry/loki/syslog/rfc3164.ts";
import { formatRFC5424, parseRFC5424 } from "../../../telemetry/loki/syslog/rfc5424.ts";
import { SyslogStreamParser } from "../../../telemetry/loki/syslog/stream.ts";
import { TLSConfig } from "../../common/http_client/config.ts";
import { finalLabels, relabelRulesAttr } from "./labels.ts";

const CiscoComponents = schema.block({
  enable_all: schema.attr(schema.bool, { default: false }),
  message_counter: schema.attr(schema.bool, { default: false }),
  sequence_number: schema.attr(schema.bool, { default: false }),
  hostname: schema.attr(schema.bool, { default: false }),
  second_fractions: schema.attr(schema.bool, { default: false }),
});

const Listener = schema.block({
  address: schema.attr(schema.string),
  protocol: schema.attr(schema.enumOf("tcp", "udp"), { default: "tcp" }),
  idle_timeout: schema.attr(schema.duration, { default: "120s" }),
  label_structured_data: schema.attr(schema.bool, { default: false }),
  labels: schema.attr(schema.map(schema.string), { default: {} }),
  use_incoming_timestamp: schema.attr(schema.bool, { default: false }),
  use_rfc5424_message: schema.attr(schema.bool, { default: false }),
  rfc5424_allow_empty_msg: schema.attr(schema.bool, { default: false }),
  rfc3164_default_to_current_year: schema.attr(schema.bool, { default: false }),
  max_message_length: schema.attr(schema.int, { default: 8192 }),
  syslog_format: schema.attr(schema.enumOf("rfc5424", "rfc3164", "raw"), { default: "rfc5424" }),
  udp_host_cache_size: schema.attr(schema.int, { default: 128 }),
  udp_queue_size: schema.attr(schema.int, { default: 10 }),
  tls_config: schema.block(TLSConfig, { optional: true }),
  raw_format_options: schema.block(schema.block({ use_null_terminator_delimiter: schema.attr(schema.bool, { default: false }) }), { optional: true }),
  rfc3164_cisco_components: schema.block(CiscoComponents, { optional: true }),
}, {
  validate: (l) => (splitAddress(l.address) === undefined ? `listener address ${JSON.stringify(l.address)} must be host:port` : undefined),
});
type ListenerArgs = schema.Infer<typeof Listener>;

const Arguments = schema.block({
  forward_to: schema.attr(schema.list(schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE))),
  relabel_rules: relabelRulesAttr,
  listener: schema.blocks(Listener),
});
type Args = schema.Infer<typeof Arguments>;

function splitAddress(addr: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? m[2] ?? "", port };
}

interface Metrics {
  entries: Counter;
  parsingErrors: Counter;
  emptyMessages: Counter;
}

type Parsed = { kind: "msg"; msg: SyslogMessage } | { kind: "raw"; msg: RawSyslogMessage };

/** One listener: turns parsed messages into entries and forwards them in order. */
class SyslogListener {
  private tcp: TCPSocketListener<ConnState> | undefined;
  private udp: udp.Socket<"buffer"> | undefined;
  private chain: Promise<void> = Promise.resolve();
  readonly rfc3164: RFC3164Options;

  constructor(
    readonly cfg: ListenerArgs,
    private readonly owner: SourceSyslog,
    private readonly metrics: Metrics,
  ) {
    const c = cfg.rfc3164_cisco_components;
    const all = c?.enable_all ?? false;
    this.rfc3164 = {
      year: cfg.rfc3164_default_to_current_year ? new Date().getUTCFullYear() : undefined,
      messageCounter: all || (c?.message_counter ?? false),
      sequenceNumber: all || (c?.sequence_number ?? false),
      ciscoHostname: all || (c?.hostname ?? false),
      secondFractions: all || (c?.second_fractions ?? false),
    };
  }

  get port(): number {
    return this.tcp?.port ?? this.udp?.port ?? 0;
  }

  async start(): Promise<void> {
    const { host, port } = splitAddress(this.cfg.address)!;
    const hostname = host === "" ? "0.0.0.0" : host;
    if (this.cfg.protocol === "udp") {
      this.udp = await Bun.udpSocket({
        hostname,
        port,
        socket: { data: (_s, buf, _port, addr) => this.datagram(buf, addr) },
      });
      return;
    }
    const t = this.cfg.tls_config;
    const tls = t && {
      cert: t.cert_pem !== "" ? t.cert_pem : readFileSync(t.cert_file, "utf8"),
      key: t.key_pem?.value ?? readFileSync(t.key_file, "utf8"),
    };
    const idleSeconds = Math.max(0, Math.round(this.cfg.idle_timeout / 1000));
    this.tcp = Bun.listen<ConnState>({
      hostname,
      port,
      ...(tls ? { tls } : {}),
      socket: {
        open: (s) => {
          s.data = this.newConn(s.remoteAddress);
          if (idleSeconds > 0) s.timeout(idleSeconds);
        },
        data: (s, chunk) => this.stream(s, chunk, false),
        end: (s) => this.stream(s, new Uint8Array(0), true),
        close: (s) => this.stream(s, new Uint8Array(0), true),
        timeout: (s) => void s.end(),
        error: () => {},
      },
    });
  }

  private newConn(ip: string): ConnState {
    const conn = syslogConnectionLabels(ip, undefined, this.cfg.labels);
    if (this.cfg.syslog_format === "raw") return { conn, raw: new RawSyslogReader({ nullTerminator: this.cfg.raw_format_options?.use_null_terminator_delimiter ?? false }), done: false };
    const parser = new SyslogStreamParser({ format: this.cfg.syslog_format, rfc3164: this.rfc3164, maxMessageLength: this.cfg.max_message_length });
    return { conn, parser, done: false };
  }

  private stream(s: Socket<ConnState>, chunk: Uint8Array, end: boolean): void {
    const st = s.data;
    if (st === undefined || st.done) return;
    if (end) st.done = true;
    const parsed: Parsed[] = [];
    if (st.raw) {
      const { messages, errors } = end ? { messages: st.raw.end(), errors: [] } : st.raw.push(chunk);
      for (const e of errors) this.parseError(e);
      for (const m of messages) parsed.push({ kind: "raw", msg: m });
    } else if (st.parser) {
      for (const r of end ? st.parser.end() : st.parser.push(chunk)) {
        if (r.error) this.parseError(r.error);
        else parsed.push({ kind: "msg", msg: r.message });
      }
      if (st.parser.fatal && !end) {
        st.done = true;
        s.end();
      }
    }
    this.forward(parsed, st.conn);
  }

  private datagram(buf: Uint8Array, ip: string): void {
    const conn = syslogConnectionLabels(ip, undefined, this.cfg.labels);
    let text = new TextDecoder().decode(buf);
    if (text.endsWith("\n")) text = text.slice(0, -1);
    try {
      if (this.cfg.syslog_format === "raw") return this.forward([{ kind: "raw", msg: parseRawSyslog(text) }], conn);
      const msg = this.cfg.syslog_format === "rfc3164" ? parseRFC3164(text, this.rfc3164) : parseRFC5424(text);
      this.forward([{ kind: "msg", msg }], conn);
    } catch (e) {
      this.parseError(e as Error);
    }
  }

  private parseError(e: Error): void {
    this.metrics.parsingErrors.inc();
    this.owner.logger.debug("error parsing syslog stream", { err: e.message });
  }

  private toEntry(p: Parsed, conn: LabelSet): Entry | undefined {
    const cfg = this.cfg;
    if (p.kind === "raw") {
      const labels = finalLabels(syslogRawLabels(p.msg.priority, conn), this.owner.rules);
      return labels && { labels, timestamp: nowNs(), line: p.msg.message, structuredMetadata: [] };
    }
    const m = p.msg;
    if (m.message === undefined && !(cfg.rfc5424_allow_empty_msg && m.format === "rfc5424")) {
      this.metrics.emptyMessages.inc();
      return undefined;
    }
    const labels = finalLabels(syslogMessageLabels(m, { labelStructuredData: cfg.label_structured_data }, conn), this.owner.rules);
    if (labels === undefined) return undefined;
    const timestamp = cfg.use_incoming_timestamp && m.timestamp !== undefined && m.timestamp > 0n ? m.timestamp : nowNs();
    const line = cfg.use_rfc5424_message && m.format === "rfc5424" ? formatRFC5424(m) : (m.message ?? "");
    return { labels, timestamp, line, structuredMetadata: [] };
  }

  private forward(parsed: Parsed[], conn: LabelSet): void {
    const entries: Entry[] = [];
    for (const p of parsed) {
      const e = this.toEntry(p, conn);
      if (e) entries.push(e);
    }
    if (entries.length === 0) return;
    this.metrics.entries.inc(entries.length);
    // Kept in arrival order; a slow receiver delays later messages rather than reordering them.
    this.chain = this.chain
      .then(() => sendToAll(this.owner.forwardTo, entries))
      .catch((e: unknown) => this.owner.logger.warn("dropping syslog entries: receiver refused them", { err: String(e) }));
  }

  async stop(): Promise<void> {
    this.tcp?.stop(true);
    this.udp?.close();
    await this.chain;
  }
}

interface ConnState {
  conn: LabelSet;
  parser?: SyslogStreamParser;
  raw?: RawSyslogReader;
  done: boolean;
}

class SourceSyslog implements ComponentInstance<Args> {
  private listeners: SyslogListener[] = [];
  private args: Args;
  private readonly metrics: Metrics;

  constructor(private readonly ctx: ComponentContext<Record<string, never>>, args: Args) {
    this.args = args;
    const registers = [ctx.registry];
    this.metrics = {
      entries: new Counter({ name: "loki_source_syslog_entries_total", help: "Total number of successful entries sent to the syslog component", registers }),
      parsingErrors: new Counter({ name: "loki_source_syslog_parsing_errors_total", help: "Total number of parsing errors while receiving syslog messages", registers }),
      emptyMessages: new Counter({ name: "loki_source_syslog_empty_messages_total", help: "Total number of empty messages receiving from syslog", registers }),
    };
  }

  get logger() {
    return this.ctx.logger;
  }
  get rules() {
    return this.args.relabel_rules;
  }
  get forwardTo(): LogsReceiver[] {
    return this.args.forward_to;
  }
  /** Bound ports, in listener order (for listeners on port 0). */
  get ports(): number[] {
    return this.listeners.map((l) => l.port);
  }

  async start(): Promise<this> {
    await this.listen();
    return this;
  }

  private async listen(): Promise<void> {
    for (const cfg of this.args.listener) {
      const l = new SyslogListener(cfg, this, this.metrics);
      try {
        await l.start();
      } catch (e) {
        throw new Error(`listener ${cfg.protocol} ${cfg.address}: ${(e as Error).message}`);
      }
      this.ctx.logger.info("syslog listener started", { protocol: cfg.protocol, address: cfg.address, port: l.port });
      this.listeners.push(l);
    }
  }

  async update(args: Args): Promise<void> {
    const same = JSON.stringify(args.listener) === JSON.stringify(this.args.listener);
    this.args = args;
    if (same) return;
    await this.stop();
    await this.listen();
  }

  async stop(): Promise<void> {
    const ls = this.listeners;
    this.listeners = [];
    await Promise.all(ls.map((l) => l.stop()));
  }
}

export default defineComponent({
  name: "loki.source.syslog",
  stability: "generally-available",
  args: Arguments,
  build: (ctx, args) => new SourceSyslog(ctx, args).start(),
});

