// Runs inside Chromium for longrun-browser.test.js: one long session of
// separate embed() calls through the public API with workers: 1, memory
// sampled through longrun-worker.js, then dispose().
import { load } from "/js/index.js";

const CHANNEL = "wasmbert-longrun-memory";
const bc = new BroadcastChannel(CHANNEL);
let bert = null;

// Asks the worker for its memory. With ms, resolves to null when nobody
// answers within ms; without, waits for the answer however slow the machine.
function probe(ms) {
  return new Promise((resolve) => {
    const timer = ms === undefined ? undefined : setTimeout(() => done(null), ms);
    const done = (v) => {
      clearTimeout(timer);
      bc.onmessage = null;
      resolve(v);
    };
    bc.onmessage = (e) => done(e.data);
    bc.postMessage("probe");
  });
}

// Probes until a probe goes unanswered: dispose() ends the worker after a
// grace period, and a loaded machine may need longer than any fixed wait.
// A hang here is caught by the test's own timeout.
async function untilSilent() {
  while ((await probe(1000)) !== null);
  return null;
}

// The worker collects garbage when probed, the page here; then the page's
// heap comes from performance.memory and the worker's from
// measureUserAgentSpecificMemory (cross-origin isolated pages only; eager
// with --enable-blink-features=ForceEagerMeasureMemory).
async function sample(calls) {
  const w = await probe();
  globalThis.gc?.();
  let workerHeap = null;
  if (globalThis.crossOriginIsolated && performance.measureUserAgentSpecificMemory) {
    const m = await performance.measureUserAgentSpecificMemory();
    const worker = m.breakdown.filter((b) => b.types.includes("JavaScript") && b.attribution.some((a) => a.scope === "DedicatedWorkerGlobalScope"));
    if (worker.length === 1) workerHeap = worker[0].bytes;
  }
  return { calls, wasm: w?.wasm ?? null, workerHeap, pageHeap: performance.memory?.usedJSHeapSize ?? null };
}

function sameBits(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * Makes calls embed() calls, call i embedding texts[(i-1) % texts.length],
 * at most inflight of them pending at a time. Every result is compared with
 * the first result for the same text; memory is sampled after a warm-up
 * call, after the first tenth and after the last call.
 */
window.longrun = async ({ model, calls, texts, inflight }) => {
  bert = await load({ model, workers: 1, cache: false, workerURL: "/test/longrun-worker.js" });
  const firsts = new Map(); // text -> [call, vector]
  const mismatches = [];
  let last = null;
  const call = async (i) => {
    const text = texts[(i - 1) % texts.length];
    const v = await bert.embed(text);
    if (v.length !== 384) throw new Error(`call ${i}: ${v.length} dims`);
    if (!firsts.has(text)) firsts.set(text, [i, v.slice()]);
    const [j, want] = firsts.get(text);
    const same = sameBits(v, want);
    if (!same && mismatches.length < 5) mismatches.push({ call: i, firstCall: j });
    if (i === calls) last = { call: i, firstCall: j, same };
  };
  let next = 1;
  const runUntil = (end) =>
    Promise.all(
      Array.from({ length: inflight }, async () => {
        while (next <= end) await call(next++);
      }),
    );

  await bert.embed("warm up");
  const samples = [await sample(0)];
  const t0 = performance.now();
  await runUntil(Math.floor(calls / 10));
  samples.push(await sample(next - 1));
  await runUntil(calls);
  const seconds = (performance.now() - t0) / 1000;
  samples.push(await sample(next - 1));
  document.getElementById("out").textContent = `${calls} calls in ${seconds.toFixed(1)} s`;
  return { samples, seconds, mismatches, last };
};

/** Disposes the session; reports how a later call fails and whether the worker still answers. */
window.finish = async () => {
  bert.dispose();
  let afterDispose = null;
  try {
    await bert.embed("after dispose");
  } catch (err) {
    afterDispose = String(err?.message ?? err);
  }
  return { afterDispose, probe: await untilSilent() };
};

window.ready = true;
