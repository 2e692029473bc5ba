// The bundled files prepared for serving: bytes, gzip bytes and an ETag each, computed once.
import type { UIFiles } from "./bundle.ts";

export interface ServedFile {
  contentType: string;
  raw: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  etag: string;
}

export function prepareFile(contentType: string, raw: Uint8Array<ArrayBuffer>): ServedFile {
  const gzip = new Uint8Array(Bun.gzipSync(raw, { level: 9 }));
  return { contentType, raw, gzip, etag: `"${Bun.hash(raw).toString(36)}"` };
}

export function prepareFiles(files: UIFiles): Map<string, ServedFile> {
  const served = new Map<string, ServedFile>();
  for (const [name, f] of Object.entries(files)) {
    const raw = f.encoding === "base64" ? new Uint8Array(Buffer.from(f.body, "base64")) : new TextEncoder().encode(f.body);
    served.set(name, prepareFile(f.contentType, raw));
  }
  return served;
}

const escapeAttribute = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** index.html with its `<base href>` pointing at the UI prefix (`publicURL` + `/`). */
export function indexWithBase(indexHTML: string, publicURL: string): string {
  const base = `<base href="${escapeAttribute(publicURL)}/">`;
  const rewritten = indexHTML.replace(/<base\b[^>]*>/i, base);
  return rewritten === indexHTML && !indexHTML.includes(base) ? indexHTML.replace(/<head>/i, `<head>${base}`) : rewritten;
}
