// The engine's download budget: 2.80 MB raw and 0.90 MB gzip for wasmbert.wasm
// (a Go hello world is 2.45 MB / 0.7 MB; the BPE and Unigram tokenizers of the
// RoBERTa and XLM-R families, then the NFKD, StripAccents and Lowercase normalizers,
// then the XLNet encoder, took it from 2.50 / 0.78 MB). What keeps it there is in
// docs/design.md, "Engine size"; this test says when a change breaks it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { ENGINE_WASM, requireFile } from "./helpers.js";

const MAX_RAW = 2_800_000;
const MAX_GZIP = 900_000;

test("engine wasm fits its size budget", async () => {
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  const bytes = await readFile(ENGINE_WASM);
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`# engine wasm ${bytes.length} B raw, ${gz} B gzip -9`);
  assert.ok(bytes.length <= MAX_RAW, `engine wasm is ${bytes.length} B, budget ${MAX_RAW} B`);
  assert.ok(gz <= MAX_GZIP, `engine wasm is ${gz} B gzipped, budget ${MAX_GZIP} B`);
});
