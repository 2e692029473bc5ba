// Component health is the least healthy of three sources: the last evaluation,
// the run loop, and what the component reports. Ties go to the most recent.

import type { Health, HealthState } from "./runtime.ts";

/** Go's zero time, which Alloy shows for health that was never set. */
export const zeroTime = "0001-01-01T00:00:00Z";

const priority: Record<HealthState, number> = { healthy: 0, unknown: 1, unhealthy: 2, exited: 3 };

export function health(state: HealthState, message: string, updatedTime = new Date().toISOString()): Health {
  return { state, message, updatedTime };
}

export const unknownHealth: Health = { state: "unknown", message: "", updatedTime: zeroTime };

/** The least healthy of the given healths; among equals, the most recently updated. */
export function combineHealth(...hs: Health[]): Health {
  let best: Health = unknownHealth;
  let first = true;
  for (const h of hs) {
    if (first) {
      best = h;
      first = false;
      continue;
    }
    const ph = priority[h.state];
    const pb = priority[best.state];
    if (ph > pb || (ph === pb && h.updatedTime > best.updatedTime)) best = h;
  }
  return best;
}
