// Byte sizes as Go's github.com/alecthomas/units reads them (units.Base2Bytes), the type
// of Alloy's size attributes: `512`, `1KiB`, `10MB` (KB means KiB), parts adding up
// (`1MB512KB`), units case-sensitive; a bare number other than 0 has no unit and is refused.

const BYTE_UNITS: Record<string, number> = { B: 1 };
for (const [i, p] of ["K", "M", "G", "T", "P", "E"].entries()) BYTE_UNITS[`${p}iB`] = BYTE_UNITS[`${p}B`] = 1024 ** (i + 1);

/** units.ParseBase2Bytes; throws with Go's message on an empty, malformed or unknown-unit size. */
export function parseBase2Bytes(s: string): number {
  if (s === "0") return 0;
  if (s === "") throw new Error(`units: invalid ${s}`);
  let total = 0;
  let rest = s;
  while (rest !== "") {
    const m = /^(\d*(?:\.\d*)?)([^\d.]*)/.exec(rest)!;
    if (m[1] === "" || m[1] === ".") throw new Error(`units: invalid ${s}`);
    const unit = BYTE_UNITS[m[2]!];
    if (unit === undefined) throw new Error(`units: unknown unit ${m[2]} in ${s}`);
    total += Number(m[1]) * unit;
    rest = rest.slice(m[0].length);
  }
  return Math.floor(total);
}

/** units.Base2Bytes.String() for whole units: the largest binary unit that divides the size, e.g. `10MiB`, `1536B`. */
export function formatBase2Bytes(n: number): string {
  for (const [u, size] of [["EiB", 2 ** 60], ["PiB", 2 ** 50], ["TiB", 2 ** 40], ["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (n >= size && n % size === 0) return `${n / size}${u}`;
  }
  return `${n}B`;
}
