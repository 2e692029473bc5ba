// Reads a txtar archive (Go's golang.org/x/tools/txtar): a comment, then `-- name --` files.

export interface TxtarArchive {
  comment: string;
  files: Array<{ name: string; text: string }>;
}

export function parseTxtar(text: string): TxtarArchive {
  const lines = text.split("\n");
  const files: TxtarArchive["files"] = [];
  const comment: string[] = [];
  let current: { name: string; lines: string[] } | undefined;
  for (const line of lines) {
    const m = /^-- (.+) --$/.exec(line);
    if (m) {
      if (current) files.push({ name: current.name, text: current.lines.join("\n") });
      current = { name: m[1]!, lines: [] };
    } else if (current) current.lines.push(line);
    else comment.push(line);
  }
  if (current) files.push({ name: current.name, text: current.lines.join("\n") });
  return { comment: comment.join("\n"), files };
}
