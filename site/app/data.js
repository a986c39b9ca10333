// The demo data sets, copied into the site by build.mjs from the Go
// packages' test data: the FAQ (question<TAB>answer) and the intents
// (label<TAB>text); the site's own product catalogue (name<TAB>description),
// sentiment reviews (set<TAB>label<TAB>text) and Chinese FAQ; and the
// labelled examples typed in the page.

const cache = new Map();

function fetchText(path) {
  if (!cache.has(path)) {
    cache.set(
      path,
      fetch(path).then((r) => {
        if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
        return r.text();
      }),
    );
  }
  return cache.get(path);
}

function tsv(text, path, columns = 2) {
  return text
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l, i) => {
      const cols = l.split("\t");
      if (cols.length < columns) throw new Error(`${path}:${i + 1}: want ${columns} tab-separated columns`);
      return cols;
    });
}

/** [{question, answer}] */
export async function faqEntries() {
  return tsv(await fetchText("data/faq.tsv"), "faq.tsv").map(([question, answer]) => ({ question, answer }));
}

/** [{question, answer}]: the Chinese customer-service FAQ written for the demo. */
export async function chineseFaqEntries() {
  return tsv(await fetchText("data/faq-zh.tsv"), "faq-zh.tsv").map(([question, answer]) => ({ question, answer }));
}

/** [{label, text}] */
export async function intents() {
  return tsv(await fetchText("data/intents.tsv"), "intents.tsv").map(([label, text]) => ({ label, text }));
}

/** [{name, description}]: the demo's product catalogue. */
export async function products() {
  return tsv(await fetchText("data/products.tsv"), "products.tsv").map(([name, description]) => ({ name, description }));
}

/** [{set, label, text}]: the sentiment reviews written for the demo; set is "train" or "heldout". */
export async function sentimentReviews() {
  return parseSentiment(await fetchText("data/sentiment.tsv"));
}

/** Parses sentiment.tsv's text (also used by the Node test that measures the head). */
export function parseSentiment(text) {
  return tsv(text, "sentiment.tsv", 3).map(([set, label, text]) => ({ set, label, text }));
}

/** The first n examples of each label, in file order of first appearance. */
export function perLabel(examples, n) {
  const count = new Map();
  return examples.filter((e) => {
    const c = count.get(e.label) ?? 0;
    count.set(e.label, c + 1);
    return c < n;
  });
}

/** Parses "label: text" lines; at least minLabels labels are needed. */
export function parseExamples(text, { minLabels = 2 } = {}) {
  const out = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const k = line.indexOf(":");
    if (k <= 0 || !line.slice(k + 1).trim()) throw new Error(`Example line ${i + 1}: write it as "label: text".`);
    out.push({ label: line.slice(0, k).trim(), text: line.slice(k + 1).trim() });
  });
  if (new Set(out.map((e) => e.label)).size < minLabels) throw new Error("Give examples of at least two labels.");
  return out;
}
