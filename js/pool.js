// The worker pool. Go's wasm has no threads, so each worker runs its own Go
// instance with its own copy of the weights. The caller streams the model
// once; every chunk is posted to every worker. Calls are queued and handed
// to whichever worker is free; a worker that crashes is replaced (and given
// the model again) while the calls it was running fail with an error.

import { reviveError } from "./errors.js";
import { spawnWorker } from "./spawn.js";
import { newExchange, runSplit } from "./parallel.js";

class Member {
  constructor(port) {
    this.port = port;
    this.pending = new Map();
    this.nextId = 0;
    this.busy = false;
    this.ready = false;
    this.dead = false;
    port.onMessage(({ id, ok, value, error }) => {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if (this.pending.size === 0) port.ref(false);
      ok ? p.resolve(value) : p.reject(reviveError(error));
    });
  }
  call(op, args = [], transfer = []) {
    if (this.dead) return Promise.reject(new Error("wasmbert: worker is gone"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.ref(true);
      this.port.post({ id, op, args }, transfer);
    });
  }
  kill(err) {
    this.dead = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.port.terminate();
  }
  /**
   * Fails pending calls with err, lets the Go program exit (so it releases
   * what it holds the orderly way), then terminates the worker; a worker
   * busy with a long call is terminated after graceMs regardless.
   */
  shutdown(err, graceMs = 1000) {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const p of calls) p.reject(err);
    const id = this.nextId++;
    const stop = () => {
      clearTimeout(timer);
      this.pending.delete(id);
      this.port.terminate();
    };
    const timer = setTimeout(stop, graceMs);
    timer.unref?.();
    this.pending.set(id, { resolve: stop, reject: stop });
    this.port.ref(false);
    this.port.post({ id, op: "exit", args: [] });
    this.dead = true;
  }
}

export class Pool {
  #members = [];
  #queue = [];
  #module;
  #execURL;
  #workerURL;
  #replay = null; // () => AsyncIterable<Uint8Array>: the model again, for replacements
  #total = 0;
  #closed = false;
  #exchanges = []; // idle exchanges (js/parallel.js), kept for the next split
  #splits = new Map(); // member → the exchange of the split it runs

  /** Starts size workers, each instantiating module (a WebAssembly.Module). */
  static async create({ size, module, execURL, workerURL }) {
    const pool = new Pool(module, execURL, workerURL);
    try {
      pool.#members = await Promise.all(Array.from({ length: size }, () => pool.#spawn()));
    } catch (err) {
      pool.close();
      throw err;
    }
    return pool;
  }

  constructor(module, execURL, workerURL) {
    this.#module = module;
    this.#execURL = execURL;
    this.#workerURL = workerURL;
  }

  get size() {
    return this.#members.length;
  }

  async #spawn() {
    const m = new Member(await spawnWorker(this.#workerURL));
    m.port.onCrash((why) => this.#crashed(m, why));
    await m.call("init", [this.#module, this.#execURL.href]);
    return m;
  }

  loadBegin(total) {
    this.#total = total;
    return Promise.all(this.#members.map((m) => m.call("loadBegin", [total])));
  }

  /** Posts bytes to every worker; resolves when all of them consumed it. */
  loadChunk(bytes) {
    return Promise.all(this.#members.map((m) => m.call("loadChunk", [bytes])));
  }

  /**
   * Ends the load; replay must give the same bytes again when a worker has
   * to be replaced later.
   */
  async loadEnd(replay) {
    const infos = await Promise.all(this.#members.map((m) => m.call("loadEnd")));
    this.#replay = replay;
    for (const m of this.#members) m.ready = true;
    return infos[0];
  }

  loadAbort(message) {
    return Promise.allSettled(this.#members.map((m) => m.call("loadAbort", [message])));
  }

  /** Queues op on the next free worker. */
  run(op, args) {
    if (this.#closed) return Promise.reject(new Error("wasmbert: disposed"));
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, args, resolve, reject });
      this.#dispatch();
    });
  }

  /**
   * Embeds one text split across split.k idle workers (js/parallel.js), or
   * fewer when fewer are idle, or on one worker like run("embed") when only
   * one is.
   */
  runSplit(text, opts, split) {
    if (this.#closed) return Promise.reject(new Error("wasmbert: disposed"));
    return new Promise((resolve, reject) => {
      this.#queue.push({ op: "embed", args: [[text], opts], split: { text, opts, ...split }, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch() {
    while (this.#queue.length) {
      const idle = this.#members.filter((m) => m.ready && !m.busy && !m.dead);
      if (!idle.length) return;
      const t = this.#queue.shift();
      const group = t.split ? idle.slice(0, t.split.k) : idle.slice(0, 1);
      const shared = group.length > 1 ? (this.#exchanges.pop() ?? newExchange(t.split.exchange)) : null;
      for (const m of group) {
        m.busy = true;
        if (shared) this.#splits.set(m, shared);
      }
      const p = shared ? runSplit(group, shared, t.split) : group[0].call(t.op, t.args);
      p.then(t.resolve, t.reject).finally(() => {
        for (const m of group) {
          m.busy = false;
          this.#splits.delete(m);
        }
        if (shared) this.#exchanges.push(shared);
        this.#dispatch();
      });
    }
  }

  #crashed(m, why) {
    if (m.dead || this.#closed) return;
    m.kill(new Error(`wasmbert: worker crashed: ${why}`));
    this.#splits.get(m)?.abort();
    const i = this.#members.indexOf(m);
    if (i < 0 || !this.#replay) return; // during load: the load itself fails
    this.#replace(i).catch(() => {
      // The replacement failed too: keep serving with the others, or fail
      // every queued call if none is left.
      if (this.#members.every((x) => x.dead)) {
        for (const t of this.#queue.splice(0)) t.reject(new Error(`wasmbert: all workers crashed: ${why}`));
      }
    });
  }

  async #replace(i) {
    const m = await this.#spawn();
    if (this.#closed) return m.kill(new Error("wasmbert: disposed"));
    this.#members[i] = m;
    await m.call("loadBegin", [this.#total]);
    for await (const chunk of this.#replay()) await m.call("loadChunk", [chunk]);
    await m.call("loadEnd");
    m.ready = true;
    this.#dispatch();
  }

  close() {
    this.#closed = true;
    // No worker may sit at a barrier for a part that is shutting down.
    for (const shared of this.#splits.values()) shared.abort();
    const err = new Error("wasmbert: disposed");
    for (const t of this.#queue.splice(0)) t.reject(err);
    for (const m of this.#members) {
      if (!m.dead) m.shutdown(err);
    }
  }
}
