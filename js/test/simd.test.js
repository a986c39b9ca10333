// The engine must be built with WebAssembly SIMD: count the v128 instructions
// in its code by disassembling it with wabt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import wabtInit from "wabt";
import { ENGINE_WASM, requireFile } from "./helpers.js";

const SIMD_OP = /^\s*(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.\S+/;

test("engine wasm contains v128 SIMD instructions", async () => {
  await requireFile(ENGINE_WASM, "./build.sh wasm");
  const bytes = await readFile(ENGINE_WASM);
  const wabt = await wabtInit();
  const mod = wabt.readWasm(bytes, { readDebugNames: false, simd: true });
  const text = mod.toText({ foldExprs: false, inlineExport: false });
  mod.destroy();
  const counts = new Map();
  for (const line of text.split("\n")) {
    const m = SIMD_OP.exec(line);
    if (m) {
      const op = m[0].trim().split(/\s/)[0];
      counts.set(op, (counts.get(op) ?? 0) + 1);
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k}=${v}`).join(" ");
  console.log(`# ${total} SIMD instructions in ${ENGINE_WASM.pathname}: ${top}`);
  // The f32 and int8 GEMM micro-kernels alone need multiply-adds on f32x4.
  assert.ok(total > 0, "no v128 instructions: was the engine built with GOEXPERIMENT=simd?");
  assert.ok(counts.get("f32x4.mul") > 0 || counts.get("f32x4.add") > 0, "no f32x4 arithmetic");
});
