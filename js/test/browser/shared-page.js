// Runs inside Chromium: one Wasmbert per page loaded with load({shared}),
// kept between the test driver's calls.
import { load } from "/js/index.js";

let bert = null;

window.sharedLoad = async ({ model, name }) => {
  const events = [];
  bert = await load({ model, shared: name, cache: false, onProgress: (e) => events.push(e.phase) });
  document.getElementById("out").textContent = `shared engine "${name}" ready`;
  return { events, info: bert.info() };
};

window.sharedEmbed = async (texts) => (await bert.embed(texts)).map((v) => Array.from(v));

window.sharedDispose = () => {
  bert.dispose();
  bert = null;
};

window.ready = true;
