// local.file: exports the content of a file, re-read when it changes (fsnotify
// events or polling) and at every poll_frequency.

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent } from "../../runtime/component.ts";

export const Arguments = schema.block(
  {
    filename: schema.attr(schema.string),
    detector: schema.attr(schema.enumWith(["fsnotify", "poll"], (got) => `unrecognized detector "${got}", expected one of "fsnotify", "poll"`), {
      default: "fsnotify",
    }),
    poll_frequency: schema.attr(schema.duration, { default: "1m" }),
    is_secret: schema.attr(schema.bool, { default: false }),
  },
  { validate: (a) => (a.poll_frequency <= 0 ? "poll_frequency must be greater than 0" : undefined) },
);
export const Exports = schema.block({ content: schema.attr(schema.optionalSecret) });

export default defineComponent({
  name: "local.file",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  load: () => import("./file_impl.ts"),
});
