// The content script: hands the page's text to the extension and marks the
// paragraphs it ranked. It computes nothing itself, so pages where the
// button is never pressed pay only for this listener.

let found = []; // the elements whose text was last collected, by index

chrome.runtime.onMessage.addListener((msg, _sender, reply) => {
  if (msg?.type === "wasmbert:collect") reply(collect());
  if (msg?.type === "wasmbert:show") reply(show(msg.hits));
  return false;
});

// Block-level text of at least a few words, at most 200 pieces: the query is
// the selection, or the title when nothing is selected.
function collect() {
  found = [...document.querySelectorAll("p, li, blockquote, dd, td, h1, h2, h3")]
    .map((el) => ({ el, text: el.innerText.replace(/\s+/g, " ").trim() }))
    .filter(({ text }) => text.length >= 20)
    .slice(0, 200);
  const query = String(window.getSelection() ?? "").trim() || document.title;
  return { query, texts: found.map(({ text }) => text) };
}

function show(hits) {
  for (const { el } of found) {
    el.style.outline = "";
    delete el.dataset.wasmbertScore;
  }
  hits.forEach(({ index, score }, rank) => {
    const el = found[index]?.el;
    if (!el) return;
    el.style.outline = `${3 - rank}px solid #2a7`;
    el.dataset.wasmbertScore = score.toFixed(4);
  });
  found[hits[0]?.index]?.el.scrollIntoView({ block: "center" });
  return true;
}
