// The loki.* components.

import type { ComponentDefinition } from "../../runtime/component.ts";
import echo from "./echo.ts";
import process from "./process/index.ts";
import relabel from "./relabel.ts";
import sourceAPI from "./source/api.ts";
import sourceFile from "./source/file/index.ts";
import sourceSyslog from "./source/syslog.ts";
import write from "./write/index.ts";

export const lokiComponents: ComponentDefinition[] = [echo, process, relabel, sourceAPI, sourceFile, sourceSyslog, write];
