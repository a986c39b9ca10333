// Starting worker.js as a browser module Web Worker or a Node worker_thread,
// or connecting to it as a SharedWorker, behind one small interface:
// post(msg, transfer), onMessage(fn), onCrash(fn), terminate(), and ref(on)
// (Node: keep the process alive only while the worker has work).

import { isNode } from "./runtime.js";

/** The worker script next to this file (a function: see defaultEngineURL). */
export function defaultWorkerURL() {
  return new URL("./worker.js", import.meta.url);
}

export async function spawnWorker(url = defaultWorkerURL()) {
  if (isNode) {
    const { Worker } = await import("node:worker_threads");
    const w = new Worker(url);
    w.unref();
    return {
      post: (msg, transfer) => w.postMessage(msg, transfer ?? []),
      onMessage: (fn) => w.on("message", fn),
      onCrash: (fn) => {
        w.on("error", (err) => fn(err?.message ?? String(err)));
        w.on("exit", (code) => fn(`exited with code ${code}`));
      },
      terminate: () => w.terminate(),
      ref: (on) => (on ? w.ref() : w.unref()),
    };
  }
  const w = new Worker(url, { type: "module", name: "wasmbert" });
  return {
    post: (msg, transfer) => w.postMessage(msg, transfer ?? []),
    onMessage: (fn) => w.addEventListener("message", (e) => fn(e.data)),
    onCrash: (fn) => {
      w.addEventListener("error", (e) => {
        e.preventDefault();
        fn(e.message || "error");
      });
      w.addEventListener("messageerror", () => fn("message could not be deserialized"));
    },
    terminate: () => w.terminate(),
    ref: () => {},
  };
}

/**
 * Connects to the SharedWorker running worker.js under name, starting it if
 * no page of this origin has. terminate() only closes this page's port: the
 * worker lives on while another page is connected.
 */
export function connectSharedWorker(url = defaultWorkerURL(), name = "wasmbert") {
  if (typeof SharedWorker !== "function") throw new Error("wasmbert: shared: this runtime has no SharedWorker");
  const w = new SharedWorker(url, { type: "module", name });
  const port = w.port;
  port.start();
  return {
    post: (msg, transfer) => port.postMessage(msg, transfer ?? []),
    onMessage: (fn) => port.addEventListener("message", (e) => fn(e.data)),
    onCrash: (fn) => {
      // Only a script that fails to load or start reaches the page as an
      // error; a crashed engine fails the calls instead (worker.js).
      w.addEventListener("error", (e) => {
        e.preventDefault?.();
        fn(e.message || "shared worker failed to start");
      });
      port.addEventListener("messageerror", () => fn("message could not be deserialized"));
    },
    terminate: () => port.close(),
    ref: () => {},
  };
}
