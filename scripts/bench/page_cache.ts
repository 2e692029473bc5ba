// A fresh process's resident memory depends on how its executable sits in the page cache.
// When a process touches a page of the file, the kernel also maps neighbouring pages that
// are already cached (fault-around), and how many depends on how the file came to be cached.
// On this machine (ext4, Linux 6.18) a binary the build had just written idled 4–5 MiB higher
// in RssFile than the same binary once dropped from the cache, or read back whole with cat:
// pages that are cached anyway and cost the system nothing more, but that RSS counts.
// Dropping the file from the cache before a measured process starts puts every run in the
// state of a binary read from disk (after a reboot, or once its pages were evicted), so
// figures compare between runs and between programs.

/** Drops `path` from the page cache (GNU dd: `iflag=nocache count=0` covers the whole file). */
export function evictFromPageCache(path: string): void {
  const r = Bun.spawnSync(["dd", `if=${path}`, "iflag=nocache", "count=0", "status=none"], { stderr: "pipe" });
  if (!r.success) throw new Error(`could not drop ${path} from the page cache: ${r.stderr.toString().trim()}`);
}

export type PageCacheMode = "cold" | "as-is";

/** A bench's `--page-cache` value: cold or as-is. */
export function parsePageCacheMode(mode: string): PageCacheMode {
  if (mode !== "cold" && mode !== "as-is") throw new Error(`--page-cache must be cold or as-is, not ${JSON.stringify(mode)}`);
  return mode;
}

/** What the run header says about it. */
export function describePageCache(mode: PageCacheMode): string {
  return mode === "cold" ? "executables dropped from the page cache before each start" : "executables started as the page cache holds them";
}

/** Puts an executable about to start in the page-cache state the run asked for. */
export function prepareExecutable(path: string, mode: PageCacheMode): void {
  if (mode === "cold") evictFromPageCache(path);
}
