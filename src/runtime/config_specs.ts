// The shapes of the runtime's own blocks, as Alloy defines them.

import type { BlockSpec } from "./config_block.ts";
import type { Value } from "../syntax/value.ts";

export interface Attr {
  type: "any" | "string" | "bool" | "number" | "array" | "object" | "duration";
  required?: boolean;
  default?: Value;
}

export const argumentSpec: BlockSpec = {
  attrs: { optional: { type: "bool", default: false }, default: { type: "any" }, comment: { type: "string" } },
};

export const exportSpec: BlockSpec = { attrs: { value: { type: "any", required: true } } };

export const loggingSpec: BlockSpec = {
  attrs: {
    level: { type: "string", default: "info" },
    format: { type: "string", default: "logfmt" },
    destination: { type: "string" },
    write_to: { type: "array" },
  },
};

export const tracingSpec: BlockSpec = {
  attrs: { sampling_fraction: { type: "number" }, write_to: { type: "array" } },
  blocks: { sampler: {} },
};

export const importSpecs: Record<string, BlockSpec> = {
  "import.file": {
    attrs: {
      filename: { type: "string", required: true },
      detector: { type: "string", default: "fsnotify" },
      poll_frequency: { type: "duration", default: "1m" },
    },
  },
  "import.string": { attrs: { content: { type: "any", required: true } } },
  "import.http": {
    attrs: {
      url: { type: "string", required: true },
      method: { type: "string", default: "GET" },
      headers: { type: "object" },
      poll_frequency: { type: "duration", default: "1m" },
      poll_timeout: { type: "duration", default: "10s" },
    },
    blocks: { client: {} },
  },
  "import.git": {
    attrs: {
      repository: { type: "string", required: true },
      revision: { type: "string", default: "HEAD" },
      path: { type: "string", required: true },
      pull_frequency: { type: "duration", default: "60s" },
    },
    blocks: { basic_auth: {}, ssh_key: {} },
  },
};

export const foreachSpec: BlockSpec = {
  attrs: {
    collection: { type: "array", required: true },
    var: { type: "string", required: true },
    id: { type: "string" },
    hash_string_id: { type: "bool", default: false },
    enable_metrics: { type: "bool", default: false },
  },
  blocks: { template: { required: true } },
};
