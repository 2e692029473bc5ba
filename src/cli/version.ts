// `alloy --version`: the layout of prometheus/common's version.Print, which Alloy uses.

import { buildInfo } from "../buildinfo.ts";

export function versionText(program = "alloy"): string {
  const b = buildInfo;
  return [
    `${program}, version ${b.version} (branch: ${b.branch}, revision: ${b.revision})`,
    `  build user:       ${b.buildUser}`,
    `  build date:       ${b.buildDate}`,
    `  bun version:      ${Bun.version}`,
    `  platform:         ${b.goos}/${b.goarch}`,
    `  tags:             ${b.tags}`,
  ].join("\n");
}
