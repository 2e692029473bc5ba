// A minimal MaxMind DB (MMDB v2) writer for tests: an IPv4 tree with 24-bit
// records and the data types GeoIP records use (strings, maps, arrays,
// unsigned ints, doubles, bools).

type MMDBValue = string | number | boolean | MMDBValue[] | { [k: string]: MMDBValue };

function ctrl(type: number, size: number): number[] {
  if (size >= 29 + 256) throw new Error("test writer supports sizes below 285 only");
  const [small, extra] = size < 29 ? [size, []] : [29, [size - 29]];
  return type <= 7 ? [(type << 5) | small, ...extra] : [small, type - 7, ...extra];
}

function uintBytes(n: number): number[] {
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return out;
}

function encode(v: MMDBValue, doubles: boolean): number[] {
  if (typeof v === "string") {
    const b = [...Buffer.from(v, "utf8")];
    return [...ctrl(2, b.length), ...b];
  }
  if (typeof v === "boolean") return ctrl(14, v ? 1 : 0);
  if (typeof v === "number") {
    if (!Number.isInteger(v) || doubles) {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(v);
      return [...ctrl(3, 8), ...b];
    }
    const b = uintBytes(v);
    return [...ctrl(6, b.length), ...b];
  }
  if (Array.isArray(v)) return [...ctrl(11, v.length), ...v.flatMap((x) => encode(x, doubles))];
  const keys = Object.keys(v);
  return [...ctrl(7, keys.length), ...keys.flatMap((k) => [...encode(k, false), ...encode(v[k]!, doubles && k !== "autonomous_system_number")])];
}

/** Builds a database where each `a.b.c.d/len` network maps to its record. */
export function buildMMDB(databaseType: string, networks: Array<[string, MMDBValue]>): Buffer {
  const nodes: Array<[number | string, number | string]> = [[-1, -1]];
  const data: number[] = [];
  networks.forEach(([cidr, record]) => {
    const [ip, lenText] = cidr.split("/") as [string, string];
    const len = Number(lenText);
    const addr = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
    const offset = data.length;
    data.push(...encode(record, true));
    let node = 0;
    for (let i = 0; i < len; i++) {
      const bit = Math.floor(addr / 2 ** (31 - i)) % 2;
      if (i === len - 1) {
        nodes[node]![bit] = `data:${offset}`;
        break;
      }
      let next = nodes[node]![bit];
      if (typeof next !== "number" || next < 0) {
        nodes.push([-1, -1]);
        next = nodes.length - 1;
        nodes[node]![bit] = next;
      }
      node = next;
    }
  });
  const count = nodes.length;
  const resolve = (r: number | string) => (typeof r === "string" ? count + 16 + Number(r.slice(5)) : r < 0 ? count : r);
  const tree: number[] = [];
  for (const [l, r] of nodes) for (const v of [resolve(l), resolve(r)]) tree.push((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
  const metadata = encode(
    {
      binary_format_major_version: 2,
      binary_format_minor_version: 0,
      build_epoch: 1700000000,
      database_type: databaseType,
      description: { en: "test database" },
      ip_version: 4,
      languages: ["en"],
      node_count: count,
      record_size: 24,
    },
    false,
  );
  return Buffer.from([...tree, ...new Array(16).fill(0), ...data, 0xab, 0xcd, 0xef, ...Buffer.from("MaxMind.com"), ...metadata]);
}
