// The `alloy` executable's entry point.

import { main } from "./cli.ts";
import { processIO } from "./io.ts";

const code = await main(process.argv.slice(2), processIO);
process.exit(code);
