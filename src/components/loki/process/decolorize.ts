// stage.decolorize: strips ANSI color and control sequences from the line.

import * as schema from "../../../syntax/schema/index.ts";
import { GoRegexp } from "../../../gocompat/regexp.ts";
import type { Stage } from "./pipeline.ts";
import { mutatingStage } from "./pipeline.ts";

export const DecolorizeBlock = schema.block({});

const ANSI = GoRegexp.mustCompile(
  "[\u001B\u009B][[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\u0007)|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))",
);

export function newDecolorizeStage(): Stage {
  return mutatingStage((e) => {
    e.entry.line = ANSI.replaceAllLiteralString(e.entry.line, "");
  });
}
