// What embed() and tokenize() say about the text they were given: whether a
// long text was cut (details, the once-per-load warning) and where tokens and
// words are, in the UTF-16 indices String.prototype.slice takes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { loadModel, ENGINE_WASM, MODEL_INT8, maxAbsDiff, requireFile } from "./helpers.js";

const LONG = "word ".repeat(400); // 400 tokens + [CLS] [SEP]
const SHORT = "hello world";

// Emoji (a surrogate pair, and a modifier making it two), CJK (one token per
// character), combining marks (stripped by the tokenizer, so inside a span or
// between tokens) and two-byte Latin letters.
const UNICODE = [
  "Café 👋🏽 東京 naïve",
  "x\u0301y and e\u0323\u0301 are combined, 🇫🇷 is a flag",
  "日本語のテキスト、漢字とかな。",
  "emoji🤖glued🤖to words",
];

let bert;
before(async () => {
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  await requireFile(MODEL_INT8, "./build.sh models");
  bert = await loadModel({ model: MODEL_INT8, workers: 0 });
});
after(() => bert?.dispose());

test("details: truncated, numTokens and textTokens per text", async () => {
  const [long, short] = await bert.embed([LONG, SHORT], { details: true });
  assert.deepEqual([long.truncated, long.numTokens, long.textTokens], [true, 256, 402]);
  assert.deepEqual([short.truncated, short.numTokens, short.textTokens], [false, 4, 4]);
  assert.ok(maxAbsDiff(long.vector, await bert.embed(LONG)) === 0, "details change only the shape of the result");

  const cut = await bert.embed(LONG, { details: true, maxLength: 64 });
  assert.deepEqual([cut.truncated, cut.numTokens, cut.textTokens], [true, 64, 402]);
  const chunked = await bert.embed(LONG, { details: true, chunk: true });
  assert.equal(chunked.truncated, false);
  assert.equal(chunked.textTokens, 402);
  assert.ok(chunked.numTokens > 402, `windows overlap and each has [CLS] [SEP]: ${chunked.numTokens}`);

  const tv = await bert.embed(LONG, { tokens: true });
  assert.deepEqual([tv.truncated, tv.numTokens, tv.textTokens, tv.tokens.length], [true, 256, 402, 256]);
  await assert.rejects(bert.similarity("a", "b", { details: true }), TypeError);
  await assert.rejects(bert.embed("a", { details: 1 }), TypeError);
});

test("info() is camelCase; maxLength is where texts are cut", async () => {
  const info = bert.info();
  for (const k of ["maxLength", "vocabSize", "hiddenAct"]) assert.ok(k in info, k);
  for (const k of Object.keys(info)) assert.doesNotMatch(k, /_/, "one casing in the JS API");
  const { numTokens } = await bert.embed(LONG, { details: true });
  assert.equal(numTokens, info.maxLength);
});

test("details cross a worker", async () => {
  const b = await loadModel({ model: MODEL_INT8, workers: 1 });
  try {
    const got = await b.embed([SHORT, LONG], { details: true });
    assert.deepEqual(
      got.map((e) => [e.truncated, e.numTokens, e.textTokens]),
      [
        [false, 4, 4],
        [true, 256, 402],
      ],
    );
  } finally {
    b.dispose();
  }
});

test("the first truncated text of a load logs one warning", async (t) => {
  const warn = t.mock.method(console, "warn", () => {});
  const b = await loadModel({ model: MODEL_INT8, workers: 0 });
  try {
    await b.embed([SHORT, SHORT]);
    await b.embed(LONG, { details: true });
    assert.equal(warn.mock.callCount(), 0, "short texts, and details (the caller sees every cut), do not warn");
    await b.embed([SHORT, LONG]);
    assert.equal(warn.mock.callCount(), 1);
    const msg = warn.mock.calls[0].arguments[0];
    assert.match(msg, /text 1 was truncated to 256 of its 402 tokens/);
    assert.match(msg, /chunk: true/);
    await b.embed(LONG);
    await b.similarity(LONG, SHORT);
    assert.equal(warn.mock.callCount(), 1, "once per load");
  } finally {
    b.dispose();
  }
});

// The engine works in UTF-8 bytes; tokenize() gives both, so the byte spans
// decoded with TextDecoder are the independent check of the UTF-16 ones.
function sliceBytes(text, [start, end]) {
  return new TextDecoder().decode(new TextEncoder().encode(text).subarray(start, end));
}

test("token, word and tokenize offsets are UTF-16 indices", async (t) => {
  for (const text of UNICODE) {
    await t.test(text, async () => {
      const enc = await bert.tokenize(text);
      enc.offsets.forEach((span, k) => {
        assert.equal(text.slice(...span), sliceBytes(text, enc.byteOffsets[k]), `tokenize: token ${k} ${enc.tokens[k]}`);
      });
      const { tokens, words } = await bert.embed(text, { tokens: true, words: "mean" });
      assert.deepEqual(
        tokens.map((tok) => [tok.start, tok.end]),
        enc.offsets,
        "embed tokens and tokenize agree",
      );
      for (const w of words) assert.equal(text.slice(w.start, w.end), w.text, `word ${w.text}`);
      assert.ok(words.some((w) => w.end - w.start !== new TextEncoder().encode(w.text).length), "the text has multi-byte words");
    });
  }
  // Offsets written out by hand for one text: the emoji with its skin tone
  // is four UTF-16 units (and eight UTF-8 bytes), each CJK character one.
  const text = UNICODE[0];
  const { tokens } = await bert.embed(text, { tokens: true });
  assert.deepEqual(
    tokens.map((tok) => [tok.token, tok.start, tok.end]),
    [
      ["[CLS]", 0, 0],
      ["cafe", 0, 4],
      ["[UNK]", 5, 9],
      ["東", 10, 11],
      ["京", 11, 12],
      ["naive", 13, 18],
      ["[SEP]", 0, 0],
    ],
  );
});
