import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import { lokiTestComponents, type Collector } from "../../e2e/loki/test_components.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

const hasLogger = Bun.which("logger") !== null;

async function freePort(kind: "tcp" | "udp"): Promise<number> {
  if (kind === "udp") {
    const s = await Bun.udpSocket({ hostname: "127.0.0.1", port: 0 });
    const p = s.port;
    s.close();
    return p;
  }
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const p = s.port;
  s.stop(true);
  return p;
}

async function syslog(listeners: string): Promise<Collector> {
  const t = lokiTestComponents();
  rt = testRuntime({ extra: [...components, ...t.defs] });
  const res = await rt.load([
    {
      name: "main.alloy",
      text: `testloki.collector "out" {}
loki.relabel "r" {
  forward_to = []
  rule {
    source_labels = ["__syslog_message_app_name"]
    target_label = "app"
  }
  rule {
    source_labels = ["__syslog_message_severity"]
    target_label = "level"
  }
  rule {
    source_labels = ["__syslog_message_hostname"]
    target_label = "host"
  }
}
loki.source.syslog "s" {
${listeners}
  relabel_rules = loki.relabel.r.rules
  forward_to = [testloki.collector.out.receiver]
}
`,
    },
  ]);
  expect(res.diagnostics).toEqual([]);
  return t.collectors.get("testloki.collector.out")!;
}

function listener(port: number, protocol: string, format: string, extra = ""): string {
  return `  listener {\n    address = "127.0.0.1:${port}"\n    protocol = "${protocol}"\n    syslog_format = "${format}"\n    labels = { job = "syslog" }\n    use_incoming_timestamp = true\n${extra}\n  }\n`;
}

async function runLogger(args: string[]): Promise<void> {
  const p = Bun.spawn(["logger", ...args], { stdout: "ignore", stderr: "pipe" });
  const code = await p.exited;
  if (code !== 0) throw new Error(`logger ${args.join(" ")} failed: ${await new Response(p.stderr).text()}`);
}

test.skipIf(!hasLogger)("loki.source.syslog receives RFC 5424 from util-linux logger over TCP and UDP", async () => {
  const tcp = await freePort("tcp");
  const udp = await freePort("udp");
  const c = await syslog(listener(tcp, "tcp", "rfc5424") + listener(udp, "udp", "rfc5424"));
  await runLogger(["--rfc5424", "-n", "127.0.0.1", "-P", String(tcp), "-T", "--octet-count", "-t", "tcpapp", "-p", "user.err", "-s", "hello over tcp"]);
  await runLogger(["--rfc5424", "-n", "127.0.0.1", "-P", String(udp), "-d", "-t", "udpapp", "-p", "local3.notice", "hello over udp"]);
  await waitFor(() => c.entries.length === 2, 5000, "two messages");
  const byApp = new Map(c.entries.map((e) => [e.labels.app, e]));
  const t = byApp.get("tcpapp")!;
  expect(t.line).toBe("hello over tcp");
  expect({ ...t.labels }).toMatchObject({ job: "syslog", app: "tcpapp", level: "error" });
  expect(Object.keys(t.labels).some((k) => k.startsWith("__"))).toBe(false);
  const u = byApp.get("udpapp")!;
  expect(u.line).toBe("hello over udp");
  expect(u.labels.level).toBe("notice");
  // use_incoming_timestamp: the message's own (second-or-better) timestamp, close to now.
  expect(Math.abs(Number(t.timestamp / 1_000_000n) - Date.now())).toBeLessThan(10_000);
});

test.skipIf(!hasLogger)("loki.source.syslog receives RFC 3164 from util-linux logger over TCP and UDP", async () => {
  const tcp = await freePort("tcp");
  const udp = await freePort("udp");
  const c = await syslog(
    listener(tcp, "tcp", "rfc3164", "    rfc3164_default_to_current_year = true") + listener(udp, "udp", "rfc3164", "    rfc3164_default_to_current_year = true"),
  );
  await runLogger(["--rfc3164", "-n", "127.0.0.1", "-P", String(tcp), "-T", "-t", "bsdtcp", "-p", "daemon.warning", "bsd over tcp"]);
  await runLogger(["--rfc3164", "-n", "127.0.0.1", "-P", String(udp), "-d", "-t", "bsdudp", "bsd over udp"]);
  await waitFor(() => c.entries.length === 2, 5000, "two messages");
  const byApp = new Map(c.entries.map((e) => [e.labels.app, e]));
  expect(byApp.get("bsdtcp")!.line).toBe("bsd over tcp");
  expect(byApp.get("bsdtcp")!.labels.level).toBe("warning");
  expect(byApp.get("bsdudp")!.line).toBe("bsd over udp");
  const ts = Number(byApp.get("bsdudp")!.timestamp / 1_000_000n);
  // RFC 3164 stamps carry no year or zone; with the current year they land near now (logger writes local time, TZ may be UTC here).
  expect(new Date(ts).getUTCFullYear()).toBe(new Date().getUTCFullYear());
});

test("loki.source.syslog counts and drops malformed messages and keeps the connection", async () => {
  const tcp = await freePort("tcp");
  const c = await syslog(listener(tcp, "tcp", "rfc5424"));
  const sock = await Bun.connect({ hostname: "127.0.0.1", port: tcp, socket: { data() {} } });
  sock.write("<13>1 2024-01-02T03:04:05Z host app - - - good one\nthis is not syslog\n<13>1 2024-01-02T03:04:06.5Z host app - - - good two\n");
  await waitFor(() => c.entries.length === 2, 5000, "good messages");
  sock.end();
  expect(c.entries.map((e) => e.line)).toEqual(["good one", "good two"]);
  expect(c.entries[0]!.timestamp).toBe(1_704_164_645_000_000_000n);
  expect(c.entries[1]!.timestamp).toBe(1_704_164_646_500_000_000n);
  const metrics = await rt!.env.hub.metrics();
  expect(metrics).toMatch(/loki_source_syslog_parsing_errors_total\{[^}]*\} 1/);
  expect(metrics).toMatch(/loki_source_syslog_entries_total\{[^}]*\} 2/);
});

test("loki.source.syslog raw format keeps the line and reads the priority", async () => {
  const tcp = await freePort("tcp");
  const c = await syslog(listener(tcp, "tcp", "raw"));
  const sock = await Bun.connect({ hostname: "127.0.0.1", port: tcp, socket: { data() {} } });
  sock.write("<11>CEF:0|vendor|product|1.0|100|thing|5|\nplain line\n");
  await waitFor(() => c.entries.length === 2, 5000, "raw messages");
  sock.end();
  expect(c.entries.map((e) => e.line)).toEqual(["CEF:0|vendor|product|1.0|100|thing|5|", "plain line"]);
  expect(c.entries[0]!.labels.level).toBe("error");
});

const hasOpenSSL = Bun.which("openssl") !== null;

test.skipIf(!hasOpenSSL)("loki.source.syslog serves TCP over TLS from tls_config", async () => {
  const { mkdtempSync, readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "syslog-tls-"));
  const gen = Bun.spawnSync(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=localhost"], { stderr: "pipe" });
  expect(gen.exitCode).toBe(0);
  const tcp = await freePort("tcp");
  const c = await syslog(
    listener(tcp, "tcp", "rfc5424", `    tls_config {\n      cert_file = "${join(dir, "cert.pem")}"\n      key_file = "${join(dir, "key.pem")}"\n    }`),
  );
  // Written once the handshake is done; earlier writes are not carried over TLS.
  const sock = await Bun.connect({
    hostname: "127.0.0.1",
    port: tcp,
    tls: { rejectUnauthorized: false },
    socket: { data() {}, handshake: (s) => void s.write("<14>1 2024-01-02T03:04:05Z tlshost tlsapp - - - over tls\n") },
  });
  await waitFor(() => c.entries.length === 1, 5000, "message over TLS");
  sock.end();
  expect(c.entries[0]!.line).toBe("over tls");
  expect(c.entries[0]!.labels.app).toBe("tlsapp");
  expect(readFileSync(join(dir, "cert.pem"), "utf8")).toContain("BEGIN CERTIFICATE");
});
