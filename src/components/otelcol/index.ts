// The otelcol.* components.

import type { ComponentDefinition } from "../../runtime/component.ts";
import authBasic from "./auth/basic.ts";
import authBearer from "./auth/bearer.ts";
import authHeaders from "./auth/headers.ts";
import exporterDebug from "./exporter/debug.ts";
import exporterOtlp from "./exporter/otlp.ts";
import exporterOtlpHttp from "./exporter/otlphttp.ts";
import processorBatch from "./processor/batch.ts";
import processorMemoryLimiter from "./processor/memory_limiter.ts";
import receiverOtlp from "./receiver/otlp.ts";
import storageFile from "./storage/file.ts";
import processorAttributes from "./processor/attributes.ts";
import processorResourceDetection from "./processor/resourcedetection.ts";
import exporterPrometheus from "./exporter/prometheus.ts";
import exporterLoki from "./exporter/loki.ts";
import receiverPrometheus from "./receiver/prometheus.ts";
import receiverLoki from "./receiver/loki.ts";

export const otelcolComponents: ComponentDefinition[] = [
  receiverOtlp,
  processorBatch,
  processorMemoryLimiter,
  exporterOtlp,
  exporterOtlpHttp,
  exporterDebug,
  authBasic,
  authBearer,
  authHeaders,
  storageFile,
  processorAttributes,
  processorResourceDetection,
  exporterPrometheus,
  exporterLoki,
  receiverPrometheus,
  receiverLoki,
];
