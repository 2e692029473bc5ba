// Go's text/tabwriter (elastic tabstops), in the one configuration Alloy's
// printer uses: minwidth 0, tabwidth 8, padding 1, pad char ' ',
// DiscardEmptyColumns | TabIndent, escapes passed through. Widths count code
// points, as Go counts runes.

/** Brackets text that the tabwriter must not interpret (Go uses the byte 0xff). A lone surrogate never occurs in decoded UTF-8. */
export const ESCAPE = "\udbff";

const TAB_WIDTH = 8;
const PADDING = 1;
const MIN_WIDTH = 0;

interface Cell {
  text: string;
  /** Width in code points, escapes excluded. */
  width: number;
  /** Terminated by a hard tab ('\t') rather than a soft one ('\v'). */
  htab: boolean;
}

const lowSurrogate = /[\udc00-\udfff]/;

function runeCount(s: string): number {
  let n = s.length;
  if (!lowSurrogate.test(s)) return n;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) n--;
    }
  }
  return n;
}

/** Aligns the tab-separated cells of `input` and returns the formatted text. */
export function tabwrite(input: string): string {
  return new TabWriter().run(input);
}

class TabWriter {
  private out = "";
  /** Text appended to the current cell since its width was last updated. */
  private pending = "";
  private cell: Cell = { text: "", width: 0, htab: false };
  private inEscape = false;
  private lines: Cell[][] = [[]];
  private widths: number[] = [];

  run(input: string): string {
    this.write(input);
    this.flush();
    return this.out;
  }

  private reset(): void {
    this.pending = "";
    this.cell = { text: "", width: 0, htab: false };
    this.inEscape = false;
    this.lines = [[]];
    this.widths = [];
  }

  private append(text: string): void {
    this.cell.text += text;
    this.pending += text;
  }

  private updateWidth(): void {
    this.cell.width += runeCount(this.pending);
    this.pending = "";
  }

  private endEscape(): void {
    this.updateWidth();
    this.cell.width -= 2; // the two escape characters take no room
    this.inEscape = false;
  }

  private terminateCell(htab: boolean): number {
    this.cell.htab = htab;
    const line = this.lines[this.lines.length - 1]!;
    line.push(this.cell);
    this.cell = { text: "", width: 0, htab: false };
    return line.length;
  }

  private flush(): void {
    if (this.cell.text.length > 0) {
      if (this.inEscape) this.endEscape();
      this.terminateCell(false);
    }
    this.format(0, this.lines.length);
    this.reset();
  }

  private write(input: string): void {
    let n = 0;
    const len = input.length;
    for (let i = 0; i < len; i++) {
      if (this.inEscape) {
        // Escaped text is not interpreted: jump to its closing escape.
        const j = input.indexOf(ESCAPE, i);
        if (j < 0) break;
        this.append(input.slice(n, j + 1));
        n = j + 1;
        i = j;
        this.endEscape();
        continue;
      }
      const ch = input.charCodeAt(i);
      if (ch > 12 && ch !== 0xdbff) continue;
      if (ch === 9 || ch === 11 || ch === 10 || ch === 12) {
        this.append(input.slice(n, i));
        this.updateWidth();
        n = i + 1;
        const ncells = this.terminateCell(ch === 9);
        if (ch === 10 || ch === 12) {
          this.lines.push([]);
          // A formfeed ends every column; a line with a single cell cannot affect later lines.
          if (ch === 12 || ncells === 1) this.flush();
        }
      } else if (ch === 0xdbff) {
        this.append(input.slice(n, i));
        this.updateWidth();
        n = i;
        this.inEscape = true;
      }
    }
    this.append(input.slice(n));
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (useTabs) {
      cellw = Math.ceil(cellw / TAB_WIDTH) * TAB_WIDTH;
      const n = cellw - textw;
      this.out += "\t".repeat(Math.ceil(n / TAB_WIDTH));
      return;
    }
    if (cellw > textw) this.out += " ".repeat(cellw - textw);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      let useTabs = true; // TabIndent: leading empty cells are indentation
      for (let j = 0; j < line.length; j++) {
        const c = line[j]!;
        if (c.text.length === 0) {
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, useTabs);
        } else {
          useTabs = false;
          this.out += c.text;
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j]!, false);
        }
      }
      if (i + 1 === this.lines.length) this.out += this.cell.text;
      else this.out += "\n";
    }
  }

  /**
   * Go's recursive column formatting, with an explicit stack so that a line
   * with very many cells cannot exhaust the call stack. Each frame formats
   * lines [line0, line1) at one column; a block of lines that has a cell in
   * that column gets a child frame for the next column.
   */
  private format(line0: number, line1: number): void {
    interface Frame {
      line0: number;
      line1: number;
      cur: number;
      column: number;
      resumeAt: number;
    }
    const stack: Frame[] = [{ line0, line1, cur: line0, column: this.widths.length, resumeAt: 0 }];
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      let child: Frame | undefined;
      for (; f.cur < f.line1; f.cur++) {
        const line = this.lines[f.cur]!;
        if (f.column >= line.length - 1) continue;
        // This line starts a block of lines that have a cell in this column.
        this.writeLines(f.line0, f.cur);
        f.line0 = f.cur;
        let width = MIN_WIDTH;
        let discardable = true;
        let end = f.cur;
        for (; end < f.line1; end++) {
          const l = this.lines[end]!;
          if (f.column >= l.length - 1) break;
          const c = l[f.column]!;
          const w = c.width + PADDING;
          if (w > width) width = w;
          if (c.width > 0 || c.htab) discardable = false;
        }
        if (discardable) width = 0; // DiscardEmptyColumns
        this.widths.push(width);
        f.resumeAt = end;
        child = { line0: f.line0, line1: end, cur: f.line0, column: f.column + 1, resumeAt: 0 };
        break;
      }
      if (child) {
        stack.push(child);
        continue;
      }
      this.writeLines(f.line0, f.line1);
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) {
        this.widths.pop();
        parent.line0 = parent.resumeAt;
        parent.cur = parent.resumeAt + 1;
      }
    }
  }
}
