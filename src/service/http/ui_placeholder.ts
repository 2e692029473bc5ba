// A minimal page under the UI prefix for builds without the UI assets: it links
// to the JSON API so the prefix still shows something useful.

import type { Hono } from "hono";

export function registerUiPlaceholder(app: Hono, base: string): void {
  const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>Grafana Alloy</title><base href="${base}/"></head>
<body>
<h1>Grafana Alloy</h1>
<p>This build has no UI. The component API is available:</p>
<ul>
<li><a href="api/v0/web/components">api/v0/web/components</a></li>
<li><a href="api/v0/web/peers">api/v0/web/peers</a></li>
</ul>
</body></html>
`;
  app.get(`${base}/*`, (c) => c.html(page));
}
