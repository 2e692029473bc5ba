import { afterEach, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { Resolver } from "node:dns/promises";
import { isIPv6 } from "node:net";
import { components } from "../../../src/components/index.ts";
import { DiscoveryDNS, lookupTargets } from "../../../src/components/discovery/dns.ts";
import type { ComponentContext } from "../../../src/runtime/component.ts";
import { Logger } from "../../../src/runtime/logger.ts";
import { Registry } from "prom-client";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";
import { exported } from "./helpers.ts";

// A tiny authoritative DNS server on 127.0.0.1 answering from a table.
type Answer =
  | { type: "A"; ip: string }
  | { type: "AAAA"; ip: string }
  | { type: "SRV"; port: number; target: string }
  | { type: "MX"; exchange: string }
  | { type: "NS"; host: string };

const TYPE_CODES = { A: 1, NS: 2, MX: 15, AAAA: 28, SRV: 33 } as const;

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, "").split(".").filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])), Buffer.from([0])]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function rdata(a: Answer): Buffer {
  switch (a.type) {
    case "A":
      return Buffer.from(a.ip.split(".").map(Number));
    case "AAAA": {
      const [head, tail = ""] = a.ip.split("::");
      const h = head!.split(":").filter(Boolean);
      const t = tail.split(":").filter(Boolean);
      const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
      return Buffer.concat(groups.map((g) => u16(parseInt(g, 16))));
    }
    case "SRV":
      return Buffer.concat([u16(10), u16(5), u16(a.port), encodeName(a.target)]);
    case "MX":
      return Buffer.concat([u16(10), encodeName(a.exchange)]);
    case "NS":
      return encodeName(a.host);
  }
}

function startDNS(table: Map<string, Answer[]>): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket("udp4");
  socket.on("message", (msg, rinfo) => {
    let off = 12;
    const labels: string[] = [];
    while (msg[off]! !== 0) {
      const len = msg[off]!;
      labels.push(msg.subarray(off + 1, off + 1 + len).toString());
      off += len + 1;
    }
    off++;
    const qtype = msg.readUInt16BE(off);
    const question = msg.subarray(12, off + 4);
    const name = labels.join(".").toLowerCase();
    const answers = (table.get(name) ?? []).filter((a) => TYPE_CODES[a.type] === qtype);
    const known = table.has(name);
    const header = Buffer.concat([msg.subarray(0, 2), u16(known ? 0x8580 : 0x8583), u16(1), u16(answers.length), u16(0), u16(0)]);
    const rrs = answers.map((a) => {
      const d = rdata(a);
      return Buffer.concat([u16(0xc00c), u16(TYPE_CODES[a.type]), u16(1), Buffer.from([0, 0, 0, 0]), u16(d.length), d]);
    });
    socket.send(Buffer.concat([header, question, ...rrs]), rinfo.port, rinfo.address);
  });
  return new Promise((resolve) => socket.bind(0, "127.0.0.1", () => resolve({ socket, port: socket.address().port })));
}

let dns: Socket | undefined;
let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
  dns?.close();
  dns = undefined;
});

const table = new Map<string, Answer[]>([
  ["_http._tcp.example.test", [{ type: "SRV", port: 8080, target: "web1.example.test" }]],
  ["web1.example.test", [{ type: "A", ip: "10.0.0.1" }, { type: "AAAA", ip: "fd00::1" }]],
  ["mail.example.test", [{ type: "MX", exchange: "mx1.example.test" }]],
  ["zone.example.test", [{ type: "NS", host: "ns1.example.test" }]],
]);

async function resolver(): Promise<Resolver> {
  const s = await startDNS(table);
  dns = s.socket;
  const r = new Resolver({ timeout: 500, tries: 1 });
  r.setServers([`127.0.0.1:${s.port}`]);
  return r;
}

test("DNS records become targets with Prometheus's dns_sd meta labels", async () => {
  const r = await resolver();
  expect(await lookupTargets(r, "_http._tcp.example.test", "SRV", 0)).toEqual([
    {
      __address__: "web1.example.test:8080",
      __meta_dns_name: "_http._tcp.example.test",
      __meta_dns_srv_record_target: "web1.example.test.",
      __meta_dns_srv_record_port: "8080",
    },
  ]);
  expect(await lookupTargets(r, "web1.example.test", "A", 9100)).toEqual([{ __address__: "10.0.0.1:9100", __meta_dns_name: "web1.example.test" }]);
  const aaaa = await lookupTargets(r, "web1.example.test", "AAAA", 9100);
  expect(aaaa).toHaveLength(1);
  expect(isIPv6(aaaa[0]!.__address__!.slice(1, aaaa[0]!.__address__!.lastIndexOf("]")))).toBe(true);
  expect(aaaa[0]!.__address__).toEndWith("]:9100");
  expect(await lookupTargets(r, "mail.example.test", "MX", 25)).toEqual([
    { __address__: "mx1.example.test:25", __meta_dns_name: "mail.example.test", __meta_dns_mx_record_target: "mx1.example.test." },
  ]);
  expect(await lookupTargets(r, "zone.example.test", "NS", 53)).toEqual([
    { __address__: "ns1.example.test:53", __meta_dns_name: "zone.example.test", __meta_dns_ns_record_target: "ns1.example.test." },
  ]);
});

test("discovery.dns validates its arguments", async () => {
  rt = testRuntime({ extra: components });
  const res = await rt.load([{ name: "main.alloy", text: `discovery.dns "d" {\n  names = ["x.test"]\n  type = "A"\n}\n` }]);
  expect(res.diagnostics.map((d) => d.message).join("\n")).toContain("a port is required in DNS-SD configs for all record types except SRV");
  const res2 = await rt.load([{ name: "main.alloy", text: `discovery.dns "d" {\n  names = ["x.test"]\n  type = "TXT"\n}\n` }]);
  expect(res2.diagnostics.map((d) => d.message).join("\n")).toContain("invalid DNS-SD records type TXT");
});

test("discovery.dns refreshes every name, and a name that stops resolving loses its targets", async () => {
  const r = await resolver();
  const published: Array<Record<string, string>[]> = [];
  const ctx = {
    id: "discovery.dns.d",
    logger: new Logger(),
    registry: new Registry(),
    publish: (e: { targets: Record<string, string>[] }) => published.push(e.targets),
  } as unknown as ComponentContext<{ targets: Record<string, string>[] }>;
  const args = { names: ["_http._tcp.example.test", "gone.example.test"], type: "SRV", port: 0, refresh_interval: 30_000 };
  const d = new DiscoveryDNS(ctx, args, r);
  await d.refresh();
  expect(published.at(-1)).toEqual([
    {
      __address__: "web1.example.test:8080",
      __meta_dns_name: "_http._tcp.example.test",
      __meta_dns_srv_record_target: "web1.example.test.",
      __meta_dns_srv_record_port: "8080",
    },
  ]);
  table.delete("_http._tcp.example.test");
  await d.refresh();
  expect(published.at(-1)).toEqual([]);
});
