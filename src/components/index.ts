// Every built-in component, one import line per family. The CLI hands this list
// to the runtime; nothing registers itself by being imported.

import type { ComponentDefinition } from "../runtime/component.ts";
import { localComponents } from "./local/index.ts";
import { remoteComponents } from "./remote/index.ts";
import { prometheusComponents } from "./prometheus/index.ts";
import { discoveryComponents } from "./discovery/index.ts";
import { lokiComponents } from "./loki/index.ts";
import { otelcolComponents } from "./otelcol/index.ts";

export const components: ComponentDefinition[] = [...localComponents, ...remoteComponents, ...prometheusComponents, ...discoveryComponents, ...lokiComponents, ...otelcolComponents];
