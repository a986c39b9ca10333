// Worker entry for cmd/edgeworker. Unlike a shim that starts a new Go instance for every
// request (as github.com/syumai/workers' does, which would reload the weights every time), this
// keeps ONE Go instance per isolate and hands it every request.
//
// wasm_exec.js is Go's own, copied from $(go env GOROOT)/lib/wasm at build time so it always
// matches the compiler that built app.wasm. app.wasm is imported as a compiled module: workerd
// does not allow compiling WebAssembly at run time.
import "./wasm_exec.js";
import mod from "./app.wasm";

// The Go side (main_js.go) reads globalThis.context: env for vars and bindings, binding to
// publish handleRequest, ready() to say it has. One instance means one context object; env and
// ctx are refreshed per request.
let instance; // Promise<context> while the Go program runs

function start(env, ctx) {
  let ready;
  const readyPromise = new Promise((resolve) => (ready = resolve));
  const context = { env, ctx, binding: {}, ready: () => ready() };
  globalThis.context = context;
  const go = new Go();
  const inst = new WebAssembly.Instance(mod, go.importObject);
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
// second request left waiting inside Go on such a timer is then cancelled as hung. So a
// request enters Go only when it has the turn, and everything Go schedules while it has the
// turn belongs to that request. Go runs on one thread anyway, so the turns cost no throughput.
//
// A long request gives the turn away between its slices of texts (wasmbertYield, called from
// Go by cmd/edgeworker's yieldIsolate): the requests that arrived meanwhile each run, to their
// end or their own next yield, and the long one continues after them. A small request thus
// waits for one slice of a large one, not for all of it.
let busy = false;
const waiting = []; // resolve functions of the requests waiting for their turn, oldest first

function acquire() {
  if (!busy) {
    busy = true;
    return Promise.resolve();
  }
  return nextTurn();
}

// Waits in line. The turn comes from another request's context (the one that releases it);
// workerd carries the resolution over to this request, provided this request is still alive.
// Waiting on a promise alone leaves a request with no I/O of its own, which workerd cancels as
// hung, so an idle interval keeps it alive until its turn.
function nextTurn() {
  const keepAlive = setInterval(() => {}, 10_000);
  return new Promise((resolve) => waiting.push(resolve)).finally(() => clearInterval(keepAlive));
}

function release() {
  const next = waiting.shift();
  if (next) next();
  else busy = false;
}

globalThis.wasmbertYield = async () => {
  // A macrotask, so requests that arrived while Go computed reach fetch() and queue up. The
  // timer belongs to the yielding request, which is alive until it answers.
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (!waiting.length) return;
  const turn = nextTurn();
  release();
  await turn;
};

async function handle(req, env, ctx) {
  instance ??= start(env, ctx);
  const context = await instance;
  context.env = env;
  context.ctx = ctx;
  return context.binding.handleRequest(req);
}

export default {
  async fetch(req, env, ctx) {
    await acquire();
    try {
      return await handle(req, env, ctx);
    } finally {
      release();
    }
  },
};
