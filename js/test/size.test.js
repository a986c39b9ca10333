// The engine's download budgets. wasmbert.wasm, the core every WordPiece
// (BERT) model loads, stays within 2.5 MB raw and 0.8 MB gzip (a Go hello
// world is 2.45 MB / 0.7 MB). wasmbert-families.wasm, fetched only for a
// model whose tokenizer is byte-level BPE (RoBERTa) or SentencePiece Unigram
// (XLM-R), or XLNet, adds those tokenizers, their Unicode normalizers and the
// XLNet encoder: about 335 kB raw / 118 kB gzip more, held to 2.85 MB / 0.91 MB. What keeps them
// there is in docs/design.md, "Engine size"; this test says when a change
// breaks either.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { ENGINE_DIR, requireFile } from "./helpers.js";

const BUDGETS = [
  { file: "wasmbert.wasm", maxRaw: 2_500_000, maxGzip: 800_000 },
  { file: "wasmbert-families.wasm", maxRaw: 2_850_000, maxGzip: 910_000 },
];

for (const { file, maxRaw, maxGzip } of BUDGETS) {
  test(`${file} fits its size budget`, async () => {
    const url = new URL(file, ENGINE_DIR);
    await requireFile(url, "./build.sh wasm");
    const bytes = await readFile(url);
    const gz = gzipSync(bytes, { level: 9 }).length;
    console.log(`# ${file} ${bytes.length} B raw, ${gz} B gzip -9`);
    assert.ok(bytes.length <= maxRaw, `${file} is ${bytes.length} B, budget ${maxRaw} B`);
    assert.ok(gz <= maxGzip, `${file} is ${gz} B gzipped, budget ${maxGzip} B`);
  });
}
