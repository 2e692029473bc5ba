// Syslog over a byte stream (RFC 6587): octet counting (`LEN SP MSG`) or
// non-transparent framing (messages end at LF, or NUL for raw streams). As
// in Alloy, the first byte of a connection picks the framing: a digit means
// octet counting, `<` means non-transparent.

export type Framing = "octet-counting" | "non-transparent";

export interface Frame {
  /** The message bytes, without length prefix or trailer. */
  data: Uint8Array;
}

export class SyslogFramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SyslogFramingError";
  }
}

export interface FrameReaderOptions {
  /** Longest message accepted (Alloy's max_message_length, default 8192). */
  maxMessageLength?: number;
  /** Force a framing instead of detecting it from the first byte. */
  framing?: Framing;
  /** Trailer byte for non-transparent framing: LF (default) or NUL. */
  trailer?: "\n" | "\0";
}

/**
 * Incremental frame reader for one connection: feed chunks with push(),
 * collect frames and per-message errors; end() flushes an unterminated last
 * message. A framing error that makes the rest of the stream unreadable
 * (bad octet count) stops the reader (fatal is set).
 */
export class SyslogFrameReader {
  private buf: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  private framing: Framing | undefined;
  private readonly max: number;
  private readonly trailer: number;
  /** Messages dropped for exceeding the maximum length are skipped up to here. */
  private skipping = false;
  fatal: SyslogFramingError | undefined;

  constructor(opts: FrameReaderOptions = {}) {
    this.max = opts.maxMessageLength ?? 8192;
    this.framing = opts.framing;
    this.trailer = (opts.trailer ?? "\n").charCodeAt(0);
  }

  get detectedFraming(): Framing | undefined {
    return this.framing;
  }

  push(chunk: Uint8Array): { frames: Frame[]; errors: SyslogFramingError[] } {
    const frames: Frame[] = [];
    const errors: SyslogFramingError[] = [];
    if (this.fatal) return { frames, errors };
    this.buf = this.buf.length ? concat(this.buf, chunk) : chunk;
    if (!this.framing && this.buf.length > 0) {
      const b = this.buf[0]!;
      if (b === 0x3c) this.framing = "non-transparent";
      else if (b >= 0x30 && b <= 0x39) this.framing = "octet-counting";
      else {
        this.fatal = new SyslogFramingError(`invalid or unsupported framing. first byte: '${String.fromCharCode(b)}'`);
        errors.push(this.fatal);
        return { frames, errors };
      }
    }
    if (this.framing === "octet-counting") this.readOctetCounted(frames, errors);
    else this.readNonTransparent(frames, errors);
    return { frames, errors };
  }

  /** Flushes a final non-transparent message that had no trailer. */
  end(): { frames: Frame[]; errors: SyslogFramingError[] } {
    const frames: Frame[] = [];
    const errors: SyslogFramingError[] = [];
    if (this.framing === "non-transparent" && this.buf.length > 0 && !this.skipping) {
      frames.push({ data: this.buf });
    } else if (this.framing === "octet-counting" && this.buf.length > 0 && !this.fatal) {
      errors.push(new SyslogFramingError("unexpected EOF: incomplete octet-counted message"));
    }
    this.buf = new Uint8Array(0);
    return { frames, errors };
  }

  private readNonTransparent(frames: Frame[], errors: SyslogFramingError[]): void {
    let start = 0;
    for (;;) {
      const i = this.buf.indexOf(this.trailer, start);
      if (i < 0) break;
      if (this.skipping) this.skipping = false;
      else if (i - start > this.max) {
        errors.push(new SyslogFramingError(`message too long to parse. was size ${i - start}, max length ${this.max}`));
      } else if (i > start) frames.push({ data: this.buf.subarray(start, i) });
      start = i + 1;
    }
    this.buf = this.buf.subarray(start);
    if (this.buf.length > this.max && !this.skipping) {
      errors.push(new SyslogFramingError(`message too long to parse. was size ${this.buf.length}, max length ${this.max}`));
      this.skipping = true;
    }
    if (this.skipping) this.buf = new Uint8Array(0);
  }

  private readOctetCounted(frames: Frame[], errors: SyslogFramingError[]): void {
    let p = 0;
    const b = this.buf;
    for (;;) {
      // Skip LF/space separators some senders put between frames.
      while (p < b.length && (b[p] === 0x0a || b[p] === 0x20)) p++;
      let q = p;
      while (q < b.length && b[q]! >= 0x30 && b[q]! <= 0x39 && q - p < 10) q++;
      if (q === b.length) break; // need more bytes for the length
      if (q === p || b[p] === 0x30 || b[q] !== 0x20) {
        this.fatal = new SyslogFramingError(`found ${JSON.stringify(String.fromCharCode(b[q] ?? 0))}, expecting a MSGLEN (a non-zero digit followed by digits) and a space`);
        errors.push(this.fatal);
        this.buf = new Uint8Array(0);
        return;
      }
      const len = Number(new TextDecoder().decode(b.subarray(p, q)));
      const bodyStart = q + 1;
      if (b.length - bodyStart < len) break;
      if (len > this.max) errors.push(new SyslogFramingError(`message too long to parse. was size ${len}, max length ${this.max}`));
      else frames.push({ data: b.subarray(bodyStart, bodyStart + len) });
      p = bodyStart + len;
    }
    this.buf = b.subarray(p);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
