// One Go engine instance in the current thread: compiling and starting
// wasmbert.wasm (the handshake is in gostart.js) and calling the functions
// the Go side (wasm/) exports.

import { startGo } from "./gostart.js";
import { resolveURL } from "./source.js";
import { isNode } from "./runtime.js";
import { partExchange } from "./parallel.js";

/**
 * Where the engine files live unless the engineURL option says otherwise.
 * A function, not a constant: in workerd import.meta.url is not a URL, and
 * there the engine comes precompiled with wasm_exec.js imported statically,
 * so this is never asked for.
 */
export function defaultEngineURL() {
  return new URL("../dist/engine/", import.meta.url);
}

/**
 * Makes sure globalThis.Go (from Go's wasm_exec.js) exists. Runtimes without
 * dynamic import() (extension service workers) or without a module graph
 * built at runtime (workerd) import wasm_exec.js statically first.
 */
export async function ensureGoRuntime(engineURL) {
  if (typeof globalThis.Go === "function") return;
  const execURL = new URL("wasm_exec.js", engineURL());
  try {
    await import(/* @vite-ignore */ execURL.href);
  } catch (err) {
    throw new Error(
      `wasmbert: load ${execURL.href}: ${err.message} (import wasm_exec.js statically where import() is unavailable)`,
      { cause: err },
    );
  }
  if (typeof globalThis.Go !== "function") throw new Error(`wasmbert: ${execURL.href} did not define globalThis.Go`);
}

/**
 * Returns the compiled engine: wasm may be a WebAssembly.Module (workerd,
 * where compiling at runtime is forbidden), bytes, or a URL. engineURL() gives
 * the engine directory, asked for only when wasm is undefined.
 */
export async function compileEngine(wasm, engineURL, signal) {
  if (wasm instanceof WebAssembly.Module) return wasm;
  if (wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) return WebAssembly.compile(wasm);
  const url = wasm === undefined ? new URL("wasmbert.wasm", engineURL()) : resolveURL(wasm);
  if (url.protocol === "file:" && isNode) {
    const fs = await import("node:fs");
    let bytes;
    try {
      bytes = await fs.promises.readFile(url, { signal });
    } catch (err) {
      if (err?.name === "AbortError") throw err;
      throw new Error(`wasmbert: read ${url.href}: ${err.message} (run ./build.sh wasm)`, { cause: err });
    }
    return WebAssembly.compile(bytes);
  }
  let res;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    if (err?.name === "AbortError") throw err;
    throw new Error(`wasmbert: fetch ${url.href}: ${err.message}`, { cause: err });
  }
  if (!res.ok) throw new Error(`wasmbert: fetch ${url.href}: HTTP ${res.status}${res.statusText ? " " + res.statusText : ""}`);
  if (WebAssembly.compileStreaming && (res.headers.get("content-type") ?? "").startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

/** Starts one Go instance of module and resolves to its GoEngine. */
export async function startEngine(module) {
  const { api, exited, failure, memory } = await startGo(module, "engine");
  return new GoEngine(api, exited, failure, memory);
}

/**
 * The Go API of one instance. Every method returns a Promise; Go rejects
 * with an Error carrying its message.
 */
export class GoEngine {
  #api;
  #exitErr;
  #memory;
  constructor(api, exited, exitErr, memory) {
    this.#api = api;
    this.#exitErr = exitErr;
    this.#memory = memory;
    /** Resolves when the Go program ends (exit, or a fatal error in Go). */
    this.exited = exited;
  }
  #call(fn, ...args) {
    const err = this.#exitErr();
    if (err) return Promise.reject(err);
    try {
      return Promise.resolve(this.#api[fn](...args));
    } catch (e) {
      // A Go panic that escaped the bridge ends the program: report it as such.
      return Promise.reject(this.#exitErr() ?? e);
    }
  }
  loadBegin(total) {
    return this.#call("loadBegin", total);
  }
  /** Feeds the next bytes of the model file; resolves once Go consumed them. */
  loadChunk(bytes) {
    return this.#call("loadChunk", bytes);
  }
  /** Ends the stream; resolves to info() once the model is built. */
  loadEnd() {
    return this.#call("loadEnd");
  }
  loadAbort(message) {
    return this.#call("loadAbort", message);
  }
  /** Resolves to {data: Float32Array, count, dim, ...} (see embeddingsToJS in wasm/convert.go). */
  embed(texts, options) {
    return this.#call("embed", texts, options ?? {});
  }
  /** This instance's share of a text split across workers (js/parallel.js); null when left to part 0. */
  embedPart(text, options, part) {
    if (typeof this.#api.embedPart !== "function") return Promise.reject(new Error("wasmbert: this engine cannot split texts (use wasmbert-parallel.wasm)"));
    const exchange = partExchange(this.#memory, part);
    return this.#call("embedPart", text, options ?? {}, part.index, part.count, part.minTokens, exchange).finally(() => exchange.close?.());
  }
  tokenize(text) {
    return this.#call("tokenize", text);
  }
  info() {
    return this.#call("info");
  }
  /** Ends the Go program; the instance cannot be used afterwards. */
  exit() {
    if (this.#exitErr()) return Promise.resolve();
    try {
      this.#api.exit();
    } catch {
      // already gone
    }
    return this.exited;
  }
}
