// The worker script: owns one Go engine instance and serves requests. The
// same file runs as a browser module Web Worker and a Node worker_thread
// (one owner, one port), and as a SharedWorker (load({shared})), where every
// page of the origin connects with its own port and all of them share the
// one engine and its one copy of the weights.
//
// Protocol: requests {id, op, args}, replies {id, ok: true, value} or
// {id, ok: false, error: {name, message}}. Requests are handled one at a
// time, in arrival order across ports, so model chunks reach Go in order.
// The one exception is "attach" (shared mode), answered out of that order
// because it may wait for another page's load to finish.

import { compileEngine, ensureGoRuntime, startEngine } from "./engine.js";
import { serializeError } from "./errors.js";

const shared = typeof SharedWorkerGlobalScope !== "undefined" && self instanceof SharedWorkerGlobalScope;
let engine = null;
let starting = null; // the engine's start, which every port's init waits for
let queue = Promise.resolve();
// Shared mode: the model the engine holds or is loading, {key, info, loader,
// settled, settle}; info is null while loader (a port) streams it.
let model = null;

if (shared) {
  // Registered before any await: connect events come as soon as the script ran.
  self.addEventListener("connect", (e) => {
    const p = e.ports[0];
    serve({
      onMessage: (fn) => p.addEventListener("message", (ev) => fn(ev.data)),
      post: (msg, transfer) => p.postMessage(msg, transfer ?? []),
    });
    p.start();
  });
} else {
  serve(await connect());
}

function serve(port) {
  port.onMessage((msg) => {
    if (msg.op === "attach") {
      reply(port, msg, attach(port, ...msg.args));
      return;
    }
    queue = queue.then(() => reply(port, msg, dispatch(port, msg.op, msg.args)));
  });
}

async function reply(port, { id }, result) {
  try {
    const value = await result;
    const transfer = value?.data instanceof Float32Array ? [value.data.buffer] : [];
    port.post({ id, ok: true, value }, transfer);
  } catch (err) {
    port.post({ id, ok: false, error: serializeError(err) });
  }
}

async function dispatch(port, op, args) {
  if (op === "init") {
    starting ??= start(port, args);
    return starting;
  }
  if (!engine) throw new Error("wasmbert: worker not initialized");
  if (op === "exit") {
    if (shared) return detach(port);
    const e = engine;
    engine = null;
    await e.exit();
    return null;
  }
  if (shared && op.startsWith("load")) return sharedLoad(port, op, args);
  if (typeof engine[op] !== "function" || op === "exited") throw new Error(`wasmbert: unknown worker op ${op}`);
  return engine[op](...args);
}

// wasm is a compiled module, or (shared mode) the engine's URL: a module
// cannot be posted to a SharedWorker, which is another agent cluster.
async function start(port, [wasm, execURL]) {
  const dir = () => new URL(".", execURL);
  await ensureGoRuntime(dir);
  engine = await startEngine(await compileEngine(wasm, dir));
  // A Go program that ends on its own has crashed: let the pool restart us.
  // (A shared engine has no single owner to tell; its calls fail instead.)
  if (!shared) {
    engine.exited.then(() => {
      if (engine) port.crash("engine exited");
    });
  }
  return null;
}

// Resolves to the model's info when the engine holds (or another page is
// loading) the model named key, or to null when this port is to stream it.
async function attach(port, key) {
  for (;;) {
    if (!model) {
      let settle;
      const settled = new Promise((ok) => (settle = ok));
      model = { key, info: null, loader: port, settled, settle };
      return null;
    }
    if (model.key !== key) {
      throw new Error(`wasmbert: shared worker holds ${model.key}; load ${key} under another shared name`);
    }
    if (model.info) return model.info;
    await model.settled; // then it is loaded, or the load failed and it is ours to try
  }
}

async function sharedLoad(port, op, args) {
  if (model?.loader !== port) throw new Error(`wasmbert: ${op}: this page is not loading the shared model`);
  try {
    const value = await engine[op](...args);
    if (op === "loadEnd") {
      model.info = value;
      model.loader = null;
      model.settle();
    }
    if (op === "loadAbort") forget();
    return value;
  } catch (err) {
    if (op === "loadEnd") forget();
    throw err;
  }
}

// A page that goes away mid-load leaves the model to the next one to attach.
async function detach(port) {
  if (model?.loader !== port) return null;
  await engine.loadAbort("the loading page went away").catch(() => {});
  forget();
  return null;
}

function forget() {
  const m = model;
  model = null;
  m?.settle();
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
