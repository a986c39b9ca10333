// The long-session test's worker script, passed to load() as the public
// workerURL option: it remembers the wasm memory of every Go instance it
// starts, runs gc() and answers memory probes on a BroadcastChannel (the pool owns the
// Worker object, so the page cannot message it directly), and otherwise is
// the library's own worker script, unchanged.
//
// worker.js is imported statically: it must listen for messages before the
// first task of the worker runs, or the pool's init message is lost. The hook
// below still comes first where it matters, since worker.js instantiates the
// engine only when that message arrives.
import "/js/worker.js";

const CHANNEL = "wasmbert-longrun-memory";

const mems = [];
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...args) {
  const r = await instantiate.apply(this, args);
  mems.push((r.instance ?? r).exports.mem);
  return r;
};

const bc = new BroadcastChannel(CHANNEL);
bc.onmessage = (e) => {
  if (e.data !== "probe") return;
  // gc exists when Chromium runs with --js-flags=--expose-gc. The worker's
  // JS heap is read by the page (performance.memory is window-only).
  globalThis.gc?.();
  bc.postMessage({ wasm: mems.reduce((n, m) => n + m.buffer.byteLength, 0) });
};
