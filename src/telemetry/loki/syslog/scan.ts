// Small cursor over a syslog line shared by the RFC 5424 and RFC 3164 parsers;
// columns are reported in UTF-8 bytes as go-syslog does.

import { byteLength } from "../../../gocompat/govalue.ts";
import { SyslogParseError } from "./message.ts";

export class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  /** Byte column of the current position. */
  col(at = this.pos): number {
    return byteLength(this.text.slice(0, at));
  }
  fail(template: string, at = this.pos): never {
    throw new SyslogParseError(template.replace("%d", String(this.col(at))), this.col(at));
  }
  take(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m || m.index !== this.pos) return undefined;
    this.pos += m[0].length;
    return m[0];
  }
  eat(s: string): boolean {
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
}

/** Reads `<PRI>`: 0, or 1-191 without leading zeros. */
export function readPriority(c: Cursor, errPri: string, errPrival: string): number {
  if (!c.eat("<")) c.fail(errPri);
  // Longest prefix that is still a valid PRIVAL (0, or 1-191 without leading zeros).
  const start = c.pos;
  let value = "";
  for (;;) {
    const ch = c.peek();
    if (ch === undefined || ch < "0" || ch > "9") break;
    const next = value + ch;
    if (value === "0" || (next.length > 1 && next[0] === "0") || Number(next) > 191) break;
    value = next;
    c.pos++;
  }
  const after = c.peek();
  if (value === "" || (after !== undefined && after >= "0" && after <= "9")) c.fail(errPrival, value === "" ? start : c.pos);
  if (!c.eat(">")) c.fail(errPri);
  return Number(value);
}
