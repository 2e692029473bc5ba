// The discovery.* family.

import type { ComponentDefinition } from "../../runtime/component.ts";
import dns from "./dns.ts";
import file from "./file.ts";
import http from "./http.ts";
import relabel from "./relabel.ts";

export const discoveryComponents: ComponentDefinition[] = [relabel, file, http, dns];
