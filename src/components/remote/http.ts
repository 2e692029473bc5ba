// remote.http: polls a URL and exports the (trimmed) response body, as a secret
// when is_secret is set. The `client` block is the shared HTTP client config
// (auth, TLS, proxy, redirects, extra headers).

import * as schema from "../../syntax/schema/index.ts";
import { defineComponent } from "../../runtime/component.ts";
import { HTTPClientConfig } from "../common/http_client/config.ts";

export const Arguments = schema.block(
  {
    url: schema.attr(schema.string),
    poll_frequency: schema.attr(schema.duration, { default: "1m" }),
    poll_timeout: schema.attr(schema.duration, { default: "10s" }),
    is_secret: schema.attr(schema.bool, { default: false }),
    method: schema.attr(schema.string, { default: "GET" }),
    headers: schema.attr(schema.map(schema.string), { default: {} }),
    body: schema.attr(schema.string, { default: "" }),
    client: schema.block(HTTPClientConfig, { default: "defaults" }),
  },
  {
    validate: (a) => {
      if (a.poll_frequency <= 0) return "poll_frequency must be greater than 0";
      if (a.poll_timeout <= 0) return "poll_timeout must be greater than 0";
      if (a.poll_timeout >= a.poll_frequency) return "poll_timeout must be less than poll_frequency";
      try {
        new URL(a.url);
      } catch {
        return `parse ${JSON.stringify(a.url)}: invalid URL`;
      }
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(a.method)) return `net/http: invalid method ${JSON.stringify(a.method)}`;
      return undefined;
    },
  },
);
export const Exports = schema.block({ content: schema.attr(schema.optionalSecret) });

export default defineComponent({
  name: "remote.http",
  stability: "generally-available",
  args: Arguments,
  exports: Exports,
  load: () => import("./http_impl.ts"),
});
