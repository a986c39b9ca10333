// Subresource-integrity style checking of the model bytes.

const HEX = /^[0-9a-f]{64}$/i;

/**
 * Parses "sha256-<base64>" (as in SRI) or 64 hex digits into the expected
 * 32-byte digest.
 */
export function parseIntegrity(s) {
  if (typeof s !== "string") throw new TypeError("wasmbert: integrity must be a string");
  const v = s.trim();
  if (HEX.test(v)) {
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = parseInt(v.slice(2 * i, 2 * i + 2), 16);
    return out;
  }
  if (v.startsWith("sha256-")) {
    let raw;
    try {
      raw = atob(v.slice(7));
    } catch {
      raw = "";
    }
    if (raw.length === 32) return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }
  throw new TypeError(`wasmbert: integrity ${JSON.stringify(s)}: want "sha256-<base64>" or 64 hex digits`);
}

export function formatIntegrity(digest) {
  return "sha256-" + btoa(String.fromCharCode(...digest));
}

/** SHA-256 of a Blob (or anything with arrayBuffer()). */
export async function sha256(blob) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
}

export function digestsEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}
