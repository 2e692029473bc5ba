import { describe, expect, test } from "bun:test";
import { executeStageTemplate, newStageTemplate, STAGE_TEMPLATE_FUNCS } from "../../../src/telemetry/loki/template_funcs.ts";

const stage = (template: string, source: string, extracted: Record<string, unknown>, line = "not important") =>
  executeStageTemplate(newStageTemplate(template), source, extracted, line);

describe("stage.template examples from Alloy", () => {
  const cases: [string, string, string, Record<string, unknown>, string][] = [
    ["simple template", "{{ .Value }} appended", "some", { some: "value" }, "value appended"],
    ["add missing", "newval", "missing", { notmissing: "value" }, "newval"],
    ["multiple keys", "{{.Value}} in module {{.module}}", "message", { message: "warn for app loki", module: "test" }, "warn for app loki in module test"],
    ["missing source", "{{ .level }} for app {{ .app | ToUpper }}", "missing", { level: "warn", app: "loki" }, "warn for app LOKI"],
    ["missing key", "{{.Value}} in module {{.module}}", "message", { message: "warn for app loki" }, "warn for app loki in module <no value>"],
    ["nil values are skipped", '{{ Replace .Value "Warning" "warn" 1 }}', "level", { level: "Warning", testval: null }, "warn"],
    ["ToLower piped", "{{ .Value | ToLower }}", "testval", { testval: "Value" }, "value"],
    ["sprig add", "{{ add 7 3 }}", "testval", { testval: "Value" }, "10"],
    ["Replace then ToLower", '{{ Replace .Value " " "_" -1 | ToLower }}', "testval", { testval: "Some Silly Value With Lots Of Spaces" }, "some_silly_value_with_lots_of_spaces"],
    ["regexReplaceAll", '{{ regexReplaceAll "(Silly)" .Value "${1}foo"  }}', "testval", { testval: "Some Silly Value With Lots Of Spaces" }, "Some Sillyfoo Value With Lots Of Spaces"],
    ["regexReplaceAll alternation", '{{ regexReplaceAll "( |Of)" .Value "_"  }}', "testval", { testval: "Some Silly Value With Lots Of Spaces" }, "Some_Silly_Value_With_Lots___Spaces"],
    ["regexReplaceAllLiteral", '{{ regexReplaceAllLiteral "(ts=)" .Value "timestamp=" }}', "output", { output: "ts=1 x" }, "timestamp=1 x"],
    ["Trim", '{{ Trim .Value "!" }}', "testval", { testval: "!!!!!WOOOOO!!!!!" }, "WOOOOO"],
    ["empty template", "", "testval", { testval: "WOOOOO" }, ""],
    ["Sha2Hash", '{{ Sha2Hash .Value "salt" }}', "testval", { testval: "this is PII data" }, "5526fd6f8ad457279cf8ff06453c6cb61bf479fa826e3b099caa6c846f9376f2"],
    ["Hash (SHA3-256)", '{{ Hash .Value "salt" }}', "testval", { testval: "this is PII data" }, "0807ea24e992127128b38e4930f7155013786a4999c73a25910318a793847658"],
    ["Entry is the log line", "{{.app }}: {{ .Entry }}", "message", { app: "loki" }, "loki: the line"],
    ["pipeline example", '{{ if eq .Value "WARN" }}{{ Replace .Value "WARN" "OK" -1 }}{{ else }}{{ .Value }}{{ end }}', "level", { level: "WARN" }, "OK"],
    ["numbers and bools are strings", "{{ .n }} {{ .f }} {{ .b }}", "x", { n: 5n, f: 1.5, b: true }, "5 1.5 true"],
    ["TrimPrefix", '{{ TrimPrefix .Value "--" }}', "o", { o: "--flag" }, "flag"],
    ["TrimSpace", "[{{ TrimSpace .Value }}]", "o", { o: " \t x \n" }, "[x]"],
  ];
  for (const [name, tpl, source, extracted, want] of cases) {
    test(name, () => expect(stage(tpl, source, extracted, "the line")).toBe(want));
  }

  test("a missing .Value given to a string function is an execution error", () => {
    expect(() => stage("{{ .Value | ToLower }}", "testval", {})).toThrow("invalid value; expected string");
  });
  test("an invalid regex fails the execution with Go's panic text", () => {
    expect(() => stage('{{ regexReplaceAll "\\\\K" .Value "x" }}', "v", { v: "a" })).toThrow(
      "error calling regexReplaceAll: regexp: Compile(`\\K`): error parsing regexp: invalid escape sequence: `\\K`",
    );
  });
  test("an invalid template is refused at parse time", () => {
    expect(() => newStageTemplate("{{{.Value}}}")).toThrow("template: pipeline_template:1: unexpected");
  });
});

describe("sprig functions", () => {
  const cases: [string, string][] = [
    ['{{ trunc 5 "hello world" }}', "hello"],
    ['{{ trunc -5 "hello world" }}', "world"],
    ['{{ abbrev 5 "hello world" }}', "he..."],
    ['{{ substr 0 5 "hello world" }}', "hello"],
    ['{{ nospace "hello w o r l d" }}', "helloworld"],
    ['{{ initials "First Try" }}', "FT"],
    ['{{ snakecase "FirstName" }}', "first_name"],
    ['{{ camelcase "http_server" }}', "HttpServer"],
    ['{{ kebabcase "FirstName" }}', "first-name"],
    ['{{ swapcase "This Is A.Test" }}', "tHIS iS a.tEST"],
    ['{{ title "hello world" }}', "Hello World"],
    ['{{ repeat 3 "hi" }}', "hihihi"],
    ['{{ "I Am Henry VIII" | replace " " "-" }}', "I-Am-Henry-VIII"],
    ['{{ plural "one anchovy" "many anchovies" 2 }}', "many anchovies"],
    ['{{ regexFind "[a-zA-Z][1-9]" "abcd1234" }}', "d1"],
    ['{{ regexFindAll "[2,4,6,8]" "123456789" -1 }}', "[2 4 6 8]"],
    ['{{ regexMatch "^[a-z]+@[a-z]+\\\\.com$" "test@acme.com" }}', "true"],
    ['{{ regexSplit "z+" "pizza" -1 }}', "[pi a]"],
    ['{{ quote "a" 1 }} {{ squote "b" }} {{ cat "x" 2 nil "y" }}', '"a" "1" \'b\' x 2 y'],
    ['{{ upper "abc" }} {{ lower "ÀB" }} {{ trim "  x  " }} {{ trimAll "$" "$5.00$" }}', "ABC àb x 5.00"],
    ['{{ contains "cat" "catch" }} {{ hasPrefix "ca" "cat" }} {{ hasSuffix "at" "cat" }}', "true true true"],
    ['{{ indent 2 "a\\nb" }}|{{ nindent 2 "c" }}', "  a\n  b|\n  c"],
    ["{{ add 1 2 3 }} {{ sub 5 7 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ add1 \"41\" }}", "6 -2 24 3 1 42"],
    ["{{ max 1 5 3 }} {{ min 4 2 8 }} {{ floor 1.7 }} {{ ceil 1.2 }} {{ round 3.14159 2 }}", "5 2 1 2 3.14"],
    ["{{ addf 1.5 2 }} {{ mulf 1.5 2 }} {{ divf 10 4 }}", "3.5 3 2.5"],
    ["{{ until 5 }} {{ untilStep 3 6 2 }} {{ seq 3 }}", "[0 1 2 3 4] [3 5] 1 2 3"],
    ["{{ list 1 2 3 | first }} {{ list 1 2 3 | last }} {{ list 1 2 3 | rest }} {{ list 1 2 3 | initial }}", "1 3 [2 3] [1 2]"],
    ["{{ append (list 1 2) 3 | len }}", "3"],
    ["{{ list 3 1 2 | reverse }} {{ list 1 1 2 | uniq }} {{ without (list 1 2 3) 2 }} {{ has 2 (list 1 2) }}", "[2 1 3] [1 2] [1 3] true"],
    ['{{ list "b" "a" | sortAlpha }} {{ join "," (list "a" "b") }} {{ splitList "," "a,b" }}', "[a b] a,b [a b]"],
    ['{{ $d := dict "k" "v" "n" 1 }}{{ get $d "k" }} {{ hasKey $d "n" }} {{ keys $d | sortAlpha }} {{ $d }}', "v true [k n] map[k:v n:1]"],
    ['{{ (split "$" "foo$bar$baz")._1 }}', "bar"],
    ['{{ default "foo" .missing }} {{ default "foo" "bar" }} {{ empty "" }} {{ coalesce "" 0 "x" }} {{ ternary "y" "n" true }}', "foo bar true x y"],
    ['{{ b64enc "hello" }} {{ b64dec "aGVsbG8=" }} {{ sha256sum "Hello world!" }}', "aGVsbG8= hello c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a"],
    ['{{ sha1sum "abc" }} {{ adler32sum "Wikipedia" }}', "a9993e364706816aba3e25717850c26c9cd0d89d 300286872"],
    ['{{ toJson (dict "b" 1 "a" (list "x" 1.5 nil) "h" "<&>") }}', '{"a":["x",1.5,null],"b":1,"h":"\\u003c\\u0026\\u003e"}'],
    ['{{ atoi "42" }} {{ int "7" }} {{ int64 3.9 }} {{ float64 "2.5" }} {{ toString 5 }}', "42 7 3 2.5 5"],
    ['{{ typeOf 1 }} {{ kindOf "a" }} {{ kindIs "slice" (list) }}', "int string true"],
    ['{{ base "/a/b.txt" }} {{ dir "/a/b.txt" }} {{ ext "b.txt" }} {{ clean "a//b/../c" }}', "b.txt /a .txt a/c"],
    ['{{ date "2006-01-02" 0 }} {{ dateInZone "15:04 MST" 0 "UTC" }} {{ unixEpoch (toDate "2006-01-02" "2020-01-01") }}', "1970-01-01 00:00 UTC 1577836800"],
    ["{{ duration 95 }}", "1m35s"],
  ];
  for (const [tpl, want] of cases) {
    test(tpl, () => {
      const prevTZ = process.env.TZ;
      process.env.TZ = "UTC";
      try {
        expect(newStageTemplate(tpl).execute({})).toBe(want);
      } finally {
        if (prevTZ === undefined) delete process.env.TZ;
        else process.env.TZ = prevTZ;
      }
    });
  }

  test("division by zero fails like Go's runtime", () => {
    expect(() => newStageTemplate("{{ div 1 0 }}").execute({})).toThrow("error calling div: runtime error: integer divide by zero");
  });

  test("the function set includes Alloy's extras and the common sprig names", () => {
    for (const name of ["ToLower", "ToUpper", "Replace", "Trim", "TrimLeft", "TrimRight", "TrimPrefix", "TrimSuffix", "TrimSpace", "Hash", "Sha2Hash", "regexReplaceAll", "regexReplaceAllLiteral", "upper", "lower", "default", "toJson", "dict", "list", "now", "date", "uuidv4"]) {
      expect(Object.hasOwn(STAGE_TEMPLATE_FUNCS, name)).toBe(true);
    }
  });
});

describe("more sprig functions and aliases", () => {
  const run = (t: string, data: unknown = {}) => newStageTemplate(t).execute(data);
  test("aliases resolve to their functions", () => {
    expect(run("{{ tuple 1 2 | mustFirst }} {{ biggest 1 9 3 }} {{ trimall \"-\" \"--x--\" }}")).toBe("1 9 x");
  });
  test("random strings have the asked length and alphabet", () => {
    expect(run("{{ randAlphaNum 12 }}")).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(run("{{ randNumeric 5 }}")).toMatch(/^[0-9]{5}$/);
  });
  test("b32dec, durationRound, toDecimal, mergeOverwrite, urlParse/urlJoin, hello", () => {
    expect(run('{{ b32enc "hi there" | b32dec }}')).toBe("hi there");
    expect(run('{{ durationRound "2h10m5s" }} {{ durationRound "3600s" }} {{ durationRound "1s" }}')).toBe("2h 60m 0s");
    expect(run('{{ toDecimal "0777" }}')).toBe("511");
    expect(run('{{ $a := dict "k" "a" "x" 1 }}{{ $b := dict "k" "b" }}{{ mergeOverwrite $a $b }}')).toBe("map[k:b x:1]");
    expect(run('{{ (urlParse "https://u@example.com:8080/p?q=1#f").host }} {{ urlJoin (dict "scheme" "http" "host" "h" "path" "/x") }}')).toBe(
      "example.com:8080 http://h/x",
    );
    expect(run("{{ hello }}")).toBe("Hello!");
  });
});

describe("time.Time methods in templates", () => {
  test("Format, Unix, Year and friends on sprig times", () => {
    const t = newStageTemplate('{{ $t := toDate "2006-01-02 15:04" "2021-03-04 05:06" }}{{ $t.UTC.Format "Jan 2 2006" }} {{ $t.Unix }} {{ $t.Year }} {{ $t.Month }} {{ $t.UTC.Hour }}');
    const prev = process.env.TZ;
    process.env.TZ = "UTC";
    try {
      expect(t.execute({})).toBe("Mar 4 2021 1614834360 2021 March 5");
    } finally {
      if (prev === undefined) delete process.env.TZ;
      else process.env.TZ = prev;
    }
  });
  test("unknown methods are Go's field error", () => {
    expect(() => newStageTemplate("{{ now.Nope }}").execute({})).toThrow("can't evaluate field Nope in type time.Time");
  });
});
