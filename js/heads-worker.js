// The heads worker: runs the heads module (wasmbert-heads.wasm) off the
// calling thread for HeadsRuntime (heads.js), as a browser module Web Worker
// or a Node worker_thread.
//
// Protocol: {id, op: "init", wasm, base} first (wasm: the compiled module,
// its bytes or its URL; base: the engine directory, for wasm_exec.js), then
// {id, op, request, data} per call (request: JSON text, data: Float32Array).
// Calls run one at a time; while one trains, {id, progress: [done, total]}
// follows each epoch; each ends with {id, ok: true, value} (the result's
// JSON text) or {id, ok: false, error: {name, message}}.

import { compileEngine, ensureGoRuntime } from "./engine.js";
import { serializeError } from "./errors.js";
import { startHeads } from "./heads.js";

const port = await connect();
let heads = null;
let queue = Promise.resolve();

port.onMessage((msg) => {
  queue = queue.then(() => handle(msg));
});

async function handle({ id, op, ...msg }) {
  try {
    let value = null;
    if (op === "init") {
      const base = () => new URL(msg.base);
      const [module] = await Promise.all([compileEngine(msg.wasm, base), ensureGoRuntime(base)]);
      heads = await startHeads(module);
    } else if (!heads) {
      throw new Error("wasmbert: heads worker not initialized");
    } else {
      const progress = (done, total) => port.post({ id, progress: [done, total] });
      value = await Promise.race([heads.call(op, msg.request, msg.data, progress), heads.exited]);
    }
    port.post({ id, ok: true, value });
  } catch (err) {
    port.post({ id, ok: false, error: serializeError(err) });
  }
}

async function connect() {
  if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
    return {
      onMessage: (fn) => self.addEventListener("message", (e) => fn(e.data)),
      post: (msg) => self.postMessage(msg),
    };
  }
  const { parentPort } = await import("node:worker_threads");
  return {
    onMessage: (fn) => parentPort.on("message", fn),
    post: (msg) => parentPort.postMessage(msg),
  };
}
