// `host:port` endpoints as the Collector writes them (`0.0.0.0:4317`, `[::1]:4318`, `:4317`).

export interface HostPort {
  /** Host without brackets; "" means all interfaces. */
  host: string;
  port: number;
}

export function parseHostPort(endpoint: string): HostPort {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(endpoint.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new Error(`invalid endpoint "${endpoint}": want host:port, e.g. 0.0.0.0:4317 or [::1]:4317`);
  }
  return { host: m[1] ?? m[2] ?? "", port };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
