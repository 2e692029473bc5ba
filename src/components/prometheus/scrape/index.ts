// prometheus.scrape: scrapes `targets` on `scrape_interval` and forwards the
// samples to `forward_to`. The job label defaults to the component ID, as in
// Alloy. Targets at the memory address are scraped in-process through ctx.fetch.
// `clustering` is accepted, but targets are not distributed across peers here.

import * as schema from "../../../syntax/schema/index.ts";
import { defineComponent } from "../../../runtime/component.ts";
import { Arguments } from "./arguments.ts";

// The scrape loop, its HTTP client and the text/protobuf parsers load with the
// first prometheus.scrape block (component.ts).
export default defineComponent({
  name: "prometheus.scrape",
  stability: "generally-available",
  args: Arguments,
  exports: schema.block({}),
  load: () => import("./component.ts"),
});
