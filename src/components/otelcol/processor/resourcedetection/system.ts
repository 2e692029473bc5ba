// The `env` and `system` detectors: the two that can answer on any host.

import { arch, hostname, platform, release, type as osType, cpus, networkInterfaces } from "node:os";
import { readFileSync } from "node:fs";
import { promises as dns } from "node:dns";

/** OTEL_RESOURCE_ATTRIBUTES: `k=v` pairs separated by commas, values percent-decoded. */
export function parseResourceAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (text.trim() === "") return out;
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) throw new Error(`invalid resource format in attribute: ${JSON.stringify(part)}, expected key=value`);
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (key === "") throw new Error(`invalid resource format in attribute: ${JSON.stringify(part)}, empty key`);
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      throw new Error(`invalid resource format in attribute: ${JSON.stringify(part)}, invalid percent-encoding`);
    }
    out.set(key, value);
  }
  return out;
}

const ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm32", ia32: "x86", ppc64: "ppc64", s390x: "s390x", ppc: "ppc32" };
const OS_TYPE: Record<string, string> = { win32: "windows", darwin: "darwin", linux: "linux", freebsd: "freebsd", openbsd: "openbsd", netbsd: "netbsd", sunos: "solaris", aix: "aix" };

function machineId(): string | undefined {
  for (const f of ["/etc/machine-id", "/var/lib/dbus/machine-id"]) {
    try {
      const id = readFileSync(f, "utf8").trim();
      if (id) return id;
    } catch {
      // try the next source
    }
  }
  return undefined;
}

async function fqdn(): Promise<string> {
  const host = hostname();
  const { address } = await dns.lookup(host);
  const names = await dns.reverse(address);
  const name = names[0];
  if (!name) throw new Error(`no reverse DNS name for ${address}`);
  return name.replace(/\.$/, "");
}

async function hostnameFrom(source: string): Promise<string> {
  switch (source) {
    case "os":
      return hostname();
    case "dns":
    case "lookup":
      return fqdn();
    default: {
      const host = hostname();
      const names = await dns.resolveCname(host);
      if (!names[0]) throw new Error(`no CNAME for ${host}`);
      return names[0].replace(/\.$/, "");
    }
  }
}

/** The system detector's attributes (only the enabled ones are computed). */
/** Attribute values: strings, string lists (host.ip, aws.log.group.names) and integers (faas.max_memory). */
export type Detected = Map<string, string | string[] | bigint>;

export async function detectSystem(sources: readonly string[], enabled: (attr: string) => boolean): Promise<Detected> {
  const out: Detected = new Map();
  if (enabled("host.name")) {
    let name: string | undefined;
    const errors: string[] = [];
    for (const s of sources) {
      try {
        name = await hostnameFrom(s);
        break;
      } catch (err) {
        errors.push(`${s}: ${(err as Error).message}`);
      }
    }
    if (name === undefined) throw new Error(`all hostname sources failed: ${errors.join("; ")}`);
    out.set("host.name", name);
  }
  if (enabled("os.type")) out.set("os.type", OS_TYPE[platform()] ?? platform());
  if (enabled("host.arch")) out.set("host.arch", ARCH[arch()] ?? arch());
  if (enabled("os.description")) out.set("os.description", `${osType()} ${release()}`);
  if (enabled("os.version")) out.set("os.version", release());
  if (enabled("host.id")) {
    const id = machineId();
    if (id) out.set("host.id", id);
  }
  if (enabled("host.cpu.model.name")) {
    const model = cpus()[0]?.model;
    if (model) out.set("host.cpu.model.name", model);
  }
  const ifaces = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((i) => !i.internal);
  if (enabled("host.ip") && ifaces.length > 0) out.set("host.ip", [...new Set(ifaces.map((i) => i.address))]);
  if (enabled("host.mac") && ifaces.length > 0) out.set("host.mac", [...new Set(ifaces.map((i) => i.mac.toUpperCase().replaceAll(":", "-")))]);
  return out;
}
