// kernel.js times one MatMul (128x384 · 384x1536, the MiniLM intermediate layer
// at 128 tokens) on onnxruntime-web 1.30 in Node, in a fresh process per thread
// count because ort-web fixes its thread pool at first use. The model is the
// fp32 MatMul, or with "model":"int8" the same MatMul through quantize_dynamic
// (DynamicQuantizeLinear + MatMulInteger + Cast + Mul, bench/make_matmul_int8.py),
// what each MatMul of a Transformers.js q8 file runs.
//
//   node bench/kernel.js '{"threads":2,"iterations":50,"model":"int8"}'
//
// The wasmbert side of this row is the Go kernel benchmark under wasm; see
// GO_KERNEL_COMMAND, which run.js executes and parses.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { paths } from './paths.js';
import { quantile } from './workload.js';

export const SHAPE = { m: 128, k: 384, n: 1536 };
// MODELS names the onnxruntime-web graphs of the kernel row, by cfg.model.
export const MODELS = {
  fp32: { file: paths.matmul, label: 'MatMul' },
  int8: { file: paths.matmulInt8, label: 'MatMulInteger (DynamicQuantizeLinear + MatMulInteger + Cast + Mul)' },
};
export const GO_KERNEL_COMMAND =
  // GOTOOLCHAIN is exported so that `go env GOROOT` names the same toolchain's wasm runner.
  'export GOTOOLCHAIN=go1.27.3; GOOS=js GOARCH=wasm GOEXPERIMENT=simd go test -run "^$" -bench "^BenchmarkLinear$/^(f32|int8)/128x384x1536$" -benchtime 200x -exec "$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./model/kernel/';

async function main() {
  const cfg = JSON.parse(process.argv[2] ?? '{}');
  const ort = await import('onnxruntime-web'); // top-level 1.30.0
  ort.env.wasm.numThreads = cfg.threads ?? 1;
  const model = MODELS[cfg.model ?? 'fp32'];
  if (!model) throw new Error(`unknown model ${cfg.model}: want ${Object.keys(MODELS).join(' or ')}`);
  const session = await ort.InferenceSession.create(readFileSync(model.file), { executionProviders: ['wasm'] });
  const x = new ort.Tensor('float32', Float32Array.from({ length: SHAPE.m * SHAPE.k }, (_, i) => Math.sin(i)), [SHAPE.m, SHAPE.k]);
  for (let i = 0; i < 5; i++) await session.run({ x });
  const ms = [];
  for (let i = 0; i < (cfg.iterations ?? 50); i++) {
    const t = performance.now();
    await session.run({ x });
    ms.push(performance.now() - t);
  }
  const p50 = quantile(ms, 0.5);
  const flop = 2 * SHAPE.m * SHAPE.k * SHAPE.n;
  process.stdout.write(JSON.stringify({ p50_ms: round(p50), p95_ms: round(quantile(ms, 0.95)), gflops: round(flop / p50 / 1e6), ort_web: ort.env.versions?.web ?? null }) + '\n');
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stdout.write(JSON.stringify({ error: String(err?.stack ?? err) }) + '\n');
      process.exit(1);
    },
  );
}
