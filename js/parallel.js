// One text on every worker: a long text's tokens are split across the pool
// (model/bert ForwardPart), and the workers all-gather each layer's Q, K, V
// rows through a SharedArrayBuffer, waiting for one another with
// Atomics.wait/notify. That needs shared memory: Node's worker_threads
// always, browsers only when crossOriginIsolated (COOP/COEP). Elsewhere the
// rows travel by MessageChannel (js/parallel-message.js), with thresholds
// of their own. docs/design.md, "One text on every worker", has the
// measurements and the scaling model.
//
// The buffer: CONTROL_BYTES of Int32 control words, then two regions used
// in turn (so one barrier per gather suffices: a part writes a region again
// only after everyone passed the next barrier, so after everyone read it).

import { isNode } from "./runtime.js";
import { SPLIT_POLICY } from "./split-policy.js";
import { ABORTED, MessagePorts, portExchange } from "./parallel-message.js";

const CONTROL_BYTES = 64;
const ARRIVED = 0; // parts at the current barrier
const GEN = 1; // barrier generation; waiters sleep on it
const STATE = 2; // 0 running, 1 aborted

/** How long a part waits for the others at one barrier before failing the call. */
export const BARRIER_TIMEOUT_MS = 10_000;

/**
 * Whether workers can share memory here (SharedArrayBuffer and Atomics.wait
 * in workers): in Node, and in browsers when crossOriginIsolated. A runtime
 * that says it is not isolated is taken at its word (a test or benchmark in
 * Node sets crossOriginIsolated = false to run the message exchange).
 */
export function canShareMemory() {
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return false;
  const isolated = globalThis.crossOriginIsolated;
  return isolated === true || (isNode && isolated !== false);
}

/**
 * The exchange a split uses here, "shared-memory" or "message", and its
 * measured thresholds (js/split-policy.js); null when the workers cannot
 * exchange rows at all.
 */
export function splitExchange(policy = SPLIT_POLICY) {
  const kind = canShareMemory() ? "shared-memory" : typeof MessageChannel === "function" ? "message" : null;
  return kind && { kind, minTokens: policy[kind] ?? {} };
}

/** A new main-thread side of the exchange kind, for one split at a time. */
export function newExchange(kind) {
  return kind === "message" ? new MessagePorts() : new SharedRegions();
}

/**
 * How a call of count texts on a pool of workers is split, when splitting
 * is live: each text on a group of k workers, split when it has at least
 * minTokens tokens (the engine decides on the real count); null when no
 * text is split. "auto" takes the largest k the policy measured that the
 * idle workers allow (k = workers / count, so a batch with fewer texts than
 * workers still gets them all); "always" splits any text across them.
 */
export function splitPlan(mode, count, workers, minTokens) {
  const per = Math.floor(workers / count);
  if (per < 2) return null;
  if (mode === "always") return { k: per, minTokens: 0 };
  const k = Math.max(0, ...Object.keys(minTokens).map(Number).filter((n) => n <= per));
  return k >= 2 ? { k, minTokens: minTokens[k] } : null;
}

/**
 * The main thread's side: one SharedArrayBuffer per split running at a
 * time, reused from call to call and replaced when too small or after an
 * aborted call (whose stragglers may still touch it).
 */
export class SharedRegions {
  #sab = null;
  #regionBytes = 0;

  prepare(regionBytes) {
    const ctl = this.#sab && new Int32Array(this.#sab, 0, 4);
    if (!ctl || this.#regionBytes < regionBytes || Atomics.load(ctl, STATE) !== 0) {
      this.#sab = new SharedArrayBuffer(CONTROL_BYTES + 2 * regionBytes);
      this.#regionBytes = regionBytes;
    } else {
      Atomics.store(ctl, ARRIVED, 0);
    }
    return { sab: this.#sab, regionBytes: this.#regionBytes };
  }

  /** Per part: what its embedPart call gets (and nothing to transfer). */
  parts(count, regionBytes) {
    const part = this.prepare(regionBytes);
    return Array.from({ length: count }, () => ({ part, transfer: [] }));
  }

  /** Wakes every part waiting at a barrier; they fail the call. */
  abort() {
    if (!this.#sab) return;
    const ctl = new Int32Array(this.#sab, 0, 4);
    Atomics.store(ctl, STATE, 1);
    Atomics.notify(ctl, GEN);
  }
}

/**
 * Runs one text on the members of group (pool Members, all idle) and
 * resolves to part 0's result. The first failure aborts the others; the
 * call fails with that first cause, not with the others' "aborted".
 */
export async function runSplit(group, shared, { text, opts, regionBytes, minTokens }) {
  const count = group.length;
  const parts = shared.parts(count, regionBytes);
  const calls = group.map((m, index) =>
    m.call("embedPart", [text, opts, { index, count, minTokens, timeoutMs: BARRIER_TIMEOUT_MS, ...parts[index].part }], parts[index].transfer),
  );
  for (const c of calls) c.catch(() => shared.abort());
  const results = await Promise.allSettled(calls);
  const failures = results.filter((r) => r.status === "rejected").map((r) => r.reason);
  if (failures.length) throw failures.find((e) => !String(e?.message).includes(ABORTED)) ?? failures[0];
  return results[0].value;
}

/**
 * The worker's side: the exchange function the Go engine calls once per
 * gather (wasm/split.go), over the instance's memory (memory() gives the
 * current WebAssembly.Memory: it may have grown since the last call).
 * Returns "" or why the call failed, or with ports (no shared memory) a
 * Promise of that (js/parallel-message.js).
 */
export function partExchange(memory, part) {
  return part.ports ? portExchange(memory, part) : sharedExchange(memory, part);
}

function sharedExchange(memory, { sab, regionBytes, count, timeoutMs }) {
  const ctl = new Int32Array(sab, 0, 4);
  const regions = [0, 1].map((r) => new Float32Array(sab, CONTROL_BYTES + r * regionBytes, regionBytes / 4));
  let calls = 0;
  return (ptr, length, width, lo, hi) => {
    if (4 * length > regionBytes) return `wasmbert: split: ${4 * length} bytes to exchange, the shared region holds ${regionBytes}`;
    const region = regions[++calls % 2];
    const mem = new Float32Array(memory().buffer, ptr, length);
    region.set(mem.subarray(lo * width, hi * width), lo * width);
    const err = barrier(ctl, count, timeoutMs);
    if (err) return err;
    mem.set(region.subarray(0, lo * width), 0);
    mem.set(region.subarray(hi * width, length), hi * width);
    return "";
  };
}

// barrier returns when all count parts have called it, or with an error
// message when the call was aborted or a part did not come in time (then
// it aborts the call for the others).
function barrier(ctl, count, timeoutMs) {
  const gen = Atomics.load(ctl, GEN);
  if (Atomics.load(ctl, STATE) !== 0) return ABORTED;
  if (Atomics.add(ctl, ARRIVED, 1) === count - 1) {
    Atomics.store(ctl, ARRIVED, 0);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    return "";
  }
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(ctl, GEN) === gen) {
    if (Atomics.load(ctl, STATE) !== 0) return ABORTED;
    const left = deadline - Date.now();
    if (left <= 0) {
      Atomics.store(ctl, STATE, 1);
      Atomics.notify(ctl, GEN);
      return `wasmbert: split call: a worker did not reach the barrier within ${timeoutMs} ms`;
    }
    Atomics.wait(ctl, GEN, gen, left);
  }
  return "";
}
