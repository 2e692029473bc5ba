// discovery.http: target groups from an HTTP endpoint (Prometheus's http_sd),
// polled every refresh_interval. Non-200 answers, other content types and bad
// JSON fail the refresh; the last good targets stay exported.

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent } from "../../runtime/component.ts";
import { httpClientFields, validateHTTPClientConfig } from "../common/http_client/config.ts";

const argumentFields = {
  url: schema.attr(schema.string),
  refresh_interval: schema.attr(schema.duration, { default: "60s" }),
  ...httpClientFields,
};
type Args = schema.InferFields<typeof argumentFields>;

export const Arguments = schema.block(argumentFields, {
  validate: (a: Args) => {
    let u: URL;
    try {
      u = new URL(a.url);
    } catch {
      return `parse ${JSON.stringify(a.url)}: invalid URL`;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") return "URL scheme must be 'http' or 'https'";
    if (u.host === "") return "host is missing in URL";
    if (a.refresh_interval <= 0) return "refresh_interval must be greater than 0";
    return validateHTTPClientConfig(a);
  },
});
export const Exports = schema.block({ targets: schema.attr(schema.targets) });

export default defineComponent({
  name: "discovery.http",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  load: () => import("./http_impl.ts"),
});
