// The bundled UI, inlined at transpile time by the embedUI macro (see embed.ts).
import type { UIFiles } from "./bundle.ts";
import { embedUI } from "./embed.ts" with { type: "macro" };

export const uiFiles: UIFiles = embedUI();
