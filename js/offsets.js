// Offsets between the engine's UTF-8 bytes and JS strings' UTF-16 code
// units. Go indexes strings by byte; every offset the library returns is a
// UTF-16 index, what String.prototype.slice takes, and is converted here.

/** UTF-8 byte offset of each UTF-16 index of text (one past the end too); -1 inside a surrogate pair. */
export function byteOffsets(text) {
  const at = new Int32Array(text.length + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    at[i] = b;
    const c = text.codePointAt(i);
    if (c > 0xffff) {
      at[++i] = -1;
      b += 4;
    } else {
      b += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
  }
  at[text.length] = b;
  return at;
}

/**
 * A function mapping UTF-8 byte offsets of text to UTF-16 indices; it
 * throws for an offset inside a character, which the engine never gives.
 */
export function utf16Index(text) {
  const bytes = byteOffsets(text);
  const index = new Int32Array(bytes[text.length] + 1).fill(-1);
  bytes.forEach((b, i) => {
    if (b >= 0) index[b] = i;
  });
  return (b) => {
    const i = b >= 0 && b < index.length ? index[b] : -1;
    if (i < 0) throw new Error(`wasmbert: byte offset ${b} is not a character boundary`);
    return i;
  };
}

/** Rewrites the {start, end} byte offsets of each entry of spans (objects, changed in place) as UTF-16 indices. */
export function spansToUTF16(text, spans) {
  if (!spans?.length) return spans;
  const at = utf16Index(text);
  for (const s of spans) {
    s.start = at(s.start);
    s.end = at(s.end);
  }
  return spans;
}
