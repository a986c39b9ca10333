// Starting a Go WebAssembly program and receiving its API: the one place
// that knows the handshake and the wasm_exec.js internals it must touch,
// for the engine (engine.js) and the heads module (heads.js).
//
// Handshake: the program gets the name of a fresh global property holding a
// callback, as argv[1] (the heads module) and in globalThis.__wasmbertStarting
// while go.run() starts it (the engine: reading argv or the environment would
// link package os or syscall into it, 80 or 21 kB of wasm); it calls the
// callback once with its API object and then serves calls until exit(). A
// unique name per instance lets several instances share one global scope.

let nextId = 0;

/**
 * Instantiates module under a new globalThis.Go, runs it and waits for its
 * API. Resolves to {api, exited, failure}: exited resolves when the program
 * ends, failure() is then the Error saying how ("<label> exited" or
 * "<label> crashed: ...") and null before; memory() is the instance's
 * linear memory (it is replaced when it grows, so ask each time).
 */
export async function startGo(module, label) {
  const go = new globalThis.Go();
  const name = `__wasmbert_${label.replace(/\W/g, "_")}_${Date.now().toString(36)}_${nextId++}`;
  const ready = new Promise((resolve) => {
    globalThis[name] = resolve;
  });
  go.argv = [label, name];
  // Timers the Go scheduler set before exit would fire into a finished
  // program ("Go program has already exited", or wasm_exec.js's retry loop).
  go.exit = (code) => {
    for (const t of go._scheduledTimeouts.values()) clearTimeout(t);
    go._scheduledTimeouts.clear();
    if (code !== 0) console.warn(`wasmbert: ${label} exit code ${code}`);
  };
  const instance = await WebAssembly.instantiate(module, go.importObject);
  let failure = null;
  // go.run runs main up to its first wait before it returns, and the engine
  // reads the name first: the slot is free again for the next instance.
  globalThis.__wasmbertStarting = name;
  const run = go.run(instance); // async: never throws
  delete globalThis.__wasmbertStarting;
  const exited = run.then(
    () => {
      failure = new Error(`wasmbert: ${label} exited`);
    },
    (err) => {
      failure = new Error(`wasmbert: ${label} crashed: ${err?.message ?? err}`);
    },
  );
  try {
    const api = await Promise.race([ready, exited.then(() => Promise.reject(failure))]);
    return { api, exited, failure: () => failure, memory: () => instance.exports.mem };
  } finally {
    delete globalThis[name];
  }
}
