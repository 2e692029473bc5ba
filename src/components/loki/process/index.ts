// loki.process: runs every received entry through the `stage.*` blocks in
// order and forwards what comes out to `forward_to`. The pipeline is rebuilt
// only when the stages change; a change of forward_to just redirects output.

import * as schema from "../../../syntax/schema/index.ts";
import { defineComponent } from "../../../runtime/component.ts";
import { LOGS_RECEIVER_TYPE, type LogsReceiver } from "../../../telemetry/loki/receiver.ts";
import { STAGE_MEMBERS } from "./stages.ts";

const Receiver = schema.capsule<LogsReceiver>(LOGS_RECEIVER_TYPE);

export const Arguments = schema.block({
  forward_to: schema.attr(schema.list(Receiver)),
  stages: schema.enumBlocks(STAGE_MEMBERS),
});
export const Exports = schema.block({ receiver: schema.attr(Receiver) });

export default defineComponent({
  name: "loki.process",
  stability: "generally-available",
  liveDebugging: true,
  args: Arguments,
  exports: Exports,
  load: () => import("./component.ts"),
});
