import { expect, test } from "bun:test";
import { RFC3339, RFC3339Nano } from "../../src/gocompat/timefmt.ts";
import { parse, parseByLayout } from "../../src/gocompat/timeparse.ts";
import { rfc3339Values } from "./rfc3339_values.ts";

const outcome = (f: () => { unixNs: bigint; offset: number; zone: string }): string => {
  try {
    const t = f();
    return `${t.unixNs} ${t.offset} ${JSON.stringify(t.zone)}`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

for (const [name, layout] of [["RFC3339", RFC3339], ["RFC3339Nano", RFC3339Nano]] as const) {
  test(`time.Parse with ${name} gives the general parser's instant, offset and zone (or error) for ${rfc3339Values.length} values`, () => {
    for (const v of rfc3339Values) expect([v, outcome(() => parse(layout, v))]).toEqual([v, outcome(() => parseByLayout(layout, v))]);
  });
}
