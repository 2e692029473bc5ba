// An in-memory CliIO for running commands inside a test.

import type { CliIO } from "../../src/cli/io.ts";

export interface CapturedIO extends CliIO {
  out: string;
  err: string;
}

export function captureIO(stdin = ""): CapturedIO {
  const io: CapturedIO = {
    out: "",
    err: "",
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
    readStdin: async () => new TextEncoder().encode(stdin),
  };
  return io;
}
