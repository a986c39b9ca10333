// The split's exchange without shared memory (a browser page that is not
// crossOriginIsolated): every pair of parts of a split call gets a
// MessageChannel, and a part sends its rows of each gather to every other
// part and waits for theirs. Go cannot block a worker's thread here, so the
// exchange function returns a Promise that Go awaits (wasm/split.go); while
// it waits, the worker's event loop runs and takes the messages in. Ports
// are made per call, so an aborted call's stragglers reach nobody.

export const ABORTED = "wasmbert: split call aborted (a worker failed or the pool was disposed)";

/** The main thread's side: the ports of one split call at a time. */
export class MessagePorts {
  #controls = [];

  /** Per part: what its embedPart call gets, and the ports to transfer with it. */
  parts(count) {
    const peers = Array.from({ length: count }, () => new Array(count).fill(null));
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        const c = new MessageChannel();
        peers[i][j] = c.port1;
        peers[j][i] = c.port2;
      }
    }
    const controls = Array.from({ length: count }, () => new MessageChannel());
    this.#controls = controls.map((c) => c.port1);
    return peers.map((ports, i) => ({
      part: { ports, control: controls[i].port2 },
      transfer: [...ports.filter(Boolean), controls[i].port2],
    }));
  }

  /** Tells every part of the running call to give up waiting. */
  abort() {
    for (const c of this.#controls) {
      c.postMessage("abort");
      c.close();
    }
    this.#controls = [];
  }
}

/**
 * The worker's side: the exchange function the Go engine calls once per
 * gather, resolving to "" once the other parts' rows are in memory, or to
 * why the call failed. close() releases the ports when the call is over.
 */
export function portExchange(memory, { ports, control, timeoutMs }) {
  const inbox = new Map(); // gather number → messages from the others
  let wake = null; // the pending gather's check, run as messages come
  let failed = "";
  const fail = (why) => {
    failed ||= why;
    wake?.();
  };
  const peers = ports.filter(Boolean);
  for (const p of peers) {
    p.onmessage = ({ data }) => {
      const got = inbox.get(data.gather) ?? [];
      got.push(data);
      inbox.set(data.gather, got);
      wake?.();
    };
  }
  control.onmessage = () => fail(ABORTED);
  let gathers = 0;
  const gather = (ptr, length, width, lo, hi) => {
    const g = ++gathers;
    const rows = new Float32Array(memory().buffer, ptr + 4 * lo * width, (hi - lo) * width).slice();
    for (const p of peers) p.postMessage({ gather: g, lo: lo * width, rows });
    return new Promise((resolve) => {
      const timer = setTimeout(() => fail(`wasmbert: split call: a worker did not send its rows within ${timeoutMs} ms`), timeoutMs);
      wake = () => {
        const got = inbox.get(g) ?? [];
        if (!failed && got.length < peers.length) return;
        clearTimeout(timer);
        wake = null;
        inbox.delete(g);
        if (!failed) {
          const mem = new Float32Array(memory().buffer, ptr, length);
          for (const m of got) mem.set(m.rows, m.lo);
        }
        resolve(failed);
      };
      wake();
    });
  };
  gather.close = () => {
    for (const p of [...peers, control]) p.close();
  };
  return gather;
}
