// The streams a command talks to, passed in so tests can run commands in-process.

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input as bytes. */
  readStdin(): Promise<Uint8Array>;
}

export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readStdin: async () => new Uint8Array(await Bun.stdin.arrayBuffer()),
};

/** What a command reports back: its exit code. Errors are already printed. */
export type ExitCode = number;

/** An error a command returns to main, printed as cobra does: `Error: <message>`. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandError";
  }
}
