import { expect, test } from "bun:test";
import { Block, renderFile } from "../../src/convert/builder.ts";
import { Diagnostics } from "../../src/convert/diagnostics.ts";
import { appendStage, base2Bytes, parseByteSize } from "../../src/convert/promtail/stages.ts";

test("Loki byte sizes read decimal suffixes as binary and print as Base2Bytes", () => {
  expect(parseByteSize("1KB")).toBe(1024);
  expect(parseByteSize("1kB")).toBe(1024);
  expect(parseByteSize("2048")).toBe(2048);
  expect(base2Bytes(2048)).toBe("2KiB");
  expect(base2Bytes(1 << 20)).toBe("1MiB");
  expect(base2Bytes(0)).toBe("0B");
  expect(parseByteSize("1.21GigaWatts")).toBeInstanceOf(Error);
});

test("an unknown stage is an Error naming it, and the rest still converts", () => {
  const diags = new Diagnostics();
  const b = new Block("loki.process", "x");
  expect(appendStage(b, { nonsense: { a: 1 } }, diags)).toBe(false);
  expect(appendStage(b, { output: { source: "msg" } }, diags)).toBe(true);
  expect(diags.toString()).toBe("(Error) The converter does not support converting the provided pipeline stage: map[nonsense:map[a:1]]");
  expect(renderFile([b], new Diagnostics())).toBe('loki.process "x" {\n\tstage.output {\n\t\tsource = "msg"\n\t}\n}\n');
});
