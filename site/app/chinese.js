// Chinese examples for Similarity and Search (customer-service questions:
// a refund against "give me my money back", the weather, the stock market),
// offered only when the loaded model reads Chinese. That is decided from
// the model's own tokenizer on the examples' text: an English WordPiece
// vocabulary turns most Han characters into [UNK] (all-MiniLM-L6-v2:
// 我想退款 → 我 [UNK] [UNK] [UNK]), so every such text would score alike;
// an English byte-level BPE spells each character in two or three byte
// pieces. A Chinese or multilingual vocabulary has a piece for each
// character, or for whole words.

const REFUND = "我想退款";

/** Similarity pairs: the paraphrase first, then two unrelated texts. */
export const SIMILARITY_PAIRS = [
  [REFUND, "请把钱退给我", "refund / give me my money back"],
  [REFUND, "今天天气很好", "refund / the weather is nice"],
  [REFUND, "股市今天下跌", "refund / stocks fell today"],
];

/** Search: a question against texts of which one is its paraphrase. */
export const SEARCH_QUERY = REFUND;
export const SEARCH_DOCS = ["请把钱退给我", "今天天气很好", "股市今天下跌", "我的包裹在哪里？", "如何修改密码"];

/** Questions for the Chinese FAQ (data/faq-zh.tsv). */
export const FAQ_QUERIES = [REFUND, "我的快递到哪了", "忘记密码了怎么办"];

const HAN = /\p{Script=Han}/u;
const UNKNOWN = new Set(["[UNK]", "<unk>"]);

/**
 * Whether an encoding of a text of Han characters (and spaces) shows a
 * model that reads Chinese: no unknown token, and no more pieces than
 * characters. {reads, unknown, pieces, han}.
 */
export function chineseCoverage(encoding, text) {
  const han = [...text].filter((c) => HAN.test(c)).length;
  const pieces = encoding.tokens.filter((_, i) => encoding.wordIds[i] !== -1);
  const unknown = pieces.filter((t) => UNKNOWN.has(t)).length;
  return { reads: han > 0 && unknown === 0 && pieces.length <= han, unknown, pieces: pieces.length, han };
}

/** The Han characters of every example text, as one probe. */
function probeText() {
  const texts = [...SIMILARITY_PAIRS.flatMap(([a, b]) => [a, b]), SEARCH_QUERY, ...SEARCH_DOCS, ...FAQ_QUERIES];
  return texts.map((t) => [...t].filter((c) => HAN.test(c)).join("")).join(" ");
}

/**
 * Wires the example buttons: Similarity's fill both texts, Search's pick a
 * corpus and fill the question (and the texts). Returns show(bert), which
 * shows or flags them for a newly loaded model.
 */
export function setupChineseExamples() {
  const sim = document.getElementById("sim-zh");
  const search = document.getElementById("search-zh");
  const searchSection = document.getElementById("search");

  const button = (text, title, onClick) => {
    const b = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: text, title, lang: "zh" });
    b.addEventListener("click", onClick);
    return b;
  };
  const pickCorpus = (value) => {
    const radio = searchSection.querySelector(`input[name=corpus][value=${value}]`);
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
  };

  sim.querySelector(".examples").append(
    ...SIMILARITY_PAIRS.map(([a, b, gloss]) =>
      button(`${a} / ${b}`, gloss, () => {
        document.getElementById("sim-a").value = a;
        document.getElementById("sim-b").value = b;
      }),
    ),
  );
  search.querySelector(".examples").append(
    ...FAQ_QUERIES.map((q) =>
      button(`FAQ: ${q}`, "the Chinese customer-service FAQ", () => {
        pickCorpus("faq-zh");
        document.getElementById("search-q").value = q;
      }),
    ),
    button(`${SEARCH_QUERY} in ${SEARCH_DOCS.length} texts`, "my own texts", () => {
      pickCorpus("own");
      document.getElementById("search-corpus").value = SEARCH_DOCS.join("\n");
      document.getElementById("search-q").value = SEARCH_QUERY;
    }),
  );

  return async function show(bert) {
    delete document.body.dataset.chinese;
    const probe = probeText();
    const coverage = chineseCoverage(await bert.tokenize(probe), probe);
    const refund = await bert.tokenize(REFUND);
    for (const box of [sim, search]) {
      box.querySelector(".examples").hidden = !coverage.reads;
      box.querySelector(".flag").hidden = coverage.reads;
      box.querySelector(".flag").textContent =
        `Chinese examples are hidden: this model does not read Chinese (${REFUND} → ${refund.tokens.join(" ")}; ` +
        `${coverage.unknown} of ${coverage.pieces} pieces of the examples unknown, for ${coverage.han} characters).`;
    }
    const faqChoice = searchSection.querySelector("input[name=corpus][value=faq-zh]");
    faqChoice.closest("label").hidden = !coverage.reads;
    if (!coverage.reads && faqChoice.checked) pickCorpus("faq");
    document.body.dataset.chinese = String(coverage.reads);
  };
}
