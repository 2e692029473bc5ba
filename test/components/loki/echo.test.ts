import { afterEach, expect, test } from "bun:test";
import { components } from "../../../src/components/index.ts";
import { newEntry } from "../../../src/telemetry/loki/entry.ts";
import { lokiTestComponents } from "../../e2e/loki/test_components.ts";
import { testRuntime, waitFor, type TestRuntime } from "../../runtime/helpers.ts";

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.stop();
  rt = undefined;
});

test("loki.echo logs every entry it receives with its labels", async () => {
  const t = lokiTestComponents();
  rt = testRuntime({ extra: [...components, ...t.defs] });
  const res = await rt.load([{ name: "main.alloy", text: `loki.echo "e" {}\ntestloki.sender "in" { forward_to = [loki.echo.e.receiver] }\n` }]);
  expect(res.diagnostics).toEqual([]);
  expect(rt.component("loki.echo.e")!.exports[0]).toMatchObject({ name: "receiver" });
  await t.senders.get("testloki.sender.in")!.send([
    newEntry({ job: "x" }, 1n, "first echo"),
    newEntry({ job: "y" }, 2n, "second echo", [{ name: "trace_id", value: "abc" }]),
  ]);
  await waitFor(() => rt!.logLines.some((l) => l.includes("second echo")), 2000, "echo log");
  const lines = rt.logLines.filter((l) => l.includes("Receiving logs entry"));
  expect(lines.length).toBe(2);
  expect(lines[0]).toContain("first echo");
  expect(lines[0]).toContain('{job=\\"x\\"}');
  expect(lines[0]).toContain("component_id=loki.echo.e");
  expect(lines[1]).toContain("trace_id");
});
