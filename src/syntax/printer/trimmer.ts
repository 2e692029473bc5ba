// Alloy's output trimmer: drops trailing spaces and tabs on every line, turns
// formfeeds into newlines, and removes the tabwriter's escape characters.

import { ESCAPE } from "./tabwriter.ts";

const SPACE = 0;
const ESCAPED = 1;
const TEXT = 2;

export function trimTrailingWhitespace(data: string): string {
  const out: string[] = [];
  let state = SPACE;
  let space = "";
  let textStart = 0;
  const esc = ESCAPE.charCodeAt(0);

  for (let off = 0; off < data.length; off++) {
    let b = data.charCodeAt(off);
    if (b === 11) b = 9;
    switch (state) {
      case SPACE:
        if (b === 9 || b === 32) space += String.fromCharCode(b);
        else if (b === 10 || b === 12) {
          space = "";
          out.push("\n");
        } else if (b === esc) {
          out.push(space);
          state = ESCAPED;
          textStart = off + 1;
        } else {
          out.push(space);
          state = TEXT;
          textStart = off;
        }
        break;
      case TEXT:
        if (b === 9 || b === 32) {
          out.push(data.slice(textStart, off));
          state = SPACE;
          space = String.fromCharCode(b);
        } else if (b === 10 || b === 12) {
          out.push(data.slice(textStart, off));
          state = SPACE;
          space = "";
          out.push("\n");
        } else if (b === esc) {
          out.push(data.slice(textStart, off));
          state = ESCAPED;
          textStart = off + 1;
        }
        break;
      case ESCAPED:
        if (b === esc) {
          out.push(data.slice(textStart, off));
          state = SPACE;
          space = "";
        }
        break;
    }
  }
  if (state !== SPACE) out.push(data.slice(textStart));
  return out.join("");
}
