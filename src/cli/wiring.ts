// Binds the commands to the layers below them: the runtime, the UI and the validator.

import { CommandError } from "./io.ts";
import { makeRunCommand } from "./run.ts";
import { makeValidateCommand } from "./validate.ts";

export const runCommand = makeRunCommand(async () => ({
  createRuntime: () => {
    throw new CommandError("the component runtime is not part of this build yet");
  },
}));

export const validateCommand = makeValidateCommand(async () => undefined);
