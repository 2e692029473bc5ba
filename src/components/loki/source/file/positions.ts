// The positions file: how far each file has been read, so a restart continues
// where the last run left off. Alloy's format (positions.yml in the component's
// data directory), keyed by path and label set:
//
//   positions:
//     ? path: /var/log/app.log
//       labels: '{job="app"}'
//     : "1234"
//
// Offsets are recorded once the lines before them were handed to forward_to;
// the file is written (atomically: temp file + rename) every sync period and on
// stop. After a crash, lines forwarded after the last write are read again
// (duplicates, at most one sync period's worth); lines forwarded before it are
// not, so they are only as safe as the receiver keeps them: loki.write holds
// them in memory unless its `wal` block is enabled.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import YAML from "yaml";

export class PositionsError extends Error {}

const key = (path: string, labels: string) => `${path}\u0000${labels}`;

export class Positions {
  private readonly offsets = new Map<string, { path: string; labels: string; offset: number }>();
  private dirty = false;

  constructor(readonly file: string) {}

  /** Reads the file; a missing file is empty. Throws PositionsError for a file that does not parse. */
  load(): void {
    if (!existsSync(this.file)) return;
    const text = readFileSync(this.file, "utf8");
    let doc: unknown;
    try {
      doc = YAML.parse(text, { mapAsMap: true });
    } catch (e) {
      throw new PositionsError(`invalid positions file ${this.file}: ${(e as Error).message}`);
    }
    if (doc === null || doc === undefined) return;
    const ps = doc instanceof Map ? doc.get("positions") : undefined;
    if (ps === undefined || ps === null) return;
    if (!(ps instanceof Map)) throw new PositionsError(`invalid positions file ${this.file}: "positions" is not a map`);
    for (const [k, v] of ps) {
      // A bad offset is kept as NaN: the tailer applies on_positions_file_error to that file alone.
      let offset = Number(v);
      if (!Number.isSafeInteger(offset) || offset < 0) offset = Number.NaN;
      if (k instanceof Map) this.put(String(k.get("path") ?? ""), String(k.get("labels") ?? ""), offset);
      // Promtail's legacy form: `path: offset`.
      else this.put(String(k), "", offset);
    }
    this.dirty = false;
  }

  /** Promtail's positions file (`positions: {path: "offset"}`), imported for entries not known yet. */
  importLegacy(file: string, labelsFor: (path: string) => string | undefined): void {
    if (!existsSync(file)) return;
    const doc = YAML.parse(readFileSync(file, "utf8")) as { positions?: Record<string, string> } | null;
    for (const [path, v] of Object.entries(doc?.positions ?? {})) {
      const labels = labelsFor(path);
      if (labels !== undefined && this.get(path, labels) === undefined) this.put(path, labels, Number(v));
    }
  }

  /** The recorded offset; NaN when the entry is corrupt; undefined when there is none. */
  get(path: string, labels: string): number | undefined {
    return this.offsets.get(key(path, labels))?.offset ?? this.offsets.get(key(path, ""))?.offset ?? this.offsets.get(key(path, "{}"))?.offset;
  }

  put(path: string, labels: string, offset: number): void {
    const k = key(path, labels);
    const cur = this.offsets.get(k);
    if (cur !== undefined && cur.offset === offset) return;
    if (labels !== "") this.offsets.delete(key(path, "")); // a legacy entry is replaced by the labelled one
    if (cur !== undefined) cur.offset = offset;
    else this.offsets.set(k, { path, labels, offset });
    this.dirty = true;
  }

  remove(path: string, labels: string): void {
    if (this.offsets.delete(key(path, labels))) this.dirty = true;
  }

  /** Writes the file if anything changed since the last write. */
  sync(): void {
    if (!this.dirty) return;
    const m = new Map<unknown, string>();
    for (const e of this.offsets.values()) m.set({ path: e.path, labels: e.labels }, String(e.offset));
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, YAML.stringify({ positions: m }), { mode: 0o600 });
    renameSync(tmp, this.file);
    this.dirty = false;
  }
}
