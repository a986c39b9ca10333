// The service worker: context-menu actions on a page's selection. It holds
// no model itself (a service worker has no Worker constructor and is stopped
// when idle, which would drop the model): the engine runs in the offscreen
// document (offscreen.html), created on first use; the page's text comes
// from the content script (content.js), which also shows the results.

const OFFSCREEN = "offscreen.html";
const MENUS = [
  { id: "similar", title: "Find passages similar to the selection" },
  { id: "classify", title: "Classify the selection's sentiment" },
];
// Under chrome.storage.local: the sentiment head trained on first use, kept so
// later classifications (and later browser sessions) skip the training.
const HEAD_KEY = "sentimentHead";

chrome.runtime.onInstalled.addListener(() => {
  for (const m of MENUS) chrome.contextMenus.create({ ...m, contexts: ["selection"] });
});

chrome.contextMenus.onClicked.addListener(({ menuItemId, selectionText }, tab) => {
  const run = menuItemId === "similar" ? findSimilar : classifySelection;
  run(tab.id, selectionText).catch((err) => show(tab.id, { type: "error", message: err.message }));
});

// The toolbar button opens the extension's own embedding page.
chrome.action.onClicked.addListener(() => {
  chrome.tabs.create({ url: chrome.runtime.getURL("embed.html") });
});

/** Ranks the passages of the page in tab tabId by similarity to query; the page highlights the top k. */
export async function findSimilar(tabId, query, k = 3) {
  const passages = await chrome.tabs.sendMessage(tabId, { type: "passages" });
  if (!passages?.length) throw new Error("wasmbert: no passages of text found on this page");
  const { hits } = await offscreen({ op: "similar", query, passages, k });
  await show(tabId, { type: "similar", query, hits });
  return hits;
}

/** Classifies text with the sentiment head (trained in the offscreen document on first use). */
export async function classifySelection(tabId, text) {
  const { [HEAD_KEY]: saved } = await chrome.storage.local.get(HEAD_KEY);
  const { prediction, head } = await offscreen({ op: "classify", text, head: saved ?? null });
  if (!saved) await chrome.storage.local.set({ [HEAD_KEY]: head });
  await show(tabId, { type: "classify", text, prediction });
  return { prediction, trained: !saved };
}

// The tests drive the same functions the menus call.
Object.assign(globalThis, { findSimilar, classifySelection });

function show(tabId, result) {
  return chrome.tabs.sendMessage(tabId, { type: "show", result });
}

let creating = null;

// One offscreen document per extension: create it unless it exists (or is being created).
async function ensureOffscreen() {
  const url = chrome.runtime.getURL(OFFSCREEN);
  const open = await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"], documentUrls: [url] });
  if (open.length) return;
  creating ??= chrome.offscreen
    .createDocument({ url: OFFSCREEN, reasons: ["WORKERS"], justification: "runs the embedding engine in Web Workers" })
    .finally(() => (creating = null));
  await creating;
}

async function offscreen(request) {
  await ensureOffscreen();
  const reply = await chrome.runtime.sendMessage({ target: "offscreen", ...request });
  if (!reply) throw new Error("wasmbert: the offscreen document did not answer");
  if (reply.error) throw new Error(reply.error);
  return reply;
}
