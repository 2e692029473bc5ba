import { expect, test } from "bun:test";
import { Block, obj, raw, renderFile } from "../../src/convert/builder.ts";
import { Diagnostics } from "../../src/convert/diagnostics.ts";

test("blocks render through the canonical printer with aligned attributes and omitted defaults", () => {
  const b = new Block("prometheus.scrape", "job");
  b.attr("targets", raw("[]"));
  b.opt("job_name", "job", "");
  b.opt("scheme", "http", "http");
  b.attr("labels", obj([["a", "b"], ["not-ident", 1]]));
  b.child("basic_auth").attr("username", "u");
  b.child("empty");
  const diags = new Diagnostics();
  expect(renderFile([b, new Block("x.y", "z")], diags)).toBe(
    `prometheus.scrape "job" {
	targets  = []
	job_name = "job"
	labels   = {
		a           = "b",
		"not-ident" = 1,
	}

	basic_auth {
		username = "u"
	}

	empty { }
}

x.y "z" { }
`,
  );
  expect(diags.items).toEqual([]);
});

test("nothing to render yields no output", () => {
  expect(renderFile([], new Diagnostics())).toBeUndefined();
});

test("text the parser rejects is reported and returned raw", () => {
  const diags = new Diagnostics();
  const b = new Block("a").attr("x", raw("{{"));
  expect(renderFile([b], diags)).toContain("{{");
  expect(diags.items.length).toBe(1);
});
