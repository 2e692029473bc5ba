// Alloy's output trimmer: drops trailing spaces and tabs on every line, turns
// formfeeds into newlines, and removes the tabwriter's escape characters
// (text between them, i.e. comments, passes through untouched).

import { ESCAPE } from "./tabwriter.ts";

const trailingBlanks = /[ \t\v]+(?=[\n\f])/g;
const blanksAtEnd = /[ \t\v]+$/;

function trimPlain(text: string, last: boolean): string {
  let out = text.replace(trailingBlanks, "");
  if (last) out = out.replace(blanksAtEnd, "");
  if (out.indexOf("\f") >= 0) out = out.replace(/\f/g, "\n");
  if (out.indexOf("\v") >= 0) out = out.replace(/\v/g, "\t");
  return out;
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
