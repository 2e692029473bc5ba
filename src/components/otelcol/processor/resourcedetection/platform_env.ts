// Detectors that read only their platform's environment variables (Heroku dyno metadata,
// AWS Lambda's runtime variables), so they can answer wherever those are set.

import type { Detected } from "./system.ts";

type Env = Record<string, string | undefined>;

/** Heroku's dyno metadata; undefined when HEROKU_DYNO_ID is not set (not on Heroku, or the feature is off). */
export function detectHeroku(env: Env, enabled: (attr: string) => boolean): Detected | undefined {
  const dyno = env.HEROKU_DYNO_ID;
  if (!dyno) return undefined;
  const out: Detected = new Map();
  const put = (k: string, v: string | undefined): void => {
    if (v && enabled(k)) out.set(k, v);
  };
  put("cloud.provider", "heroku");
  put("service.instance.id", dyno);
  put("heroku.dyno.id", dyno);
  put("heroku.app.id", env.HEROKU_APP_ID);
  put("service.name", env.HEROKU_APP_NAME);
  put("heroku.release.commit", env.HEROKU_SLUG_COMMIT);
  put("heroku.release.creation_timestamp", env.HEROKU_RELEASE_CREATED_AT);
  put("service.version", env.HEROKU_RELEASE_VERSION);
  return out;
}

/** AWS Lambda's runtime environment; undefined outside Lambda (no AWS_LAMBDA_FUNCTION_NAME). */
export function detectLambda(env: Env, enabled: (attr: string) => boolean): Detected | undefined {
  const fn = env.AWS_LAMBDA_FUNCTION_NAME;
  if (!fn) return undefined;
  const out: Detected = new Map();
  const put = (k: string, v: string | string[] | bigint | undefined): void => {
    if (v !== undefined && v !== "" && enabled(k)) out.set(k, v);
  };
  put("cloud.provider", "aws");
  put("cloud.platform", "aws_lambda");
  put("cloud.region", env.AWS_REGION);
  put("faas.name", fn);
  put("faas.version", env.AWS_LAMBDA_FUNCTION_VERSION);
  put("faas.instance", env.AWS_LAMBDA_LOG_STREAM_NAME);
  const mb = env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
  if (mb && /^\d+$/.test(mb)) put("faas.max_memory", BigInt(mb) * 1024n * 1024n);
  if (env.AWS_LAMBDA_LOG_GROUP_NAME) put("aws.log.group.names", [env.AWS_LAMBDA_LOG_GROUP_NAME]);
  if (env.AWS_LAMBDA_LOG_STREAM_NAME) put("aws.log.stream.names", [env.AWS_LAMBDA_LOG_STREAM_NAME]);
  return out;
}
