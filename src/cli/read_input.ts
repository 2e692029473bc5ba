// Reads a command's input file, or stdin for "-", with Go's error texts for
// missing files and directories.

import { readFile, stat } from "node:fs/promises";
import { CommandError } from "./io.ts";
import { processIO } from "./io.ts";

export interface Input {
  text: string;
}

/** `verb` names the command in the directory error: "cannot format a directory". */
export async function readInput(path: string, verb: string, stdin: () => Promise<Uint8Array> = processIO.readStdin): Promise<Input> {
  if (path === "-") return { text: new TextDecoder().decode(await stdin()) };
  const st = await stat(path).catch((err: unknown) => {
    throw new CommandError(fsErrorText("stat", path, err));
  });
  if (st.isDirectory()) throw new CommandError(`cannot ${verb} a directory`);
  const bytes = await readFile(path).catch((err: unknown) => {
    throw new CommandError(fsErrorText("open", path, err));
  });
  return { text: new TextDecoder().decode(bytes) };
}

/** Go's *PathError text: `stat missing.alloy: no such file or directory`. */
export function fsErrorText(op: string, path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === "ENOENT"
      ? "no such file or directory"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : code === "ENOTDIR"
            ? "not a directory"
            : err instanceof Error
              ? err.message
              : String(err);
  return `${op} ${path}: ${reason}`;
}
