// Worker entry for cmd/edgeworker. Unlike the default shim of github.com/syumai/workers, which
// starts a new Go instance for every request (and so would reload the weights every time),
// this keeps ONE Go instance per isolate and hands it every request.
//
// wasm_exec.js is Go's own, copied from $(go env GOROOT)/lib/wasm at build time so it always
// matches the compiler that built app.wasm. app.wasm is imported as a compiled module: workerd
// does not allow compiling WebAssembly at run time.
import "./wasm_exec.js";
import mod from "./app.wasm";

// The Go side (github.com/syumai/workers) reads globalThis.context once at start-up: env for
// vars and bindings, binding to publish handleRequest. One instance means one context object;
// env and ctx are refreshed per request.
let instance; // Promise<binding> while the Go program runs

function start(env, ctx) {
  const context = { env, ctx, binding: {} };
  globalThis.context = context;
  const go = new Go();
  let ready;
  const readyPromise = new Promise((resolve) => (ready = resolve));
  const inst = new WebAssembly.Instance(mod, {
    ...go.importObject,
    workers: { ready: () => ready() },
  });
  context.wasmMemory = inst.exports.mem;
  const started = readyPromise.then(() => context);
  // If the Go program ever exits, the next request starts a fresh instance.
  go.run(inst).finally(() => {
    if (instance === started) instance = undefined;
  });
  return started;
}

// Requests enter Go one at a time. Go's wasm runtime arms its wake-up timers with setTimeout
// in whatever request context is current; workerd cancels those when that request ends, and a
// second request left waiting inside Go on such a timer is then cancelled as hung. Queued here,
// each request waits on the previous one's promise, which settles while that request is still
// alive, and everything Go schedules for a request belongs to that request. Go runs on one
// thread anyway, so the queue costs no throughput.
let queue = Promise.resolve();

async function handle(req, env, ctx) {
  instance ??= start(env, ctx);
  const context = await instance;
  context.env = env;
  context.ctx = ctx;
  return context.binding.handleRequest(req);
}

export default {
  fetch(req, env, ctx) {
    const run = queue.then(() => handle(req, env, ctx));
    queue = run.then(
      () => {},
      () => {},
    );
    return run;
  },
};
