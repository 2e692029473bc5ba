// Byte chunks joined into one new buffer of their own: what a request body assembled from
// network chunks becomes. Unlike Buffer.concat, which may place a small result in a pool
// shared with other buffers, the result may be owned and freed alone (see the OTLP
// AnyBatch.ownBytes).

export function concatBytes(parts: readonly Uint8Array[], size = parts.reduce((n, p) => n + p.byteLength, 0)): Uint8Array {
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}
