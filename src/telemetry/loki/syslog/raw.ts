// syslog_format = "raw": lines are not parsed beyond an optional `<PRI>`
// prefix (Alloy's rawparser). Each frame picks its own framing: a leading
// digit means an octet-counted frame, anything else (CEF lines included) runs
// to the delimiter (LF, or NUL with use_null_terminator_delimiter).

export interface RawSyslogMessage {
  /** Present when the line started with `<N>` (N up to 255). */
  priority?: number;
  message: string;
}

const dec = new TextDecoder();

/** Strips an optional `<PRI>` and surrounding whitespace. */
export function parseRawSyslog(line: string): RawSyslogMessage {
  const m = /^<(\d+)>/.exec(line);
  if (m && Number(m[1]) <= 255) return { priority: Number(m[1]), message: line.slice(m[0].length).trim() };
  return { message: line.trim() };
}

export class RawSyslogReader {
  private buf: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  private readonly delimiter: number;

  constructor(opts: { nullTerminator?: boolean } = {}) {
    this.delimiter = opts.nullTerminator ? 0 : 0x0a;
  }

  /** Feeds bytes; returns complete messages and errors for unreadable octet-count headers. */
  push(chunk: Uint8Array): { messages: RawSyslogMessage[]; errors: Error[] } {
    const out: RawSyslogMessage[] = [];
    const errors: Error[] = [];
    const b = this.buf.length ? concat(this.buf, chunk) : chunk;
    let p = 0;
    while (p < b.length) {
      const first = b[p]!;
      if (first >= 0x30 && first <= 0x39) {
        const sp = b.indexOf(0x20, p);
        if (sp < 0) break;
        const lenText = dec.decode(b.subarray(p, sp));
        if (!/^\d+$/.test(lenText)) {
          errors.push(new Error(`failed to read octet length header: failed to parse octet length from ${JSON.stringify(lenText)}`));
          p = sp + 1;
          continue;
        }
        const len = Number(lenText);
        if (b.length - (sp + 1) < len) break;
        const text = dec.decode(b.subarray(sp + 1, sp + 1 + len));
        out.push(parseRawSyslog(text));
        p = sp + 1 + len;
        continue;
      }
      const end = b.indexOf(this.delimiter, p);
      if (end < 0) break;
      const text = dec.decode(b.subarray(p, end)).trim();
      if (text !== "") out.push(parseRawSyslog(text));
      p = end + 1;
    }
    this.buf = b.subarray(p);
    return { messages: out, errors };
  }

  /** The last message when the stream ends without a delimiter. */
  end(): RawSyslogMessage[] {
    const text = dec.decode(this.buf).trim();
    this.buf = new Uint8Array(0);
    return text === "" ? [] : [parseRawSyslog(text)];
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
