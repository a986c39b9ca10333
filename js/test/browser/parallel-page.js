// Page of parallel-browser.test.js: one load with the given parallel option,
// one text embedded, and which path ran.
import { load } from "/js/index.js";

window.run = async ({ model, text, parallel }) => {
  const bert = await load({ model, workers: 2, parallel });
  try {
    const v = await bert.embed(text);
    return { parallel: bert.info().parallel, isolated: globalThis.crossOriginIsolated === true, vector: Array.from(v) };
  } finally {
    bert.dispose();
  }
};
window.ready = true;
