// The page's pure helpers, in Node (no browser needed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { chineseCoverage } from "../app/chinese.js";
import { wordSpan } from "../app/contextual.js";
import { parseExamples, parseSentiment } from "../app/data.js";
import { formatBytes, formatScore } from "../app/format.js";
import { cosineMatrix } from "../app/matrix.js";
import { mentionVector, parseMentions } from "../app/mentions.js";
import { cosineColour } from "../app/svg.js";
import { explained } from "../app/variance.js";
import { markedSentences } from "../build.mjs";

test("wordSpan: UTF-16 span of the first whole-word match", () => {
  const cases = [
    { s: "the bank is open", w: "bank", want: { start: 4, end: 8 } },
    { s: "Bank holidays", w: "bank", want: { start: 0, end: 4 } },
    { s: "banking, then bank.", w: "bank", want: { start: 14, end: 18 } },
    { s: "Ünïcödé bank", w: "bank", want: { start: 8, end: 12 } }, // 7 one-unit letters and a space before
    { s: "🤖 café au lait", w: "café", want: { start: 3, end: 7 } }, // the emoji is a surrogate pair
    { s: "a (c++) b", w: "c++", want: { start: 3, end: 6 } },
    { s: "riverbank only", w: "bank", want: null },
  ];
  for (const c of cases) {
    const got = wordSpan(c.s, c.w);
    assert.deepEqual(got, c.want, `${c.w} in ${c.s}`);
    if (got) assert.equal(c.s.slice(got.start, got.end).toLowerCase(), c.w, "slice() gives the word");
  }
});

test("parseExamples: label: text lines, errors name the line", () => {
  assert.deepEqual(parseExamples("a: one\n\nb:two: three\n"), [
    { label: "a", text: "one" },
    { label: "b", text: "two: three" },
  ]);
  const bad = [
    ["a: one\nno colon", /line 2/],
    ["a: one\n: text", /line 2/],
    ["a: one\nb:   ", /line 2/],
    ["a: one\na: two", /two labels/],
    ["", /two labels/],
  ];
  for (const [input, err] of bad) assert.throws(() => parseExamples(input), err, JSON.stringify(input));
  // Lines added to a training set of its own may be empty or of one label.
  assert.deepEqual(parseExamples("", { minLabels: 0 }), []);
  assert.deepEqual(parseExamples("a: one", { minLabels: 0 }), [{ label: "a", text: "one" }]);
  assert.throws(() => parseExamples("no colon", { minLabels: 0 }), /line 1/);
});

test("parseSentiment: set, label and text columns; comments skipped; a short line named", () => {
  assert.deepEqual(parseSentiment("# note\ntrain\tpositive\tGreat.\n\nheldout\tnegative\tBad, really.\n"), [
    { set: "train", label: "positive", text: "Great." },
    { set: "heldout", label: "negative", text: "Bad, really." },
  ]);
  assert.throws(() => parseSentiment("train\tpositive\tok\ntrain\tnegative"), /sentiment.tsv:2: want 3/);
});

test("formatBytes and formatScore", () => {
  const cases = [
    [0, "0 B"],
    [999, "999 B"],
    [23917952, "23.9 MB"],
    [91165632, "91.2 MB"],
    [2.5e9, "2.5 GB"],
  ];
  for (const [n, want] of cases) assert.equal(formatBytes(n), want);
  assert.equal(formatScore(-0.1234), "−0.123");
  assert.equal(formatScore(0.456, 2), "0.46");
});

test("cosineMatrix: symmetric, unit diagonal, zero vector gives 0", () => {
  const v = [Float32Array.of(1, 0), Float32Array.of(1, 1), Float32Array.of(0, 0), Float32Array.of(-2, 0)];
  const m = cosineMatrix(v);
  for (let i = 0; i < v.length; i++) for (let j = 0; j < v.length; j++) assert.equal(m[i][j], m[j][i]);
  assert.equal(m[0][0], 1);
  assert.ok(Math.abs(m[0][1] - Math.SQRT1_2) < 1e-7);
  assert.equal(m[0][2], 0);
  assert.equal(m[0][3], -1);
});

test("cosineColour: text stays readable on every fill", () => {
  const lum = (c) => {
    const [r, g, b] = c.match(/\d+/g).map((x) => {
      const s = Number(x) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  for (let x = -1; x <= 1.0001; x += 0.05) {
    const { fill, ink } = cosineColour(x);
    const [a, b] = [lum(fill), lum(ink === "#fff" ? "rgb(255,255,255)" : "rgb(0,0,0)")].sort((p, q) => q - p);
    const contrast = (a + 0.05) / (b + 0.05);
    assert.ok(contrast >= 4.5, `cosine ${x.toFixed(2)}: contrast ${contrast.toFixed(2)} of ${ink} on ${fill}`);
  }
});

test("markedSentences: [text](LABEL) marks become code point spans", () => {
  const got = markedSentences("# comment\n\n[Omar](PER) walked 🐕 in [Kyōto](LOC).\nno entities 😀\n").map((l) => JSON.parse(l));
  assert.deepEqual(got, [
    { text: "Omar walked 🐕 in Kyōto.", spans: [{ start: 0, end: 4, label: "PER" }, { start: 17, end: 22, label: "LOC" }] },
    { text: "no entities 😀", spans: [] },
  ]);
  assert.throws(() => markedSentences("a [b](PERSON) c", "x.txt"), /x\.txt:1: bad entity mark/);
});

test("explained: share of total variance along each projected axis", () => {
  // Points on the x axis only: the first coordinate holds all the variance.
  const vectors = [Float32Array.of(-1, 0, 0), Float32Array.of(1, 0, 0), Float32Array.of(3, 0, 0)];
  assert.deepEqual(explained(vectors, vectors.map((v) => [v[0], v[1]])), [1, 0]);
  // Variance 8/3 along x, 2/3 along y: 80 % and 20 %.
  const xy = [Float32Array.of(-2, -1), Float32Array.of(0, 0), Float32Array.of(2, 1)];
  const [a, b] = explained(xy, xy.map((v) => [v[0], v[1]]));
  assert.ok(Math.abs(a - 0.8) < 1e-12 && Math.abs(b - 0.2) < 1e-12, `${a}, ${b}`);
});

test("parseMentions: [bracketed] mentions, their string index in the plain text", () => {
  assert.deepEqual(parseMentions("[Apple] and [São Paulo] 😀 [Apple]."), {
    text: "Apple and São Paulo 😀 Apple.",
    mentions: [
      { name: "Apple", start: 0 },
      { name: "São Paulo", start: 10 },
      { name: "Apple", start: 23 },
    ],
  });
  assert.deepEqual(parseMentions("no mentions"), { text: "no mentions", mentions: [] });
});

test("mentionVector: mean of the words spelling the mention, its k-th occurrence; unknown words are an error", () => {
  const w = (text, ...v) => ({ text, vector: Float32Array.from(v) });
  const words = [w("Apple", 1, 0), w("met", 0, 0), w("New", 2, 2), w("York", 4, 0), w("and", 0, 0), w("Apple", 0, 3)];
  const text = "Apple met New York and Apple";
  const { mentions } = parseMentions("[Apple] met [New York] and [Apple]");
  assert.deepEqual([...mentionVector(words, text, mentions[0])], [1, 0]);
  assert.deepEqual([...mentionVector(words, text, mentions[1])], [3, 1]);
  assert.deepEqual([...mentionVector(words, text, mentions[2])], [0, 3]);
  assert.throws(() => mentionVector(words, text, { name: "Rome", start: 0 }), /Rome/);
});

test("chineseCoverage: reads Chinese with a piece per character or word, not with [UNK]s or byte pieces", () => {
  // Encodings as the library returns them: special tokens have word id -1.
  const enc = (tokens) => ({ tokens, wordIds: tokens.map((t, i) => (/^(\[CLS\]|\[SEP\]|<s>|<\/s>)$/.test(t) ? -1 : i)) });
  const cases = [
    { name: "English WordPiece", tokens: ["[CLS]", "我", "[UNK]", "[UNK]", "[UNK]", "[SEP]"], reads: false, unknown: 3 },
    { name: "Chinese WordPiece", tokens: ["[CLS]", "我", "想", "退", "款", "[SEP]"], reads: true, unknown: 0 },
    { name: "multilingual Unigram", tokens: ["<s>", "▁我想", "退款", "</s>"], reads: true, unknown: 0 },
    { name: "English byte-level BPE", tokens: ["<s>", "æĪ", "ĳ", "æĥ", "³", "éĢ", "Ģ", "æ¬", "¾", "</s>"], reads: false, unknown: 0 },
    { name: "Unigram with <unk>", tokens: ["<s>", "▁我", "<unk>", "退款", "</s>"], reads: false, unknown: 1 },
  ];
  for (const c of cases) {
    const got = chineseCoverage(enc(c.tokens), "我想退款");
    assert.equal(got.reads, c.reads, c.name);
    assert.equal(got.unknown, c.unknown, c.name);
    assert.equal(got.han, 4, c.name);
  }
  assert.equal(chineseCoverage(enc(["[CLS]", "hello", "[SEP]"]), "hello").reads, false, "no Han characters: nothing to read");
});
