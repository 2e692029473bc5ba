// --windows.priority: the process priority class on Windows (Alloy's
// internal/util/windowspriority), set through libuv's priority mapping.

import { constants, setPriority } from "node:os";
import { CommandError } from "./io.ts";

const priorities: Record<string, number> = {
  normal: constants.priority.PRIORITY_NORMAL,
  above_normal: constants.priority.PRIORITY_ABOVE_NORMAL,
  below_normal: constants.priority.PRIORITY_BELOW_NORMAL,
  high: constants.priority.PRIORITY_HIGH,
  idle: constants.priority.PRIORITY_LOW,
  realtime: constants.priority.PRIORITY_HIGHEST,
};

/** Sets the priority; throws Alloy's "failed to set priority" error. */
export function setWindowsPriority(name: string): void {
  const value = priorities[name];
  if (value === undefined) throw new CommandError(`invalid priority: ${name}`);
  try {
    setPriority(value);
  } catch (err) {
    throw new CommandError(`setting process priority: failed to set priority: ${err instanceof Error ? err.message : String(err)}`);
  }
}
