// The JMESPath library for the json and geoip stages, loaded when the first such
// stage is built rather than with loki.process: most pipelines never use it.
// A require() inside a function stays a lazily initialised module when bundled.

import type * as JMESPath from "@jmespath-community/jmespath";

export type { JSONValue } from "@jmespath-community/jmespath";
export type JMESExpression = ReturnType<typeof JMESPath.compile>;

let jmespathModule: typeof JMESPath | undefined;

export function jmespath(): typeof JMESPath {
  return (jmespathModule ??= require("@jmespath-community/jmespath") as typeof JMESPath);
}
