// The prometheus.* family.

import type { ComponentDefinition } from "../../runtime/component.ts";
import exporterSelf from "./exporter_self.ts";
import relabel from "./relabel.ts";
import scrape from "./scrape/index.ts";

export const prometheusComponents: ComponentDefinition[] = [scrape, relabel, exporterSelf];
