// Offsets in the JS API are UTF-16 code units, so text.slice(start, end) is
// the span, on texts where UTF-8 bytes, code points and UTF-16 units differ:
// emoji (surrogate pairs), CJK and combining marks.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { byteOffsets, utf16Index } from "../offsets.js";
import { loadModel, MODEL_INT8, requireFile } from "./helpers.js";

const TEXTS = [
  "I love 😀 pizza and 🇫🇷 wine 😺!",
  "東京は日本の首都です and Tokyo is big",
  "cafe\u0301 nai\u0308ve re\u0301sume\u0301 done", // e + combining acute, i + combining diaeresis
  "mixed: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ünïcödé 中文 👩‍👩‍👧 end",
];

// The text of the UTF-8 bytes [start, end) of text: what the engine's offsets meant.
function byteSlice(text, start, end) {
  return Buffer.from(text, "utf8").subarray(start, end).toString("utf8");
}

test("byteOffsets and utf16Index are inverse on character boundaries", () => {
  for (const text of TEXTS) {
    const bytes = byteOffsets(text);
    const back = utf16Index(text);
    assert.equal(bytes[text.length], Buffer.byteLength(text));
    for (let i = 0; i <= text.length; i++) {
      if (bytes[i] < 0) {
        assert.ok(/[\uDC00-\uDFFF]/.test(text[i]), "-1 only inside a surrogate pair");
        continue;
      }
      assert.equal(back(bytes[i]), i);
      assert.equal(byteSlice(text, 0, bytes[i]), text.slice(0, i));
    }
    assert.throws(() => back(Buffer.byteLength(text) + 1), /not a character boundary/);
  }
  assert.throws(() => utf16Index("😀")(2), /not a character boundary/);
});

let bert;
before(async () => {
  await requireFile(MODEL_INT8, "./build.sh models");
  bert = await loadModel({ model: MODEL_INT8, workers: 0 });
});
after(() => bert?.dispose());

test("tokenize: offsets are UTF-16, byteOffsets UTF-8, same spans", async () => {
  for (const text of TEXTS) {
    const enc = await bert.tokenize(text);
    assert.equal(enc.offsets.length, enc.ids.length);
    let covered = 0;
    enc.offsets.forEach(([s, e], k) => {
      const [bs, be] = enc.byteOffsets[k];
      assert.equal(text.slice(s, e), byteSlice(text, bs, be), `token ${k} ${enc.tokens[k]} of ${text}`);
      if (e > s) covered++;
    });
    assert.ok(covered >= text.split(" ").length, "the words have spans");
  }
  // The emoji, a surrogate pair, is one unknown token spanning both units.
  const enc = await bert.tokenize("a 😀 b");
  const k = enc.tokens.indexOf("[UNK]");
  assert.deepEqual(enc.offsets[k], [2, 4]);
});

test("embed: token and word offsets slice the text", async () => {
  const res = await bert.embed(TEXTS, { tokens: true, words: "mean" });
  res.forEach((r, i) => {
    const text = TEXTS[i];
    for (const w of r.words) assert.equal(text.slice(w.start, w.end), w.text, `word ${w.text} of ${text}`);
    assert.ok(r.words.some((w) => /[^\x00-\x7f]/.test(w.text)), "some word is not ASCII");
    for (const t of r.tokens) assert.ok(t.start <= t.end && t.end <= text.length);
  });
  const tok = await Promise.all(TEXTS.map((t) => bert.tokenize(t)));
  res.forEach((r, i) => assert.deepEqual(r.tokens.map((t) => [t.start, t.end]), tok[i].offsets, "embed and tokenize agree"));
  // Words of the NER tagger go back to bytes for the heads module and are
  // still right: ner() is covered in heads.test.js.
});
