// The persistent half of sending_queue: one file per request under the storage extension's
// directory (a signal byte, then the protobuf export request), written to a temporary name and
// renamed so a crash never leaves a half-written request behind.

import { mkdirSync } from "node:fs";
import { readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodedBatch, type AnyBatch } from "../../../telemetry/otlp/batch.ts";
import type { Signal } from "../../../telemetry/otlp/signal.ts";

const SIGNAL_CODES: Signal[] = ["traces", "metrics", "logs"];
const SUFFIX = ".otlp";

export class FileQueueStore {
  #seq = 0;

  constructor(
    readonly dir: string,
    private readonly onCorrupt: (file: string, err: unknown) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Requests left by a previous run, oldest first. Unreadable files are reported and removed. */
  async load(): Promise<Array<{ file: string; batch: AnyBatch }>> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith(SUFFIX));
    const seqs = names.map((n) => Number.parseInt(n, 10)).filter((n) => Number.isFinite(n));
    names.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
    this.#seq = seqs.length > 0 ? Math.max(...seqs) + 1 : 0;
    const out: Array<{ file: string; batch: AnyBatch }> = [];
    for (const name of names) {
      const file = join(this.dir, name);
      try {
        const bytes = new Uint8Array(await readFile(file));
        const signal = SIGNAL_CODES[bytes[0] ?? 255];
        if (!signal) throw new Error(`unknown signal code ${bytes[0]}`);
        const body = bytes.subarray(1);
        // Checked now, decoded only if a consumer needs more than the bytes: a long backlog stays small.
        out.push({ file, batch: encodedBatch(signal, body) });
      } catch (err) {
        this.onCorrupt(file, err);
        await unlink(file).catch(() => {});
      }
    }
    return out;
  }

  async write(batch: AnyBatch): Promise<string> {
    const seq = this.#seq++;
    const name = `${String(seq).padStart(12, "0")}${SUFFIX}`;
    const file = join(this.dir, name);
    const body = batch.toBinary();
    const data = new Uint8Array(body.byteLength + 1);
    data[0] = SIGNAL_CODES.indexOf(batch.signal);
    data.set(body, 1);
    const tmp = `${file}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, file);
    return file;
  }

  async remove(file: string): Promise<void> {
    await unlink(file).catch(() => {});
  }
}
