// Bundles the Lit UI (ui/index.html and what it imports) in memory with Bun.build.
// Run as a script, it prints the bundle as JSON: embed.ts calls it that way at build time.
import path from "node:path";

/** One bundled file. Text files are kept as text; anything else as base64. */
export interface UIFile {
  contentType: string;
  encoding: "utf8" | "base64";
  body: string;
}

/** Bundled files by path relative to the UI root: `index.html`, `assets/index-<hash>.js`, … */
export type UIFiles = Record<string, UIFile>;

export const UI_ROOT = path.resolve(import.meta.dir, "../../../ui");

/**
 * Bundles the UI. Run it in a process started with NODE_ENV=production (embed.ts does): Bun
 * picks packages' "development" export condition otherwise, which is Lit's dev build.
 */
export async function bundleUI(): Promise<UIFiles> {
  const result = await Bun.build({
    entrypoints: [path.join(UI_ROOT, "index.html")],
    target: "browser",
    format: "esm",
    splitting: true, // the graph page (and dagre) becomes its own chunk, loaded on demand
    minify: true,
    // Relative names everywhere: index.html refers to `./assets/…` (resolved against <base href>)
    // and chunks import each other by `./…` (resolved against the importing module's URL).
    naming: { entry: "[name].[ext]", chunk: "assets/[name]-[hash].[ext]", asset: "assets/[name]-[hash].[ext]" },
  });
  if (!result.success) {
    throw new Error(`bundling the UI failed:\n${result.logs.map((l) => String(l)).join("\n")}`);
  }
  const files: UIFiles = {};
  for (const out of result.outputs) {
    const name = out.path.replace(/^\.\//, "");
    const contentType = out.type || "application/octet-stream";
    const text = /^(text\/|application\/(javascript|json))|\+xml|svg/.test(contentType);
    files[name] = text
      ? { contentType, encoding: "utf8", body: await out.text() }
      : { contentType, encoding: "base64", body: Buffer.from(await out.arrayBuffer()).toString("base64") };
  }
  if (!files["index.html"]) throw new Error("bundling the UI produced no index.html");
  return files;
}

if (import.meta.main) {
  process.stdout.write(JSON.stringify(await bundleUI()));
}
