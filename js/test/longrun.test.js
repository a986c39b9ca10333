// Long sessions: many embed() calls in one process must not grow memory
// without bound, and dispose() must end the workers.
//
// The session runs in a child Node process started with --expose-gc (this
// file again, with WASMBERT_LONGRUN_CHILD set), so heap numbers are taken
// after a forced GC and nothing else in the test runner pollutes them. The
// engine runs in one worker whose script is a thin wrapper around
// js/worker.js (passed as the public workerURL option): it remembers the
// wasm memory of the Go instance and answers memory probes on a
// BroadcastChannel.
//
// Bound checked: after the last call, wasm memory ≤ wasm memory after the
// first tenth of the calls + 4 MiB, and the JS heaps (main thread and worker,
// after GC) likewise. Every result must equal, bit for bit, the first result
// for the same text. WASMBERT_LONGRUN_CALLS (default 10000) sets the count.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { ENGINE_DIR, ENGINE_WASM, MODEL_INT8, requireFile } from "./helpers.js";

const CALLS = Number(process.env.WASMBERT_LONGRUN_CALLS) || 10_000;
const SLACK = 4 << 20;
const CHANNEL = "wasmbert-longrun-memory";
// Not a speed requirement: only a bound on how long a hung session (a worker
// that never answers, or never goes away) holds the suite.
const HANG_GUARD = 30 * 60_000;

/** The worker wrapper, as a data: URL module importing the real worker script. */
function probeWorkerURL() {
  const src = `
    const mems = [];
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async function (...args) {
      const r = await instantiate.apply(this, args);
      mems.push((r.instance ?? r).exports.mem);
      return r;
    };
    const v8 = await import("node:v8");
    const bc = new BroadcastChannel(${JSON.stringify(CHANNEL)});
    bc.unref?.();
    bc.onmessage = () => {
      globalThis.gc?.();
      bc.postMessage({ wasm: mems.reduce((n, m) => n + m.buffer.byteLength, 0), heap: v8.getHeapStatistics().used_heap_size });
    };
    await import(${JSON.stringify(new URL("../worker.js", import.meta.url).href)});
  `;
  return new URL("data:text/javascript," + encodeURIComponent(src));
}

// Asks the worker for its memory. With ms, resolves to null when nobody
// answers within ms; without, waits for the answer however slow the machine.
function probe(bc, ms) {
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
async function untilSilent(bc) {
  while ((await probe(bc, 1000)) !== null);
  return null;
}

async function child() {
  const { load } = await import("../index.js");
  const bc = new BroadcastChannel(CHANNEL);
  const sample = async (calls) => {
    globalThis.gc();
    const w = await probe(bc);
    return { calls, wasm: w?.wasm, workerHeap: w?.heap, mainHeap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
  };
  const bert = await load({ model: MODEL_INT8, engineURL: ENGINE_DIR, workers: 1, cache: false, workerURL: probeWorkerURL() });
  const samples = [];
  const firsts = new Map(); // text -> first vector
  const drifted = [];
  await bert.embed("warm up");
  samples.push(await sample(0));
  for (let i = 1; i <= CALLS; i++) {
    const text = `note ${i % 97}`;
    const v = await bert.embed(text);
    if (v.length !== 384) throw new Error(`call ${i}: ${v.length} dims`);
    if (!firsts.has(text)) firsts.set(text, v.slice());
    else if (drifted.length < 5 && !v.every((x, k) => Object.is(x, firsts.get(text)[k]))) drifted.push(i);
    if (i === CALLS / 10 || i === CALLS) samples.push(await sample(i));
  }
  bert.dispose();
  const afterDispose = await untilSilent(bc);
  bc.close();
  process.stdout.write(JSON.stringify({ samples, drifted, afterDispose }) + "\n");
}

if (process.env.WASMBERT_LONGRUN_CHILD) {
  await child();
} else {
  test(`${CALLS} embed() calls in one worker: wasm memory and JS heaps stay bounded; dispose() ends the worker`, { timeout: HANG_GUARD }, async (t) => {
    await requireFile(ENGINE_WASM, "./build.sh wasm");
    await requireFile(MODEL_INT8, "./build.sh models");
    const t0 = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url)], {
      env: { ...process.env, WASMBERT_LONGRUN_CHILD: "1", WASMBERT_LONGRUN_CALLS: String(CALLS) },
      maxBuffer: 1 << 20,
    });
    const { samples, drifted, afterDispose } = JSON.parse(stdout.trim().split("\n").at(-1));
    const mb = (n) => (n / (1 << 20)).toFixed(2) + " MiB";
    t.diagnostic(`${CALLS} calls and dispose() in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const s of samples) {
      t.diagnostic(`after ${s.calls} calls: wasm ${mb(s.wasm)}, worker heap ${mb(s.workerHeap)}, main heap ${mb(s.mainHeap)}, rss ${mb(s.rss)}`);
    }
    const [, tenth, last] = samples;
    for (const k of ["wasm", "workerHeap", "mainHeap"]) {
      assert.equal(typeof last[k], "number", `${k} measured`);
      assert.ok(last[k] <= tenth[k] + SLACK, `${k}: ${mb(last[k])} after ${last.calls} calls > ${mb(tenth[k])} after ${tenth.calls} + ${mb(SLACK)}`);
    }
    assert.deepEqual(drifted, [], "calls whose result differs from the first result for the same text");
    assert.equal(afterDispose, null, "the worker still answers after dispose()");
  });
}
