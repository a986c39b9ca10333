// Caching of complete, verified model files: the Cache API in web runtimes,
// a directory of files in Node. Entries are written only after the whole
// file arrived (and passed its integrity check), so a reader never sees a
// partial model.

import { VERSION } from "./version.js";
import { isNode } from "./runtime.js";

export const CACHE_NAME = `wasmbert-v${VERSION}`;

/**
 * Opens the cache selected by the load() "cache" option: false → null,
 * true/undefined → the default store, {name} (web) or {dir} (Node).
 */
export async function openCache(opt) {
  if (opt === false || opt === null) return null;
  if (opt !== undefined && opt !== true && typeof opt !== "object") {
    throw new TypeError("wasmbert: cache must be a boolean or {name, dir}");
  }
  const o = typeof opt === "object" ? opt : {};
  if (isNode) return FileCache.open(o.dir);
  if (typeof caches !== "undefined") return WebCache.open(o.name ?? CACHE_NAME);
  return null;
}

class WebCache {
  static async open(name) {
    return new WebCache(await caches.open(name));
  }
  constructor(c) {
    this.c = c;
  }
  /** Returns {total, body: ReadableStream} or null. */
  async get(key) {
    const res = await this.c.match(key);
    if (!res) return null;
    // An emptied entry has no body: it is a damaged hit, which load() heals, not a miss.
    return { total: Number(res.headers.get("content-length")) || 0, body: res.body ?? new Blob([]).stream() };
  }
  async put(key, blob) {
    await this.c.put(
      key,
      new Response(blob, { headers: { "content-length": String(blob.size), "content-type": "application/octet-stream" } }),
    );
  }
  async delete(key) {
    await this.c.delete(key);
  }
}

class FileCache {
  static async open(dir) {
    const [fs, path, os] = await Promise.all([import("node:fs"), import("node:path"), import("node:os")]);
    dir ??= path.join(userCacheDir(os, path), "wasmbert", `v${VERSION}`);
    await fs.promises.mkdir(dir, { recursive: true });
    return new FileCache(fs, path, dir);
  }
  constructor(fs, path, dir) {
    this.fs = fs;
    this.path = path;
    this.dir = dir;
  }
  async file(key) {
    const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
    return this.path.join(this.dir, Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("") + ".wbm");
  }
  async get(key) {
    const f = await this.file(key);
    let st;
    try {
      st = await this.fs.promises.stat(f);
    } catch {
      return null;
    }
    const { Readable } = await import("node:stream");
    return { total: st.size, body: Readable.toWeb(this.fs.createReadStream(f, { highWaterMark: 1 << 20 })) };
  }
  async put(key, blob) {
    const f = await this.file(key);
    // Write then rename, so a crash or a concurrent reader never sees half a file.
    const tmp = `${f}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await this.fs.promises.writeFile(tmp, blob.stream());
      await this.fs.promises.rename(tmp, f);
    } catch (err) {
      await this.fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }
  async delete(key) {
    await this.fs.promises.rm(await this.file(key), { force: true });
  }
}

// The per-user cache directory, as Go's os.UserCacheDir picks it.
function userCacheDir(os, path) {
  const env = process.env;
  switch (process.platform) {
    case "win32":
      return env.LOCALAPPDATA || path.join(os.homedir(), "AppData", "Local");
    case "darwin":
      return path.join(os.homedir(), "Library", "Caches");
    default:
      return env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  }
}
