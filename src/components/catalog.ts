// Every built-in component by name, each imported the first time a config names it:
// `alloy run` loads only the components its config uses. This is the one list of
// built-in components: index.ts imports all of it for `alloy validate` and the tests.

import type { ComponentDefinition } from "../runtime/component.ts";
import type { LazyComponent } from "../runtime/component_catalog.ts";

const named = (name: string, load: () => Promise<{ default: ComponentDefinition }>): LazyComponent => ({
  name,
  load: async () => (await load()).default,
});

export const componentCatalog: LazyComponent[] = [
  named("local.file", () => import("./local/file.ts")),
  named("local.file_match", () => import("./local/file_match.ts")),
  named("remote.http", () => import("./remote/http.ts")),
  named("prometheus.scrape", () => import("./prometheus/scrape/index.ts")),
  named("prometheus.relabel", () => import("./prometheus/relabel.ts")),
  named("prometheus.exporter.self", () => import("./prometheus/exporter_self.ts")),
  named("prometheus.remote_write", () => import("./prometheus/remote_write/index.ts")),
  named("prometheus.receive_http", () => import("./prometheus/receive_http.ts")),
  named("discovery.relabel", () => import("./discovery/relabel.ts")),
  named("discovery.file", () => import("./discovery/file.ts")),
  named("discovery.http", () => import("./discovery/http.ts")),
  named("discovery.dns", () => import("./discovery/dns.ts")),
  named("loki.echo", () => import("./loki/echo.ts")),
  named("loki.process", () => import("./loki/process/index.ts")),
  named("loki.relabel", () => import("./loki/relabel.ts")),
  named("loki.source.api", () => import("./loki/source/api.ts")),
  named("loki.source.file", () => import("./loki/source/file/index.ts")),
  named("loki.source.syslog", () => import("./loki/source/syslog.ts")),
  named("loki.write", () => import("./loki/write/index.ts")),
  named("otelcol.receiver.otlp", () => import("./otelcol/receiver/otlp.ts")),
  named("otelcol.receiver.prometheus", () => import("./otelcol/receiver/prometheus.ts")),
  named("otelcol.receiver.loki", () => import("./otelcol/receiver/loki.ts")),
  named("otelcol.processor.batch", () => import("./otelcol/processor/batch.ts")),
  named("otelcol.processor.memory_limiter", () => import("./otelcol/processor/memory_limiter.ts")),
  named("otelcol.processor.attributes", () => import("./otelcol/processor/attributes.ts")),
  named("otelcol.processor.resourcedetection", () => import("./otelcol/processor/resourcedetection.ts")),
  named("otelcol.exporter.otlp", () => import("./otelcol/exporter/otlp.ts")),
  named("otelcol.exporter.otlphttp", () => import("./otelcol/exporter/otlphttp.ts")),
  named("otelcol.exporter.debug", () => import("./otelcol/exporter/debug.ts")),
  named("otelcol.exporter.prometheus", () => import("./otelcol/exporter/prometheus.ts")),
  named("otelcol.exporter.loki", () => import("./otelcol/exporter/loki.ts")),
  named("otelcol.auth.basic", () => import("./otelcol/auth/basic.ts")),
  named("otelcol.auth.bearer", () => import("./otelcol/auth/bearer.ts")),
  named("otelcol.auth.headers", () => import("./otelcol/auth/headers.ts")),
  named("otelcol.storage.file", () => import("./otelcol/storage/file.ts")),
];
