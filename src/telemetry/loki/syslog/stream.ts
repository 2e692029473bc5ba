// One syslog connection from bytes to parsed messages: framing detection
// (octet counting or newline), then the RFC 5424 or RFC 3164 parser. Errors
// are per message, except a framing error that ends the stream (fatal).

import { SyslogFrameReader, type Frame, type FrameReaderOptions } from "./framing.ts";
import type { SyslogMessage } from "./message.ts";
import { parseRFC3164, type RFC3164Options } from "./rfc3164.ts";
import { parseRFC5424 } from "./rfc5424.ts";

export type SyslogResult = { message: SyslogMessage; error?: undefined } | { message?: undefined; error: Error };

export interface SyslogStreamOptions extends FrameReaderOptions {
  format: "rfc5424" | "rfc3164";
  rfc3164?: RFC3164Options;
}

const dec = new TextDecoder();

export class SyslogStreamParser {
  private readonly frames: SyslogFrameReader;

  constructor(private readonly opts: SyslogStreamOptions) {
    this.frames = new SyslogFrameReader(opts);
  }

  /** True once the stream cannot be read further (bad framing); the connection should be closed. */
  get fatal(): boolean {
    return this.frames.fatal !== undefined;
  }

  push(chunk: Uint8Array): SyslogResult[] {
    const { frames, errors } = this.frames.push(chunk);
    return this.results(frames, errors);
  }

  end(): SyslogResult[] {
    const { frames, errors } = this.frames.end();
    return this.results(frames, errors);
  }

  private results(frames: Frame[], errors: Error[]): SyslogResult[] {
    const out: SyslogResult[] = errors.map((error) => ({ error }));
    for (const f of frames) {
      const text = dec.decode(f.data);
      try {
        const message = this.opts.format === "rfc3164" ? parseRFC3164(text, this.opts.rfc3164) : parseRFC5424(text);
        out.push({ message });
      } catch (error) {
        out.push({ error: error as Error });
      }
    }
    return out;
  }
}
