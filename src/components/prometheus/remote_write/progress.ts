// How far a queue got through the WAL, kept on disk so a restart sends exactly what
// was not yet acknowledged. Each shard owns the series whose hash falls on it and
// sends them in WAL order, so its progress is one WAL position: every sample of
// that shard at or before the position was acknowledged (or failed for good). The
// file also records the shard count, since the hash → shard mapping depends on it.

import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
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
  #writing: Promise<void> | undefined;
  #dirty = false;
  #snapshot: () => SavedProgress;

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

  /** Writes the current progress; concurrent callers share one write. */
  save(): Promise<void> {
    this.#dirty = true;
    this.#writing ??= this.#loop().finally(() => (this.#writing = undefined));
    return this.#writing;
  }

  async #loop(): Promise<void> {
    while (this.#dirty) {
      this.#dirty = false;
      const tmp = `${this.path}.tmp`;
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(tmp, JSON.stringify(this.#snapshot()));
      await rename(tmp, this.path);
    }
  }
}
