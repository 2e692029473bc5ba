import { expect, test } from "bun:test";
import { convert, diagnosticText } from "../../src/convert/index.ts";
import { expandEnv } from "../../src/convert/static/convert.ts";

test("-config.expand-env expands ${VAR}, ${VAR:=default} and $VAR", () => {
  expect(expandEnv("a: ${X}\nb: ${MISSING:='debug'}\nc: $X", { X: "1" })).toBe("a: 1\nb: 'debug'\nc: 1");
});

test("metrics configs become components labelled metrics_<instance>_<job>", () => {
  const { output, diags } = convert(
    `metrics:
  configs:
    - name: agent
      scrape_configs:
        - job_name: node
          static_configs:
            - targets: ["localhost:9100"]
`,
    "static",
  );
  expect(output).toContain(`prometheus.scrape "metrics_agent_node" {`);
  expect(output).toContain("forward_to = [prometheus.remote_write.metrics_agent.receiver]");
  expect(diags.items.map(diagnosticText)).toContain(
    "(Warning) Please review your agent command line flags and ensure they are set in your Alloy config file where necessary.",
  );
});
