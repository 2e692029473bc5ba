// Configs with syntax-level mistakes, for comparing the scratch page with `alloy validate`.
export const brokenConfigs: readonly string[] = [
  `prometheus.scrape "a" {\n  targets = [\n`,
  `loki.echo "x" {\n  foo = \n}\n`,
  `loki.echo "x" }\n`,
  `local.file "f" {\n  filename = "/tmp/x\n}\n`,
  `local.file "f" {\n  filename = "a" "b"\n}\n`,
  `attr = 1\nloki.echo "x" { }\n`,
  `loki.echo "x" {\n  forward_to = [,]\n}\n`,
  `prometheus.scrape "a" {\n  targets = [{"__address__" = "x"]\n}\n`,
  `loki.echo "x" {\n  a = 1 +\n}\n`,
  `loki.relabel "r" {\n  rule {\n    action = "keep"\n}\n`,
  `local.file "f" {\n  filename = "\\q"\n}\n`,
  `loki.echo "bad label {\n}\n`,
  `discovery.relabel "d" {\n  targets = [] rule { }\n}\n`,
];

export const goodConfig = `local.file "f" { filename = "/tmp/x"
is_secret = true }
loki.echo "out" {}
loki.relabel "r" {
forward_to = [loki.echo.out.receiver]
rule {
action = "keep"
source_labels = ["x"]
regex = local.file.f.content
}
}
`;
