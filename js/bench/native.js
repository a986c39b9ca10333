// native.js measures the wasmbert CLI, the native counterpart of Transformers.js
// on onnxruntime-node. It runs the CLI as a child: texts on stdin, one per line;
// one {"embedding":[...]} per output line (`wasmbert embed -m MODEL < lines`).
// Threads = GOMAXPROCS. The command is a template so it can follow the CLI's flags:
//
//   WASMBERT_EMBED_CMD='dist/bin/wasmbert embed -m {model}'
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { paths } from './paths.js';
import { cosine, quantile } from './workload.js';

export const EMBED_CMD = process.env.WASMBERT_EMBED_CMD ?? 'dist/bin/wasmbert embed -m {model}';

/** nativeWasmbert: o = {precision, threads, limit, iterations, timeoutMs}, data as in workload.js. */
export async function nativeWasmbert(o, data) {
  const model = paths.wbm(o.precision);
  const argv = EMBED_CMD.replace('{model}', model).replace('{threads}', String(o.threads)).split(/\s+/);
  if (!existsSync(path.resolve(paths.root, argv[0]))) return { error: `missing ${argv[0]} (go build -o dist/bin/wasmbert ./cmd/wasmbert)` };
  const env = { ...process.env, GOMAXPROCS: String(o.threads) };
  const embed = (texts) => cli(argv, texts, env, o.timeoutMs);

  // Every call is a process: the latency includes reading the model file.
  const first = await embed([data.singles['8']]);
  const out = { cold_start_uncached_ms: first.ms, cold_start_cached_ms: (await embed([data.singles['8']])).ms };
  for (const [k, text] of Object.entries(data.singles)) {
    const ms = [];
    for (let i = 0; i < Math.min(o.iterations, 5); i++) ms.push((await embed([text])).ms);
    out[`p50_ms_${k}tok`] = quantile(ms, 0.5);
    out[`p95_ms_${k}tok`] = quantile(ms, 0.95);
  }
  const corpus = data.corpus.slice(0, o.limit);
  const all = await embed(corpus);
  out.throughput_tps = Math.round((corpus.length / ((all.ms - first.ms) / 1000)) * 100) / 100;
  out.throughput_texts = corpus.length;
  out.throughput_note = 'one process over the texts, minus the one-text process time (model load)';
  const refs = data.reference.embeddings;
  const got = (await embed(refs.map((r) => (r.single ? data.singles[r.single] : data.corpus[r.id])))).vectors;
  const cos = refs.map((r, i) => cosine(got[i], r.embedding));
  out.cosine_to_reference = Math.round((cos.reduce((a, b) => a + b, 0) / cos.length) * 1e6) / 1e6;
  out.cosine_to_reference_min = Math.round(Math.min(...cos) * 1e6) / 1e6;
  out.peak_memory_bytes = all.maxRSS;
  out.peak_memory_kind = 'maxRSS of the CLI (from /usr/bin/time)';
  return out;
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
