// The worker script: owns one Go engine instance and serves the pool's
// requests. The same file runs as a browser module Web Worker and as a Node
// worker_thread; the only difference is how messages come and go (port()).
//
// Protocol: requests {id, op, args}, replies {id, ok: true, value} or
// {id, ok: false, error: {name, message}}. Requests are handled one at a
// time, in arrival order, so model chunks reach Go in order.

import { ensureGoRuntime, startEngine } from "./engine.js";
import { serializeError } from "./errors.js";

const port = await connect();
let engine = null;
let queue = Promise.resolve();

port.onMessage((msg) => {
  queue = queue.then(() => handle(msg));
});

async function handle({ id, op, args }) {
  try {
    const value = await dispatch(op, args);
    const transfer = value?.data instanceof Float32Array ? [value.data.buffer] : [];
    port.post({ id, ok: true, value }, transfer);
  } catch (err) {
    port.post({ id, ok: false, error: serializeError(err) });
  }
}

async function dispatch(op, args) {
  if (op === "init") {
    const [module, execURL] = args;
    await ensureGoRuntime(() => new URL(".", execURL));
    engine = await startEngine(module);
    // A Go program that ends on its own has crashed: let the pool restart us.
    engine.exited.then(() => {
      if (engine) port.crash("engine exited");
    });
    return null;
  }
  if (!engine) throw new Error("wasmbert: worker not initialized");
  if (op === "exit") {
    const e = engine;
    engine = null;
    await e.exit();
    return null;
  }
  if (typeof engine[op] !== "function" || op === "exited") throw new Error(`wasmbert: unknown worker op ${op}`);
  return engine[op](...args);
}

async function connect() {
  if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
    return {
      onMessage: (fn) => self.addEventListener("message", (e) => fn(e.data)),
      post: (msg, transfer) => self.postMessage(msg, transfer ?? []),
      crash,
    };
  }
  const { parentPort } = await import("node:worker_threads");
  return {
    onMessage: (fn) => parentPort.on("message", fn),
    post: (msg, transfer) => parentPort.postMessage(msg, transfer ?? []),
    crash,
  };
}

// An uncaught error is how a worker reports a crash to its owner (an "error"
// event in browsers and in Node), so crash throws outside any promise chain.
function crash(why) {
  setTimeout(() => {
    throw new Error(`wasmbert worker: ${why}`);
  });
}
