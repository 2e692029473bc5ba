// How far a queue got through the WAL, kept on disk so a restart sends exactly what
// was not yet acknowledged. Each shard owns the series whose hash falls on it and
// sends them in WAL order, so its progress is one WAL position: every sample of
// that shard at or before the position was acknowledged (or failed for good). The
// file also records the shard count, since the hash → shard mapping depends on it.

import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";

/** A record's place in the WAL. */
export interface WalPosition {
  segment: number;
  offset: number;
}

export const START: WalPosition = { segment: -1, offset: -1 };

export function comparePositions(a: WalPosition, b: WalPosition): number {
  return a.segment !== b.segment ? a.segment - b.segment : a.offset - b.offset;
}

export interface SavedProgress {
  shards: number;
  done: WalPosition[];
}

export class ProgressFile {
  #snapshot: () => SavedProgress;
  #fd: number | undefined;
  #written = 0;

  constructor(
    readonly path: string,
    snapshot: () => SavedProgress,
  ) {
    this.#snapshot = snapshot;
  }

  static async load(path: string): Promise<SavedProgress | undefined> {
    try {
      const v = JSON.parse(await readFile(path, "utf8")) as SavedProgress;
      if (typeof v.shards !== "number" || !Array.isArray(v.done) || v.done.length !== v.shards) return undefined;
      return v;
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the current progress in place (one pwrite at offset 0, padded with
   * spaces to the longest content so far). It runs after every acknowledged batch:
   * a small synchronous write avoids both the promise machinery and the metadata
   * cost of replace-by-rename. A process crash cannot tear a write the kernel
   * accepted; power loss is not covered (as the WAL without fsync).
   */
  save(): Promise<void> {
    try {
      if (this.#fd === undefined) {
        mkdirSync(dirname(this.path), { recursive: true });
        // r+ keeps the old content until it is overwritten: a crash right after opening loses nothing.
        try {
          this.#fd = openSync(this.path, "r+");
          this.#written = fstatSync(this.#fd).size;
        } catch {
          this.#fd = openSync(this.path, "w");
        }
      }
      let text = JSON.stringify(this.#snapshot());
      if (text.length < this.#written) text = text.padEnd(this.#written, " ");
      this.#written = text.length;
      writeSync(this.#fd, text, 0, "utf8");
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
