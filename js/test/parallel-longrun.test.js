// 1,000 mixed calls on a pool that splits texts across its workers
// (parallel: "always", so short texts take the split path too): every result
// equals the one-worker result bit for bit, and the workers' wasm memory
// stays bounded (after the last call ≤ after the first quarter + 4 MiB). The
// baseline is the first quarter, not the first tenth: the Go heaps reach
// their plateau later on a busy machine (in CI, 109.6 MB at call 100 and
// 115.1–115.3 MB at call 1,000, below the 116.4 → 119.5 MB of an idle run), so
// a tenth measured warm-up, not a leak; a leak of ~6 kB per call still fails. The
// workers run js/worker.js behind a thin wrapper (the public workerURL
// option) that answers memory probes on a BroadcastChannel, as in
// longrun.test.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ENGINE_DIR, MODEL_INT8, loadModel, requireFile } from "./helpers.js";

const CALLS = 1000;
const SLACK = 4 << 20;
const CHANNEL = "wasmbert-parallel-longrun-memory";
// Not a speed requirement: only a bound on how long a hung split holds the suite.
const HANG_GUARD = 20 * 60_000;

function probeWorkerURL() {
  const src = `
    const mems = [];
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async function (...args) {
      const r = await instantiate.apply(this, args);
      mems.push((r.instance ?? r).exports.mem);
      return r;
    };
    const bc = new BroadcastChannel(${JSON.stringify(CHANNEL)});
    bc.unref?.();
    const id = Math.random();
    bc.onmessage = (e) => {
      if (e.data === "probe") bc.postMessage({ id, wasm: mems.reduce((n, m) => n + m.buffer.byteLength, 0) });
    };
    await import(${JSON.stringify(new URL("../worker.js", import.meta.url).href)});
  `;
  return new URL("data:text/javascript," + encodeURIComponent(src));
}

// The total wasm memory of the workers answering, once workers of them did.
function probe(bc, workers) {
  return new Promise((resolve) => {
    const seen = new Map();
    bc.onmessage = (e) => {
      seen.set(e.data.id, e.data.wasm);
      if (seen.size === workers) {
        bc.onmessage = null;
        resolve([...seen.values()].reduce((a, b) => a + b, 0));
      }
    };
    bc.postMessage("probe");
  });
}

const LONG = "The quick brown fox jumps over the lazy dog and keeps running across the field. ".repeat(7);
const MEDIUM = "A search box embeds one query at a time, and that query is what users wait for. ".repeat(2);
const TEXTS = [LONG, MEDIUM, "hello world", "a", "Ünïcödé and emoji 🦊 in one short line"];

test(`${CALLS} mixed split calls: the one-worker results, bounded wasm memory`, { timeout: HANG_GUARD }, async () => {
  await requireFile(new URL("wasmbert-parallel.wasm", ENGINE_DIR), "./build.sh wasm");
  const one = await loadModel({ model: MODEL_INT8, workers: 1 });
  const want = await one.embed(TEXTS);
  const wantTokens = await one.embed(MEDIUM, { tokens: true });
  one.dispose();
  const bc = new BroadcastChannel(CHANNEL);
  const par = await loadModel({ model: MODEL_INT8, workers: 2, parallel: "always", workerURL: probeWorkerURL() });
  try {
    const same = (got, w, what) => assert.ok(got.length === w.length && got.every((x, k) => Object.is(x, w[k])), what);
    const samples = [];
    let pending = [];
    for (let i = 1; i <= CALLS; i++) {
      const k = i % TEXTS.length;
      if (i % 7 === 0) pending.push(par.embed(TEXTS).then((vs) => vs.forEach((v, j) => same(v, want[j], `call ${i}: batch text ${j}`))));
      else if (i % 11 === 0) pending.push(par.embed(MEDIUM, { tokens: true }).then((r) => same(r.tokens.at(-1).vector, wantTokens.tokens.at(-1).vector, `call ${i}: tokens`)));
      else pending.push(par.embed(TEXTS[k]).then((v) => same(v, want[k], `call ${i}: text ${k}`)));
      // A few calls in flight at once: splits queue behind batches and the reverse.
      if (i % 3 === 0) await Promise.all(pending.splice(0));
      if (i === CALLS / 4 || i === CALLS) samples.push(await probe(bc, 2));
    }
    await Promise.all(pending);
    const [quarter, last] = samples;
    assert.ok(last <= quarter + SLACK, `wasm memory ${last} B after ${CALLS} calls > ${quarter} B after ${CALLS / 4} + 4 MiB`);
  } finally {
    par.dispose();
    bc.close();
  }
});
