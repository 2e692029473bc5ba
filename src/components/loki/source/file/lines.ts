// Splitting raw file bytes into complete lines for a given encoding: only bytes
// up to the last newline are decoded, the rest waits for more data (a partial
// last line is never emitted early). UTF-16 newlines are two bytes wide.

export type NewlineWidth = 1 | 2;

export class LineSplitter {
  private readonly decoder: TextDecoder;
  private readonly strict: TextDecoder | undefined;
  private readonly kind: "byte" | "utf-16le" | "utf-16be";

  /** `encoding` "" means UTF-8 without validation, as Alloy reads files by default. Throws RangeError when unknown. */
  constructor(encoding: string) {
    this.decoder = new TextDecoder(encoding === "" ? "utf-8" : encoding);
    const e = this.decoder.encoding;
    this.kind = e === "utf-16le" ? "utf-16le" : e === "utf-16be" ? "utf-16be" : "byte";
    // Only UTF-8 can be checked for malformed input; single-byte tables accept everything.
    this.strict = e === "utf-8" && encoding !== "" ? new TextDecoder("utf-8", { fatal: true }) : undefined;
  }

  get newlineWidth(): NewlineWidth {
    return this.kind === "byte" ? 1 : 2;
  }

  /** Index just past the last newline in `data`, or 0 when there is none. */
  completeLength(data: Uint8Array): number {
    if (this.kind === "byte") return data.lastIndexOf(0x0a) + 1;
    const hi = this.kind === "utf-16be";
    for (let i = (data.length & ~1) - 2; i >= 0; i -= 2) {
      if (hi ? data[i] === 0 && data[i + 1] === 0x0a : data[i] === 0x0a && data[i + 1] === 0) return i + 2;
    }
    return 0;
  }

  /**
   * Decodes complete lines (data ends just after a newline, or is a final
   * unterminated remainder); a trailing CR is removed from each line.
   * `onInvalid` is called once when the bytes are not valid in the encoding.
   */
  decode(data: Uint8Array, terminated: boolean, onInvalid: () => void): string[] {
    let text: string;
    if (this.strict !== undefined) {
      try {
        text = this.strict.decode(data);
      } catch {
        onInvalid();
        text = this.decoder.decode(data);
      }
    } else text = this.decoder.decode(data);
    const lines = text.split("\n");
    if (terminated) lines.pop();
    // One scan of the whole text spares looking into every line when there is no CR at all.
    if (text.indexOf("\r") < 0) return lines;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
    }
    return lines;
  }
}
