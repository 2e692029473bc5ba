// When prometheus.remote_write truncates its WAL (the `wal` block): every
// truncate_frequency, drop what every queue has sent, keeping min_keepalive_time of
// margin, but never keep data older than max_keepalive_time even if a queue is stuck.

export interface WalTruncationConfig {
  /** truncate_frequency, ms (default 2h). */
  truncateFrequencyMs: number;
  /** min_keepalive_time, ms (default 5m). */
  minKeepaliveMs: number;
  /** max_keepalive_time, ms (default 8h). */
  maxKeepaliveMs: number;
}

export const DEFAULT_WAL_TRUNCATION: WalTruncationConfig = {
  truncateFrequencyMs: 2 * 60 * 60 * 1000,
  minKeepaliveMs: 5 * 60 * 1000,
  maxKeepaliveMs: 8 * 60 * 60 * 1000,
};

/**
 * The minimum timestamp to keep at a truncation: the lowest timestamp all queues
 * have sent minus min_keepalive_time, moved forward to now − max_keepalive_time when
 * it is older than that.
 */
export function truncationMinTime(lowestSentTimestampMs: number, nowMs: number, cfg: WalTruncationConfig = DEFAULT_WAL_TRUNCATION): number {
  let ts = lowestSentTimestampMs - cfg.minKeepaliveMs;
  if (ts < 0) ts = 0;
  const oldest = nowMs - cfg.maxKeepaliveMs;
  if (ts < oldest) ts = oldest;
  return ts;
}
