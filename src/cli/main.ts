// The `alloy` executable's entry point.

import { buildInfo } from "../buildinfo.ts";
import { setDefaultHost } from "../syntax/stdlib/host.ts";
import { main } from "./cli.ts";
import { processIO } from "./io.ts";

// constants.version in configs reports this executable's version, as in Alloy.
setDefaultHost({ version: buildInfo.version });

const code = await main(process.argv.slice(2), processIO);
process.exit(code);
