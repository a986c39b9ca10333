// kernel_browser.js measures the kernels in Chromium next to Node: the
// onnxruntime-web MatMul and MatMulInteger graphs of kernel.js (1 and 2
// threads) and the Go kernel
// benchmarks of model/kernel, built once as a js/wasm test binary and run both
// under Node (go_js_wasm_exec, as GO_KERNEL_COMMAND does) and in one headless
// Chromium (fresh profile, COOP/COEP, the binary in a Web Worker).
//
//   node bench/kernel_browser.js           print one JSON object
//   node bench/kernel_browser.js --write   also write docs/benchmarks-kernels.md
//
// Chromium has no per-thread CPU clock, so its Go rates are wall-clock only
// (internal/cputime reports GFLOP/cpu-s under Node alone).
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, runPage } from './browser.js';
import { MODELS, SHAPE } from './kernel.js';
import { paths } from './paths.js';
import { machine } from './report.js';
import { serve } from './server.js';

const exec = promisify(execFile);

const HELP = `usage: node bench/kernel_browser.js [--write] [--timeout SECONDS]

  --write            write docs/benchmarks-kernels.md from this run
  --timeout SECONDS  per measurement (default 600)`;

const GO_ENV = 'export GOTOOLCHAIN=go1.27.3;';
const KERNEL_DIR = path.join(paths.cache, 'kernel');
const KERNEL_WASM = path.join(KERNEL_DIR, 'kernel.test.wasm');
const BUILD_COMMAND = `${GO_ENV} GOOS=js GOARCH=wasm GOEXPERIMENT=simd go test -c -o ${path.relative(paths.root, KERNEL_WASM)} ./model/kernel/`;
const BENCHTIME = ['-test.benchtime', '200x'];
// The row kernel.js/run.js report: the MiniLM intermediate layer at 128 tokens.
const MATMUL_ARGS = ['-test.run', '^$', '-test.bench', `^BenchmarkLinear$/^(f32|int8)/${SHAPE.m}x${SHAPE.k}x${SHAPE.n}$`, ...BENCHTIME];
// Every benchmark of model/kernel, so that a new kernel shows up in the table.
const ALL_ARGS = ['-test.run', '^$', '-test.bench', '.', ...BENCHTIME];
const ORT = { threads: [1, 2], warmup: 5, iterations: 50 };
const ORT_VERSION = JSON.parse(readFileSync(path.join(paths.root, 'node_modules/onnxruntime-web/package.json'), 'utf8')).version;

/** parseBench reads the result lines of go test -bench output. */
export function parseBench(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const metrics = {};
    for (const [, v, unit] of m[3].matchAll(/([\d.e+-]+) (\S+)/g)) metrics[unit] = Number(v);
    if (metrics['ns/op'] !== undefined) out.push({ name: m[1], n: Number(m[2]), metrics });
  }
  return out;
}

async function goEnv(name) {
  const { stdout } = await exec('bash', ['-c', `${GO_ENV} go env ${name}`], { cwd: paths.root });
  return stdout.trim();
}

// buildKernelTest builds the test binary and puts wasm_exec.js of the same
// toolchain next to it, where the server can reach both.
async function buildKernelTest(goroot) {
  mkdirSync(KERNEL_DIR, { recursive: true });
  await exec('bash', ['-c', BUILD_COMMAND], { cwd: paths.root, maxBuffer: 1 << 24 });
  copyFileSync(path.join(goroot, 'lib/wasm/wasm_exec.js'), path.join(KERNEL_DIR, 'wasm_exec.js'));
}

// nodeGo runs the test binary as `go test -exec go_js_wasm_exec` would: in the
// package directory.
async function nodeGo(goroot, args, timeoutMs) {
  try {
    const { stdout } = await exec(path.join(goroot, 'lib/wasm/go_js_wasm_exec'), [KERNEL_WASM, ...args], {
      cwd: path.join(paths.root, 'model/kernel'),
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` },
      timeout: timeoutMs,
      maxBuffer: 1 << 24,
    });
    return benchResult(stdout);
  } catch (err) {
    return { error: `go_js_wasm_exec: ${err.killed ? 'timed out' : err.message.split('\n')[0]}\n${err.stdout ?? ''}` };
  }
}

async function nodeOrt(model, threads, timeoutMs) {
  try {
    const cfg = JSON.stringify({ threads, iterations: ORT.iterations, model });
    const { stdout } = await exec(process.execPath, [path.join(paths.bench, 'kernel.js'), cfg], { cwd: paths.root, timeout: timeoutMs });
    return { model, threads, ...JSON.parse(stdout.trim().split('\n').pop()) };
  } catch (err) {
    return { model, threads, error: `kernel.js: ${err.killed ? 'timed out' : err.message.split('\n')[0]}` };
  }
}

function benchResult(stdout) {
  const benchmarks = parseBench(stdout);
  if (!benchmarks.length) return { error: `no benchmark lines in the output:\n${stdout.slice(-2000)}` };
  return { benchmarks };
}

// inPage loads kernel_page.html with cfg in a new page of ctx and returns its
// window.__kernel. Console lines are echoed to stderr as progress.
function inPage(ctx, baseURL, cfg, timeoutMs) {
  const onConsole = cfg.kind === 'go' ? (line) => process.stderr.write(`  chromium: ${line}\n`) : undefined;
  return runPage(ctx, `${baseURL}/bench/kernel_page.html?cfg=${encodeURIComponent(JSON.stringify(cfg))}`, '__kernel', timeoutMs, { onConsole });
}

async function browserGo(ctx, baseURL, args, timeoutMs) {
  const rel = (f) => '/' + path.relative(paths.root, f);
  const out = await inPage(ctx, baseURL, {
    kind: 'go',
    wasm: rel(KERNEL_WASM),
    wasmExec: rel(path.join(KERNEL_DIR, 'wasm_exec.js')),
    argv: ['kernel.test', ...args],
  }, timeoutMs);
  if (out.error) return out;
  const stdout = out.lines.join('\n');
  if (out.exit !== 0) return { error: `kernel.test exited with ${out.exit}:\n${stdout.slice(-2000)}` };
  return { ...benchResult(stdout), cross_origin_isolated: out.cross_origin_isolated };
}

async function browserSide(timeoutMs) {
  const server = await serve(paths.root);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wasmbert-kernel-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const ort_web = [];
    // A page per graph and thread count: onnxruntime-web fixes its thread
    // pool at first use.
    for (const [model, { file, label }] of Object.entries(MODELS)) {
      for (const threads of ORT.threads) {
        log(`chromium onnxruntime-web ${label} threads=${threads}`);
        const cfg = {
          kind: 'ort',
          threads,
          warmup: ORT.warmup,
          iterations: ORT.iterations,
          shape: SHAPE,
          model: '/' + path.relative(paths.root, file),
          ortDir: '/node_modules/onnxruntime-web/dist/',
        };
        ort_web.push({ model, threads, ...(await inPage(ctx, server.url, cfg, timeoutMs)) });
      }
    }
    log('chromium Go kernel', MATMUL_ARGS.join(' '));
    const go_kernel = await browserGo(ctx, server.url, MATMUL_ARGS, timeoutMs);
    log('chromium Go kernel', ALL_ARGS.join(' '));
    const all = await browserGo(ctx, server.url, ALL_ARGS, timeoutMs);
    return { version: ctx.browser()?.version() ?? null, ort_web, go_kernel, all };
  } finally {
    await ctx.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// kernelTable joins the Node and Chromium runs of every Go benchmark. The rate
// is whatever per-second metric the benchmark reports (GFLOP/s, Melem/s).
function kernelTable(node, browser) {
  const byName = (r) => new Map((r.benchmarks ?? []).map((b) => [b.name, b]));
  const n = byName(node);
  const c = byName(browser);
  const names = [...new Set([...n.keys(), ...c.keys()])];
  return names.map((name) => {
    const metrics = (n.get(name) ?? c.get(name)).metrics;
    const unit = Object.keys(metrics).find((u) => u.endsWith('/s') && !u.includes('cpu-s')) ?? null;
    const cpuUnit = unit?.replace(/\/s$/, '/cpu-s');
    const side = (b) => b && { ns_per_op: b.metrics['ns/op'], rate: unit ? b.metrics[unit] : null, rate_per_cpu_s: b.metrics[cpuUnit] ?? null };
    return { name, unit, node: side(n.get(name)), chromium: side(c.get(name)) };
  });
}

function markdown(doc) {
  const f = (x, d = 2) => (x == null ? '—' : x.toFixed(d));
  const lines = [
    '# Kernel benchmarks: Node and Chromium',
    '',
    `Generated by \`${doc.command}\` on ${doc.date}; do not edit by hand.`,
    '',
    `Machine: ${doc.machine.cpu}, ${doc.machine.cores} cores, ${doc.machine.memory_gib} GiB, ${doc.machine.os}. ` +
      `Node ${doc.machine.node}, Chromium ${doc.chromium.version ?? 'unknown'} (headless, ${CHROMIUM}), ${doc.go}, onnxruntime-web ${doc.ort_web_version}. ` +
      `Load average (1, 5, 15 min) ${doc.load_average.start.join(' / ')} at the start, ${doc.load_average.end.join(' / ')} at the end ` +
      `(${doc.machine.cores} cores, shared with other jobs).`,
    '',
    '## Go kernels (model/kernel, wasm SIMD, one thread)',
    '',
    'Every benchmark of `model/kernel`, the same test binary in both runtimes, 200 iterations each. ' +
      'The rate is the one the benchmark reports: GFLOP/s for Linear (`rows x in x out`) and Attention, ' +
      'millions of elements per second for LayerNorm, GELU and Softmax. "per CPU-s" divides by the CPU time of the ' +
      "thread running Go (Node only: a page cannot read its thread's CPU time), so it is the least load-sensitive column; " +
      'compare Chromium with the Node wall-clock column.',
    '',
    '| benchmark | unit | Node µs/op | Node | Node per CPU-s | Chromium µs/op | Chromium | Chromium / Node |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of doc.kernels) {
    const ratio = r.node?.rate && r.chromium?.rate ? f(r.chromium.rate / r.node.rate) : '—';
    lines.push(
      `| ${r.name.replace(/^Benchmark/, '')} | ${r.unit ?? '—'} | ${f(r.node && r.node.ns_per_op / 1e3, 1)} | ${f(r.node?.rate)} | ${f(r.node?.rate_per_cpu_s)} | ` +
        `${f(r.chromium && r.chromium.ns_per_op / 1e3, 1)} | ${f(r.chromium?.rate)} | ${ratio} |`,
    );
  }
  lines.push(
    '',
    `## MatMul ${SHAPE.m}×${SHAPE.k} · ${SHAPE.k}×${SHAPE.n} (the MiniLM intermediate layer at 128 tokens)`,
    '',
    `onnxruntime-web: p50 of ${ORT.iterations} runs after ${ORT.warmup} warm-up runs, GFLOP/s = 2·m·k·n / p50, ` +
      'a fresh process (Node) or page (Chromium) per graph and thread count. MatMulInteger is the fp32 MatMul through ' +
      "onnxruntime's quantize_dynamic (per-channel QInt8; bench/make_matmul_int8.py), the subgraph every MatMul of a " +
      'Transformers.js q8 file runs: DynamicQuantizeLinear of x, MatMulInteger, Cast, Mul by the scales. ' +
      "wasmbert's int8 Linear does the same work (quantize x per row to int16, int32 GEMM, scales) plus the bias. " +
      'wasmbert: the Go `BenchmarkLinear` line of that shape ' +
      '(mean time per op over 200 ops) from a run of only that shape in each runtime (the first `-test.bench` below, as run.js runs it; ' +
      'the same shape in the table above comes from the run of every benchmark). ' +
      'The 2-thread rows need the second core to themselves; while other jobs run they can be slower than 1 thread.',
    '',
    '| engine | threads | Node ms | Node GFLOP/s | Chromium ms | Chromium GFLOP/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of doc.matmul) {
    lines.push(`| ${r.engine} | ${r.threads} | ${f(r.node?.ms, 3)} | ${f(r.node?.gflops)} | ${f(r.chromium?.ms, 3)} | ${f(r.chromium?.gflops)} |`);
  }
  const speedup = (rt) => {
    const ort = doc.matmul.find((r) => r.model === 'int8' && r.threads === 1)?.[rt];
    const go = doc.matmul.find((r) => r.engine === 'wasmbert Go Linear int8')?.[rt];
    return ort?.ms && go?.ms ? f(ort.ms / go.ms) : '—';
  };
  lines.push(
    '',
    `int8, one thread, onnxruntime-web MatMulInteger time / wasmbert Go Linear int8 time: Node ${speedup('node')}×, Chromium ${speedup('chromium')}× (above 1: wasmbert faster).`,
  );
  lines.push('', '## Commands', '', '```sh', ...doc.commands.map((c) => c), '```', '');
  return lines.join('\n');
}

// matmulRows puts the onnxruntime-web runs and the Go Linear lines of SHAPE side by side.
function matmulRows(nodeOrtRuns, nodeMatmul, browser) {
  const ms = (r) => (r && !r.error ? { ms: r.p50_ms, gflops: r.gflops } : null);
  const find = (runs, model, threads) => runs.find((r) => r.model === model && r.threads === threads);
  const rows = Object.entries(MODELS).flatMap(([model, { label }]) =>
    ORT.threads.map((threads) => ({
      engine: `onnxruntime-web ${ORT_VERSION} ${label}`,
      model,
      threads,
      node: ms(find(nodeOrtRuns, model, threads)),
      chromium: ms(find(browser.ort_web, model, threads)),
    })),
  );
  const shape = `${SHAPE.m}x${SHAPE.k}x${SHAPE.n}`;
  const go = (res, dtype) => {
    const b = res.benchmarks?.find((x) => x.name === `BenchmarkLinear/${dtype}/${shape}`);
    return b ? { ms: b.metrics['ns/op'] / 1e6, gflops: b.metrics['GFLOP/s'] } : null;
  };
  for (const dtype of ['f32', 'int8']) {
    rows.push({ engine: `wasmbert Go Linear ${dtype}`, threads: 1, node: go(nodeMatmul, dtype), chromium: go(browser.go_kernel, dtype) });
  }
  return rows;
}

function log(...a) {
  process.stderr.write(a.join(' ') + '\n');
}

async function main() {
  const { values: a } = parseArgs({
    options: { write: { type: 'boolean', default: false }, timeout: { type: 'string', default: '600' }, help: { type: 'boolean', default: false } },
  });
  if (a.help) {
    console.log(HELP);
    return 0;
  }
  const timeoutMs = Number(a.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new Error(`--timeout ${a.timeout}: want a positive number of seconds`);
  const gone = Object.values(MODELS).filter((m) => !existsSync(m.file));
  if (gone.length) {
    throw new Error(
      `missing ${gone.map((m) => path.relative(paths.root, m.file)).join(', ')} ` +
        '(run .cache/bench/pyenv/bin/python bench/make_matmul_int8.py --out .cache/bench; bench/README.md)',
    );
  }
  const date = new Date().toISOString();
  const loadStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const goroot = await goEnv('GOROOT');
  const goVersion = await goEnv('GOVERSION');
  log('build', BUILD_COMMAND);
  await buildKernelTest(goroot);

  const nodeOrtRuns = [];
  for (const [model, { label }] of Object.entries(MODELS)) {
    for (const threads of ORT.threads) {
      log(`node onnxruntime-web ${label} threads=${threads}`);
      nodeOrtRuns.push(await nodeOrt(model, threads, timeoutMs));
    }
  }
  log('node Go kernel', MATMUL_ARGS.join(' '));
  const nodeMatmul = await nodeGo(goroot, MATMUL_ARGS, timeoutMs);
  log('node Go kernel', ALL_ARGS.join(' '));
  const nodeAll = await nodeGo(goroot, ALL_ARGS, timeoutMs);
  const browser = await browserSide(timeoutMs);

  const mc = machine();
  const wasm = path.relative(paths.root, KERNEL_WASM);
  const q = (args) => args.map((x) => (/^[\w./-]+$/.test(x) ? x : `'${x}'`)).join(' ');
  const doc = {
    command: `node bench/kernel_browser.js${a.write ? ' --write' : ''}`,
    date,
    machine: mc,
    go: goVersion,
    ort_web_version: ORT_VERSION,
    load_average: { start: loadStart, end: mc.load_average_at_end },
    chromium: { version: browser.version, ort_web: browser.ort_web, go_kernel: browser.go_kernel },
    node: { ort_web: nodeOrtRuns, go_kernel: nodeMatmul },
    kernels: kernelTable(nodeAll, browser.all),
    matmul: matmulRows(nodeOrtRuns, nodeMatmul, browser),
    commands: [
      BUILD_COMMAND,
      `# Node: onnxruntime-web, one process per graph and thread count`,
      ...Object.keys(MODELS).flatMap((model) =>
        ORT.threads.map((t) => `node bench/kernel.js '${JSON.stringify({ threads: t, iterations: ORT.iterations, model })}'`),
      ),
      `# Node: the Go kernel benchmarks (in model/kernel, as go test -exec runs them)`,
      ...[MATMUL_ARGS, ALL_ARGS].map((args) => `(cd model/kernel && "$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ../../${wasm} ${q(args)})`),
      `# Chromium: bench/kernel_page.html, the binary in a Web Worker (bench/kernel_worker.js) with go.argv =`,
      `#   kernel.test ${q(MATMUL_ARGS)}`,
      `#   kernel.test ${q(ALL_ARGS)}`,
    ],
  };
  const errors = [
    ...nodeOrtRuns.filter((r) => r.error),
    nodeMatmul,
    nodeAll,
    ...browser.ort_web.filter((r) => r.error),
    browser.go_kernel,
    browser.all,
  ].filter((r) => r.error);
  // The full runs are in the kernels table already; the raw lines go last.
  process.stdout.write(JSON.stringify({ ...doc, all: { node: nodeAll, chromium: browser.all } }, null, 2) + '\n');
  if (errors.length) {
    log(`${errors.length} measurement(s) failed${a.write ? '; docs/benchmarks-kernels.md left as it was' : ''}:`);
    for (const e of errors) log(' ', e.error.split('\n')[0]);
    return 1;
  }
  if (a.write) {
    const out = path.join(paths.root, 'docs/benchmarks-kernels.md');
    writeFileSync(out, markdown(doc));
    log('wrote', path.relative(paths.root, out));
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      // Bad flags and missing inputs are the usual failures: say what, not where.
      log(err?.code?.startsWith('ERR_PARSE_ARGS') ? `${err.message}\n${HELP}` : String(err?.message ?? err));
      process.exit(1);
    },
  );
}
