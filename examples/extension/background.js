// The service worker: routes the toolbar button to the page's content
// script and the page's text to the offscreen document, which holds the
// model. The engine does not run here: a service worker has no Worker
// constructor and is stopped when idle, which would drop the model; an
// offscreen document (reason WORKERS) lives on and may start workers.

chrome.action.onClicked.addListener((tab) => {
  rankTab(tab.id).catch((err) => console.error(`wasmbert: ${err.message}`));
});

/**
 * Ranks the paragraphs of the page in tab by similarity to its selection
 * (or title), marks the best ones in the page and resolves to
 * {query, texts, hits}.
 */
async function rankTab(tabId) {
  const page = await chrome.tabs.sendMessage(tabId, { type: "wasmbert:collect" });
  if (!page?.texts?.length) throw new Error("no paragraphs of text in this page");
  await ensureOffscreen();
  const res = await chrome.runtime.sendMessage({ target: "offscreen", type: "rank", query: page.query, texts: page.texts, k: 3 });
  if (!res?.ok) throw new Error(res?.error ?? "the offscreen document did not answer");
  await chrome.tabs.sendMessage(tabId, { type: "wasmbert:show", hits: res.hits });
  return { query: page.query, texts: page.texts, hits: res.hits };
}
// What the toolbar button does, callable by js/test/extension.test.js.
globalThis.rankTab = rankTab;

let creating = null;

async function ensureOffscreen() {
  if (await chrome.offscreen.hasDocument()) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: "offscreen.html",
      reasons: [chrome.offscreen.Reason.WORKERS],
      justification: "runs the wasmbert engine (WebAssembly in a worker) and keeps the model loaded between requests",
    })
    .finally(() => (creating = null));
  await creating;
}
