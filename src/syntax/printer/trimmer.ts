// Alloy's output trimmer: drops trailing spaces and tabs on every line, turns
// formfeeds into newlines, and removes the tabwriter's escape characters
// (text between them, i.e. comments, passes through untouched).

import { ESCAPE } from "./tabwriter.ts";

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0b;
}

/** Drops blanks before each line break (and at the very end when `last`), maps \f to \n and \v to \t. */
function trimPlain(text: string, last: boolean): string {
  const breaks = /[\n\f]/g;
  let out = "";
  let segStart = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    let end = m.index;
    while (end > segStart && isBlank(text.charCodeAt(end - 1))) end--;
    out += text.slice(segStart, end) + "\n";
    segStart = m.index + 1;
  }
  let end = text.length;
  if (last) while (end > segStart && isBlank(text.charCodeAt(end - 1))) end--;
  out += text.slice(segStart, end);
  return out.indexOf("\v") >= 0 ? out.replace(/\v/g, "\t") : out;
}

export function trimTrailingWhitespace(data: string): string {
  if (data.indexOf(ESCAPE) < 0) return trimPlain(data, true);
  // Even pieces are plain text, odd pieces were escaped.
  const pieces = data.split(ESCAPE);
  let out = "";
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    out += i % 2 === 1 ? piece : trimPlain(piece, i === pieces.length - 1);
  }
  return out;
}
