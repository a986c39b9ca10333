// native.js measures the wasmbert CLI, the native counterpart of Transformers.js
// on onnxruntime-node. Latency, throughput and peak memory come from one
// `wasmbert bench --json` process, which loads the model once and measures
// in-process, as node_child.js does for onnxruntime-node; the same corpus, single
// texts, batch size and iterations as workload.js. Cold start and fidelity use
// `wasmbert embed`: texts on stdin, one {"embedding":[...]} per output line.
// Threads = the bench's goroutines and GOMAXPROCS. The commands are templates so
// they can follow the CLI's flags:
//
//   WASMBERT_EMBED_CMD='dist/bin/wasmbert embed -m {model}'
//   WASMBERT_BENCH_CMD='dist/bin/wasmbert bench -m {model} --json --threads {threads} ...'
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { paths } from './paths.js';
import { BATCH, cosine } from './workload.js';

export const EMBED_CMD = process.env.WASMBERT_EMBED_CMD ?? 'dist/bin/wasmbert embed -m {model}';
export const BENCH_CMD =
  process.env.WASMBERT_BENCH_CMD ??
  'dist/bin/wasmbert bench -m {model} --json --threads {threads} --iterations {iterations} --texts {limit} --batch {batch} ' +
    '--corpus bench/corpus.jsonl --singles bench/single_texts.json';

/** nativeWasmbert: o = {precision, threads, limit, iterations, timeoutMs}, data as in workload.js. */
export async function nativeWasmbert(o, data) {
  const vars = { model: paths.wbm(o.precision), threads: o.threads, iterations: o.iterations, limit: o.limit, batch: BATCH };
  const argv = (cmd) => cmd.split(/\s+/).map((w) => w.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)));
  const embedArgv = argv(EMBED_CMD);
  if (!existsSync(path.resolve(paths.root, embedArgv[0]))) return { error: `missing ${embedArgv[0]} (go build -o dist/bin/wasmbert ./cmd/wasmbert)` };
  const env = { ...process.env, GOMAXPROCS: String(o.threads) };
  const embed = (texts) => cli(embedArgv, texts, env, o.timeoutMs);

  // A process from start to the vector of one text: what a cold start costs.
  const first = await embed([data.singles['8']]);
  const out = { cold_start_uncached_ms: first.ms, cold_start_cached_ms: (await embed([data.singles['8']])).ms };

  const b = JSON.parse((await run(argv(BENCH_CMD), env, o.timeoutMs)).stdout);
  out.load_ms = b.load_ms;
  for (const l of b.latency) {
    out[`p50_ms_${l.label}tok`] = l.p50_ms;
    out[`p95_ms_${l.label}tok`] = l.p95_ms;
  }
  out.throughput_tps = b.throughput.texts_per_s;
  out.throughput_tokens_per_s = b.throughput.tokens_per_s;
  out.throughput_texts = b.throughput.texts;
  out.throughput_note = `one \`wasmbert bench\` process, model loaded once: ${b.threads} goroutine(s) each embedding batches of ${b.batch}`;

  const refs = data.reference.embeddings;
  const got = (await embed(refs.map((r) => (r.single ? data.singles[r.single] : data.corpus[r.id])))).vectors;
  const cos = refs.map((r, i) => cosine(got[i], r.embedding));
  out.cosine_to_reference = Math.round((cos.reduce((a, b) => a + b, 0) / cos.length) * 1e6) / 1e6;
  out.cosine_to_reference_min = Math.round(Math.min(...cos) * 1e6) / 1e6;
  out.cosine_texts = cos.length;
  out.peak_memory_bytes = b.memory.peak_rss_bytes;
  out.peak_memory_kind = 'peak RSS (VmHWM) of the `wasmbert bench` process';
  out.go_heap_sys_bytes = b.memory.go_heap_sys_bytes;
  out.build = b.build; // GOEXPERIMENT=simd selects the AVX2 kernels
  return out;
}

// run runs argv to completion and returns its stdout; a failure carries the
// end of its stderr.
function run(argv, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0], argv.slice(1), { cwd: paths.root, env, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`${argv.slice(0, 2).join(' ')}: exit ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      resolve({ stdout });
    });
  });
}

function cli(argv, texts, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    // /usr/bin/time -f %M gives the child's peak RSS in KiB on stderr's last line.
    const useTime = existsSync('/usr/bin/time');
    const p = useTime
      ? spawn('/usr/bin/time', ['-f', '%M', ...argv], { cwd: paths.root, env, timeout: timeoutMs })
      : spawn(argv[0], argv.slice(1), { cwd: paths.root, env, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => {
      const ms = performance.now() - t;
      if (code !== 0) return reject(new Error(`${argv.join(' ')}: exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      const vectors = stdout.trim().split('\n').filter(Boolean).map(parseVector);
      if (vectors.length !== texts.length) return reject(new Error(`${argv[0]}: ${vectors.length} vectors for ${texts.length} texts`));
      const rss = useTime ? Number(stderr.trim().split('\n').pop()) * 1024 : null;
      resolve({ ms: Math.round(ms * 100) / 100, vectors, maxRSS: Number.isFinite(rss) ? rss : null });
    });
    p.stdin.end(texts.map((s) => s.replace(/\n/g, ' ')).join('\n') + '\n');
  });
}

function parseVector(line) {
  const v = JSON.parse(line);
  return Array.isArray(v) ? v : v.embedding;
}
