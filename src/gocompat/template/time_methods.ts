// Methods of Go's time.Time reachable from templates (`{{ now.Unix }}`,
// `{{ (now).Format "2006" }}`), over the GoTime value model.

import { LONG_DAY_NAMES, LONG_MONTH_NAMES } from "../timelayout.ts";
import { addDate, civil, format, inLocation, splitNs, type GoTime } from "../timefmt.ts";
import { timeString } from "../govalue.ts";
import { localLocation, UTC } from "../timezone.ts";
import { goFunc, type GoFunc } from "./funcs.ts";

export function timeMethod(t: GoTime, name: string): GoFunc | undefined {
  switch (name) {
    case "Format":
      return goFunc(["string"], (layout: string) => format(t, layout));
    case "String":
      return goFunc([], () => timeString(t));
    case "Unix":
      return goFunc([], () => BigInt(splitNs(t.unixNs)[0]));
    case "UnixMilli":
      return goFunc([], () => floorDiv(t.unixNs, 1_000_000n));
    case "UnixMicro":
      return goFunc([], () => floorDiv(t.unixNs, 1_000n));
    case "UnixNano":
      return goFunc([], () => t.unixNs);
    case "Year":
      return goFunc([], () => BigInt(civil(t).year));
    case "Month":
      // time.Month prints by name.
      return goFunc([], () => LONG_MONTH_NAMES[civil(t).month - 1]!);
    case "Day":
      return goFunc([], () => BigInt(civil(t).day));
    case "Weekday":
      return goFunc([], () => LONG_DAY_NAMES[civil(t).weekday]!);
    case "YearDay":
      return goFunc([], () => BigInt(civil(t).yearDay));
    case "Hour":
      return goFunc([], () => BigInt(civil(t).hour));
    case "Minute":
      return goFunc([], () => BigInt(civil(t).minute));
    case "Second":
      return goFunc([], () => BigInt(civil(t).second));
    case "Nanosecond":
      return goFunc([], () => BigInt(civil(t).nanosecond));
    case "UTC":
      return goFunc([], () => inLocation(t.unixNs, UTC));
    case "Local":
      return goFunc([], () => inLocation(t.unixNs, localLocation()));
    case "IsZero":
      return goFunc([], () => t.unixNs === -62135596800000000000n);
    case "AddDate":
      return goFunc(["int", "int", "int"], (y: bigint, m: bigint, d: bigint) => addDate(t, Number(y), Number(m), Number(d)));
  }
  return undefined;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}
