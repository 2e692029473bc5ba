// `--extra-args`: the original tool's flags as one space-separated string (cmd_convert.go's parsing).

export function parseExtraArgs(raw: string): string[] {
  const out: string[] = [];
  for (const tok of raw.split(/\s+/).filter((t) => t !== "")) {
    const eq = tok.indexOf("=");
    if (eq < 0) {
      out.push(tok);
      continue;
    }
    const value = tok.slice(eq + 1);
    if (value !== "" && !tok.startsWith("-")) throw new Error(`invalid flag found: ${tok}`);
    out.push(tok.slice(0, eq));
    if (value !== "") out.push(value);
  }
  return out;
}
