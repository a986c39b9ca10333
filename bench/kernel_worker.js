// kernel_worker.js runs the Go kernel test binary (go test -c, js/wasm) in a
// dedicated worker, so that a benchmark run of many seconds does not block the
// page. The page posts {wasm, wasmExec, argv}; the worker posts every line Go
// writes ({line}) and then {exit} with the exit code, or {error}.
self.onmessage = async (e) => {
  const { wasm, wasmExec, argv } = e.data;
  try {
    // wasm_exec.js sends Go's stdout and stderr, a line at a time, to
    // console.log; the page logs each line once, in its own console.
    console.log = (...args) => self.postMessage({ line: args.join(' ') });
    importScripts(wasmExec);
    const go = new Go();
    go.argv = argv;
    let exit = null;
    go.exit = (code) => (exit = code);
    const { instance } = await WebAssembly.instantiateStreaming(fetch(wasm), go.importObject);
    await go.run(instance);
    self.postMessage({ exit });
  } catch (err) {
    self.postMessage({ error: String(err?.stack ?? err) });
  }
};
