// The local.* family.

import type { ComponentDefinition } from "../../runtime/component.ts";
import file from "./file.ts";
import fileMatch from "./file_match.ts";

export const localComponents: ComponentDefinition[] = [file, fileMatch];
