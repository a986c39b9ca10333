// Runs inside Chromium for js/test/shared.test.js: one model per page,
// loaded shared (through the SharedWorker) or not, driven by the test.
import { load } from "/js/index.js";

let bert = null;

window.openModel = async (options) => {
  bert = await load({ cache: false, ...options });
  document.getElementById("out").textContent = JSON.stringify(bert.info().shared ?? "not shared");
  return bert.info();
};

window.info = () => bert.info();

window.embed = async (texts) => (await bert.embed(texts)).map((v) => Array.from(v));

window.dispose = () => bert.dispose();

// A shared load aborted on its first progress event, once the SharedWorker
// is working on it; resolves to the error's name and message.
window.abortedOpen = async (options) => {
  const ac = new AbortController();
  const p = load({ cache: false, ...options, signal: ac.signal, onProgress: () => ac.abort() });
  return p.then(
    () => "loaded",
    (err) => `${err.name}: ${err.message}`,
  );
};

window.ready = true;
