// loki.source.file's metrics, with Alloy's names (per-file series carry `path`).

import { Counter, Gauge, type Registry } from "prom-client";

export class FileMetrics {
  readonly readBytes: Gauge;
  readonly totalBytes: Gauge;
  readonly readLines: Counter;
  readonly encodingFailures: Counter;
  readonly filesActive: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.readBytes = new Gauge({ name: "loki_source_file_read_bytes_total", help: "Number of bytes read.", labelNames: ["path"], registers });
    this.totalBytes = new Gauge({ name: "loki_source_file_file_bytes_total", help: "Number of bytes total.", labelNames: ["path"], registers });
    this.readLines = new Counter({ name: "loki_source_file_read_lines_total", help: "Number of lines read.", labelNames: ["path"], registers });
    this.encodingFailures = new Counter({ name: "loki_source_file_encoding_failures_total", help: "Number of encoding failures.", labelNames: ["path"], registers });
    this.filesActive = new Gauge({ name: "loki_source_file_files_active_total", help: "Number of active files.", registers });
  }

  /** Drops a file's series once it is no longer tailed. */
  forget(path: string): void {
    for (const m of [this.readBytes, this.totalBytes, this.readLines, this.encodingFailures]) m.remove({ path });
  }
}
