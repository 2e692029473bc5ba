// The remote.* family.

import type { ComponentDefinition } from "../../runtime/component.ts";
import http from "./http.ts";

export const remoteComponents: ComponentDefinition[] = [http];
