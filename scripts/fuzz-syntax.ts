// Property-based fuzzing of the Alloy syntax front end (scanner, parser,
// printer, diagnostic renderer). The arbitraries and properties here are
// shared with test/syntax/fuzz.test.ts and roundtrip.test.ts, which run them
// briefly with a fixed seed; run this script to fuzz for longer:
//
//   bun scripts/fuzz-syntax.ts [--seed N] [--runs N]
//
// It prints the seed it uses so that any failure can be reproduced.

import fc from "fast-check";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { File } from "../src/syntax/ast.ts";
import { renderDiagnostics } from "../src/syntax/diag_render.ts";
import { parseFile } from "../src/syntax/parser.ts";
import { printFile } from "../src/syntax/printer/index.ts";
import { Scanner } from "../src/syntax/scanner.ts";
import { Token, quoteGo } from "../src/syntax/token.ts";

// ---------------------------------------------------------------------------
// Generated valid configs. Layout (spaces, line breaks, comments) is random,
// within what Alloy's printer round-trips: no raw tabs or trailing spaces
// inside string literals (the tabwriter would re-align them), no `f(\n)`
// (Alloy prints it as `f(,\n)`), no line break after a binary operator or `=`
// (Alloy joins the lines, which changes alignment on the next pass), and
// comments only where Alloy's printer keeps them in place.

const identArb = fc.oneof(
  fc.constantFrom("a", "b", "foo", "bar_baz", "x1", "_", "targets", "forward_to", "é", "значение", "日本"),
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/).filter((s) => s !== "true" && s !== "false" && s !== "null"),
);

const spaceArb = fc.constantFrom(" ", " ", " ", "", "  ", "\t");

const inlineCommentArb = fc.constantFrom("// c", "// a longer comment", "//", "/* b */", "/**/");
const ownLineCommentArb = fc.constantFrom("// own line", "/* block */", "/* multi\n   line */", "//");

const numberArb = fc.oneof(
  fc.nat(100000).map(String),
  fc.constantFrom("1.5", "0.0", ".5", "1e3", "2.E-4", "10.", "007", "1e+10"),
);

const quotedStringArb = fc.string({ maxLength: 12, unit: "binary" }).map(quoteGo);

const rawStringArb = fc
  .array(fc.stringMatching(/^[a-zA-Z0-9 '"\\{}:.]{0,8}[a-zA-Z0-9'"\\{}:.]?$/), { minLength: 1, maxLength: 3 })
  .map((lines) => "`" + lines.map((l) => l.trimEnd()).join("\n") + "`");

const literalArb = fc.oneof(numberArb, quotedStringArb, rawStringArb, fc.constantFrom("true", "false", "null"));

const binaryOpArb = fc.constantFrom("+", "-", "*", "/", "%", "^", "==", "!=", "<", "<=", ">", ">=", "&&", "||");

const quotedKeyArb = fc.oneof(
  fc.stringMatching(/^[a-z_. /-]{1,10}$/).map((s) => `"${s}"`),
  fc.stringMatching(/^[a-z_.]{1,6}$/).map((s) => "`" + s + "`"),
);

interface ListLayout {
  /** For each item: does it start on a new line? */
  breaks: boolean[];
  /** Does the closing bracket go on its own line (forcing a trailing comma)? */
  closeOnOwnLine: boolean;
  trailingComma: boolean;
  comments: boolean[];
}

const layoutArb: fc.Arbitrary<ListLayout> = fc.record({
  breaks: fc.array(fc.boolean(), { maxLength: 6 }),
  closeOnOwnLine: fc.boolean(),
  trailingComma: fc.boolean(),
  comments: fc.array(fc.boolean(), { maxLength: 6 }),
});

function layoutList(open: string, close: string, items: string[], l: ListLayout, sp: string, isCall: boolean): string {
  if (items.length === 0) return open + (isCall ? "" : sp) + close;
  let out = open;
  items.forEach((item, i) => {
    if (l.breaks[i]) {
      // Alloy's printer places a comment by the nearest token position it
      // knows; `(`, `)` and access names have none, so comments next to them
      // (or after a multi-line element) can move.
      const prev = items[i - 1];
      if (l.comments[i] && prev !== undefined && !item.startsWith("(") && !prev.endsWith(")") && !prev.includes("\n")) out += " // after comma";
      out += "\n";
    } else if (i > 0) out += sp || " ";
    out += item;
    if (i + 1 < items.length) out += ",";
  });
  if (l.closeOnOwnLine) out += ",\n";
  else if (l.trailingComma && !isCall) out += ",";
  return out + close;
}

const { expr: exprArb } = fc.letrec<{ expr: string }>((tie) => {
  const sub = tie("expr");
  return {
    expr: fc.oneof(
      { depthSize: "small", maxDepth: 4 },
      literalArb,
      identArb,
      // `1.a` would scan as the float `1.` then `a`; Alloy needs `1 .a`.
      fc.tuple(sub, identArb).map(([v, n]) => (/[0-9.]$/.test(v) ? `${v} .${n}` : `${v}.${n}`)),
      fc.tuple(identArb, sub).map(([v, i]) => `${v}[${i}]`),
      fc.tuple(fc.constantFrom("!", "-"), sub).map(([op, v]) => op + v),
      fc.tuple(sub, spaceArb, binaryOpArb, sub).map(([l, sp, op, r]) => `${l}${sp}${op} ${r}`),
      fc.tuple(sub, spaceArb).map(([v, sp]) => `(${sp}${v}${sp})`),
      fc.tuple(fc.array(sub, { maxLength: 4 }), layoutArb, spaceArb).map(([items, l, sp]) => layoutList("[", "]", items, l, sp, false)),
      fc
        .tuple(fc.array(fc.tuple(fc.oneof(identArb, quotedKeyArb), spaceArb, sub), { maxLength: 4 }), layoutArb, spaceArb)
        .map(([fields, l, sp]) => layoutList("{", "}", fields.map(([k, s, v]) => `${k}${s}=${s || " "}${v}`), l, sp, false)),
      fc
        .tuple(identArb, fc.option(identArb, { nil: undefined }), fc.array(sub, { maxLength: 4 }), layoutArb)
        .map(([f, g, args, l]) => `${f}${g ? "." + g : ""}` + layoutList("(", ")", args, args.length === 0 ? { ...l, closeOnOwnLine: false } : l, " ", true)),
    ),
  };
});

const labelArb = fc.oneof(fc.constant(undefined), fc.constantFrom('"default"', '"x_1"', '""', '"ç"'), identArb.map((s) => `"${s}"`));

function bodyArb(depth: number): fc.Arbitrary<string> {
  const attr = fc
    .tuple(identArb, spaceArb, exprArb, fc.option(inlineCommentArb, { nil: undefined }))
    // `)` and access names carry no position in Alloy's tree, so after a
    // multi-line value or a `)` a trailing comment can move.
    .map(([name, sp, value, comment]) => `${name}${sp}= ${value}${comment && !value.endsWith(")") && !value.includes("\n") ? " " + comment : ""}`);
  const block =
    depth <= 0
      ? attr
      : fc
          .tuple(fc.array(identArb, { minLength: 1, maxLength: 3 }), labelArb, fc.boolean(), fc.boolean(), bodyArb(depth - 1))
          .map(([name, label, headerComment, oneLine, body]) => {
            const head = name.join(".") + (label ? " " + label : "");
            if (body === "" && oneLine) return `${head} {}`;
            return `${head} {${headerComment ? " // header" : ""}\n${body}\n}`;
          });
  const stmt = fc.tuple(fc.oneof(attr, attr, block), fc.option(ownLineCommentArb, { nil: undefined }), fc.constantFrom("", "", "  ", "\t"), fc.constantFrom("\n", "\n", "\n\n", "\n\n\n"));
  return fc.array(stmt, { maxLength: 5 }).map((stmts) => stmts.map(([s, c, indent, nl], i) => (i > 0 ? nl : "") + (c ? c + "\n" : "") + indent + s).join(""));
}

/** Syntactically valid Alloy files with varied layout and comments. */
export const configArb: fc.Arbitrary<string> = fc
  .tuple(bodyArb(3), fc.option(ownLineCommentArb, { nil: undefined }), fc.boolean())
  .map(([body, trailing, finalNewline]) => body + (trailing ? "\n" + trailing : "") + (finalNewline ? "\n" : ""));

// ---------------------------------------------------------------------------
// Mutated fixture bytes: insert, delete or overwrite bytes of real files.

function conformanceDir(): string {
  let dir = new URL(".", import.meta.url).pathname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "shared", "conformance");
    if (existsSync(candidate)) return candidate;
    dir = join(dir, "..");
  }
  throw new Error("shared/conformance not found above " + import.meta.url);
}

/** Every valid Alloy fixture: fmt inputs and expectations, and valid parse files. */
export function validFixtures(): Map<string, Uint8Array> {
  const root = conformanceDir();
  const out = new Map<string, Uint8Array>();
  for (const f of readdirSync(join(root, "fmt")).sort()) {
    if ((f.endsWith(".in") || f.endsWith(".expect")) && !f.startsWith("raw_string_label_error")) out.set(`fmt/${f}`, readFileSync(join(root, "fmt", f)));
  }
  for (const f of readdirSync(join(root, "parse", "valid")).sort()) out.set(`parse/valid/${f}`, readFileSync(join(root, "parse", "valid", f)));
  return out;
}

/** Every fixture, valid or not, used as a base for mutation. */
export function allFixtures(): Uint8Array[] {
  const root = conformanceDir();
  const files = [...validFixtures().values()];
  for (const f of readdirSync(join(root, "parse")).sort()) if (f.endsWith(".alloy")) files.push(readFileSync(join(root, "parse", f)));
  for (const f of readdirSync(join(root, "fmt")).sort()) if (f.startsWith("raw_string_label_error.in")) files.push(readFileSync(join(root, "fmt", f)));
  return files.map((b) => new Uint8Array(b));
}

const interestingBytes = [0x00, 0x0a, 0x0d, 0x09, 0x20, 0x22, 0x27, 0x60, 0x5c, 0x2f, 0x2a, 0x7b, 0x7d, 0x5b, 0x5d, 0x28, 0x29, 0x2c, 0x3d, 0x7c, 0x26, 0x2e, 0x65, 0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0xff, 0x80];

export function mutatedArb(bases: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({
    op: fc.constantFrom("insert", "delete", "flip"),
    at: fc.nat(),
    byte: fc.oneof(fc.constantFrom(...interestingBytes), fc.integer({ min: 0, max: 255 })),
  });
  return fc.tuple(fc.constantFrom(...bases), fc.array(edit, { minLength: 1, maxLength: 8 })).map(([base, edits]) => {
    const bytes = Array.from(base);
    for (const e of edits) {
      const at = bytes.length === 0 ? 0 : e.at % (bytes.length + 1);
      if (e.op === "insert") bytes.splice(at, 0, e.byte);
      else if (e.op === "delete") bytes.splice(at, 1);
      else if (at < bytes.length) bytes[at] = bytes[at]! ^ (e.byte || 1);
    }
    return new Uint8Array(bytes);
  });
}

// ---------------------------------------------------------------------------
// Properties.

/** Scanner, parser, printer and renderer never throw or loop on any input; problems are diagnostics. */
export function checkNeverThrows(src: string | Uint8Array): void {
  const bytes = typeof src === "string" ? new TextEncoder().encode(src) : src;
  const s = new Scanner(bytes, { includeComments: true, onError: () => {} });
  let n = 0;
  while (s.scan() !== Token.EOF) {
    if (++n > bytes.length * 2 + 4) throw new Error("scanner does not make progress");
  }
  const { file, diagnostics } = parseFile("fuzz.alloy", bytes);
  for (const d of diagnostics) {
    if (!d.message || !d.start) throw new Error("diagnostic without message or position");
  }
  // The printer is only meant for valid trees, but must not crash on recovered ones either.
  printFile(file);
  // The report repeats the source line per diagnostic; a few are enough to exercise it.
  renderDiagnostics(diagnostics.slice(0, 50), new Map([["fuzz.alloy", bytes]]));
}

/** The tree with positions removed, for comparing two parses. */
export function withoutPositions(file: File): unknown {
  const positionKeys = new Set(["start", "end", "namePos", "labelPos", "lcurly", "rcurly", "lbrack", "rbrack", "lparen", "rparen", "opPos"]);
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (!positionKeys.has(k)) out[k] = strip(x);
      return out;
    }
    return v;
  };
  // An empty label prints as no label; Alloy's tree does not tell them apart either.
  const body = JSON.parse(JSON.stringify(file.body, (k, v) => (k === "label" && v === "" ? undefined : v)));
  return { body: strip(body), comments: file.comments.flat().map((c) => c.text) };
}

/** parse → print → parse keeps the tree (positions aside), and printing is idempotent. */
export function checkRoundTrip(src: string | Uint8Array): void {
  const first = parseFile("a.alloy", src);
  if (first.diagnostics.length > 0) throw new Error(`input does not parse: ${first.diagnostics[0]!.message}`);
  const printed = printFile(first.file);
  const second = parseFile("b.alloy", printed);
  if (second.diagnostics.length > 0) {
    const d = second.diagnostics[0]!;
    throw new Error(`printed output does not parse (${d.start?.line}:${d.start?.column}: ${d.message}):\n${printed}`);
  }
  const a = JSON.stringify(withoutPositions(first.file));
  const b = JSON.stringify(withoutPositions(second.file));
  if (a !== b) throw new Error(`tree changed after printing:\n${printed}`);
  const again = printFile(second.file);
  if (again !== printed) throw new Error(`printing is not idempotent:\n--- first\n${printed}\n--- second\n${again}`);
}

// ---------------------------------------------------------------------------

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.main) {
  const seed = Number(argValue("--seed") ?? Math.floor(Math.random() * 2 ** 31));
  const runs = Number(argValue("--runs") ?? 20000);
  console.log(`fuzz-syntax: seed ${seed}, ${runs} runs per property (reproduce with --seed ${seed})`);
  const bases = allFixtures();
  const properties: [string, fc.IProperty<[string]> | fc.IProperty<[Uint8Array]>][] = [
    ["generated configs never throw", fc.property(configArb, (src) => checkNeverThrows(src))],
    ["generated configs round-trip", fc.property(configArb, (src) => checkRoundTrip(src))],
    ["mutated fixtures never throw", fc.property(mutatedArb(bases), (src) => checkNeverThrows(src))],
  ];
  let failed = false;
  for (const [name, prop] of properties) {
    const started = performance.now();
    const res = fc.check(prop as fc.IProperty<[unknown]>, { seed, numRuns: runs });
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    if (res.failed) {
      failed = true;
      console.log(`FAIL ${name} after ${res.numRuns} runs (${secs}s)`);
      console.log(fc.defaultReportMessage(res));
    } else {
      console.log(`ok   ${name}: ${res.numRuns} runs (${secs}s)`);
    }
  }
  process.exit(failed ? 1 : 0);
}
