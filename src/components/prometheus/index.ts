// The prometheus.* family.

import type { ComponentDefinition } from "../../runtime/component.ts";
import exporterSelf from "./exporter_self.ts";
import receiveHttp from "./receive_http.ts";
import relabel from "./relabel.ts";
import remoteWrite from "./remote_write/index.ts";
import scrape from "./scrape/index.ts";

export const prometheusComponents: ComponentDefinition[] = [scrape, relabel, exporterSelf, remoteWrite, receiveHttp];
