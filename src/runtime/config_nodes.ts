// Nodes for the runtime's own blocks: declare, argument, export, logging,
// tracing and service blocks.

import type { BlockStmt } from "../syntax/ast.ts";
import { newObject, type Value } from "../syntax/value.ts";
import type { Scope } from "../syntax/vm.ts";
import { decodeConfigBlock } from "./config_block.ts";
import { argumentArgs, exportArgs, loggingArgs, tracingArgs } from "./config_specs.ts";
import type { ServiceDefinition } from "./env.ts";
import { deepEqual } from "./equality.ts";
import { health, unknownHealth } from "./health.ts";
import { LogForwarder } from "./log_forwarder.ts";
import type { LogSettings } from "./logger.ts";
import type { NodeHost, NodeKind, RuntimeNode } from "./node.ts";
import type { Health } from "./runtime.ts";
import { decodeBlock } from "./schema_bridge.ts";

abstract class BlockNode implements RuntimeNode {
  abstract readonly kind: NodeKind;
  exportsValue: Value | undefined = undefined;
  protected h: Health = unknownHealth;

  constructor(
    readonly id: string,
    public block: BlockStmt,
    public file: string,
    protected readonly host: NodeHost,
  ) {}

  health(): Health {
    return this.h;
  }

  async evaluate(scope: Scope): Promise<void> {
    try {
      await this.apply(scope);
      this.h = health("healthy", "config block evaluated");
    } catch (err) {
      this.h = health("unhealthy", `config block evaluation failed: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  protected abstract apply(scope: Scope): Promise<void> | void;

  async stop(): Promise<void> {}
}

/** `declare "x" {}`: registers a template; evaluating it does nothing. */
export class DeclareNode extends BlockNode {
  readonly kind = "declare";
  protected apply(): void {}
}

/** `argument "x" { optional, default }` inside a module; its scope value is `{ value }`. */
export class ArgumentNode extends BlockNode {
  readonly kind = "argument";
  protected apply(scope: Scope): void {
    const label = this.block.label ?? "";
    const a = decodeConfigBlock(this.block, this.file, argumentArgs, scope, this.host.env.stability);
    const given = this.host.argumentValue(label);
    let value: Value;
    if (given.found) value = given.value;
    else if (a.optional) value = a.default ?? null;
    else throw new Error(`missing required argument "${label}" to module`);
    const next = newObject();
    next.value = value;
    if (this.exportsValue === undefined || !deepEqual(this.exportsValue, next)) {
      this.exportsValue = next;
    }
  }
}

/** `export "x" { value }` inside a module: hands the value to the custom component. */
export class ExportNode extends BlockNode {
  readonly kind = "export";
  value: Value = null;
  protected apply(scope: Scope): void {
    const a = decodeConfigBlock(this.block, this.file, exportArgs, scope, this.host.env.stability);
    const v = a.value ?? null;
    this.value = v;
    this.host.exportChanged(this.block.label ?? "", v);
  }
}

/** The root `logging` block reconfigures every logger at once. */
export class LoggingNode extends BlockNode {
  readonly kind = "logging";
  private readonly forwarder: LogForwarder;
  constructor(id: string, block: BlockStmt, file: string, host: NodeHost, private readonly settings: LogSettings) {
    super(id, block, file, host);
    this.forwarder = LogForwarder.for(settings);
  }
  protected apply(scope: Scope): void {
    const a = decodeConfigBlock(this.block, this.file, loggingArgs, scope, this.host.env.stability);
    this.settings.level = a.level;
    this.settings.format = a.format;
    this.forwarder.setTargets(a.write_to);
  }
}

/** `tracing {}` is accepted and validated; the runtime does not emit traces of itself. */
export class TracingNode extends BlockNode {
  readonly kind = "tracing";
  protected apply(scope: Scope): void {
    decodeConfigBlock(this.block, this.file, tracingArgs, scope, this.host.env.stability);
  }
}

/** A root service block (`http`, `livedebugging`, ...), or its absence (defaults). */
export class ServiceNode extends BlockNode {
  readonly kind = "service";
  private lastArgs: unknown = undefined;
  constructor(id: string, block: BlockStmt, file: string, host: NodeHost, private readonly def: ServiceDefinition) {
    super(id, block, file, host);
  }
  /** True when the config has no block for this service (it runs on defaults). */
  get implicit(): boolean {
    return this.file === "" && this.block.body.length === 0 && this.block.start.line === 0;
  }

  protected async apply(scope: Scope): Promise<void> {
    if (!this.def.args) {
      if (this.implicit) return;
      throw new Error(`service "${this.def.name}" does not support being configured`);
    }
    const args = decodeBlock(this.def.args, this.block, this.file, scope, this.host.env.stability);
    if (this.lastArgs !== undefined && deepEqual(args, this.lastArgs)) return;
    await this.def.update?.(args);
    this.lastArgs = args;
  }
}
