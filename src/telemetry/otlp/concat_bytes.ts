// Byte chunks joined into one new buffer of their own: what a request body assembled from
// network chunks becomes, so that a batch can own it (see AnyBatch.ownBytes). Buffer.concat
// may place a small result in a pool shared with other buffers.

export function concatBytes(parts: readonly Uint8Array[], size = parts.reduce((n, p) => n + p.byteLength, 0)): Uint8Array {
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}
