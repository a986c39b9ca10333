// profile.js is `npm run bench:profile`: where the time goes on both sides,
// wasmbert and Transformers.js, same model, Node, 1 thread. It writes
// docs/profile.md. Like the benchmark it reports and never asserts.
//
//   node bench/profile.js [--precision int8,fp32] [--lib wasmbert,transformersjs]
//                            [--iterations 20] [--batches 4] [--engine DIR] [--timeout 600]
//
// For each library and precision, two fresh processes run profile_child.js
// under `node --cpu-prof` (V8's sampling profiler, every thread): "steady"
// (32-token text, 128-token text, batches of 16 corpus texts, after warm-up)
// and "cold" (process start to the first vector, nothing cached by the
// library). Transformers.js also runs with onnxruntime's own op profiler
// (session_options.enableProfiling), whose trace events onnxruntime-web
// prints to stdout at endProfiling().
//
// wasmbert needs an engine with function names: unless --engine names one,
// the script builds one without -ldflags=-s into .cache/bench/profile/engine.
// Raw profiles stay in .cache/bench/profile/ for chrome://inspect or speedscope.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { paths } from './paths.js';
import { machine } from './report.js';
import { opCategory, tjsCategory, wasmbertCategory } from './profile_categories.js';
import { BATCH } from './workload.js';

const exec = promisify(execFile);
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

const USAGE = `usage: npm run bench:profile -- [--precision int8,fp32] [--lib wasmbert,transformersjs]
       [--iterations 20] [--batches 4] [--engine DIR] [--timeout 600] [--out docs/profile.md]

  --iterations N  single-text calls per phase (32 and 128 tokens)
  --batches N     batches of ${BATCH} corpus texts in the batch phase
  --engine DIR    an unstripped wasmbert.wasm + wasm_exec.js (default: built into .cache/bench/profile/engine)`;

const { values: a } = parseArgs({
  options: {
    precision: { type: 'string', default: 'int8,fp32' },
    lib: { type: 'string', default: 'wasmbert,transformersjs' },
    iterations: { type: 'string', default: '20' },
    batches: { type: 'string', default: '4' },
    engine: { type: 'string' },
    timeout: { type: 'string', default: '600' },
    out: { type: 'string', default: path.join(paths.root, 'docs/profile.md') },
    help: { type: 'boolean', short: 'h' },
  },
});
if (a.help) {
  console.log(USAGE);
  process.exit(0);
}

const work = path.join(paths.cache, 'profile');
const timeoutMs = Number(a.timeout) * 1000;
const BUILD = 'export GOTOOLCHAIN=go1.27.3; GOOS=js GOARCH=wasm GOEXPERIMENT=simd go build -trimpath -o "$OUT/wasmbert.wasm" ./wasm';
const LIB_NAME = { wasmbert: 'wasmbert', transformersjs: 'Transformers.js' };
const PHASES = [
  ['32tok', '32 tok'],
  ['128tok', '128 tok'],
  ['batch16', `batch of ${BATCH}`],
];

function log(...xs) {
  console.error(`[profile ${new Date().toISOString().slice(11, 19)}]`, ...xs);
}

// engine returns the directory of an engine build that keeps function names.
async function engine() {
  if (a.engine) return path.resolve(a.engine);
  const out = path.join(work, 'engine');
  mkdirSync(out, { recursive: true });
  log('building an unstripped engine into', path.relative(paths.root, out));
  await exec('bash', ['-c', BUILD], { cwd: paths.root, env: { ...process.env, OUT: out }, timeout: timeoutMs });
  const { stdout } = await exec('bash', ['-c', 'export GOTOOLCHAIN=go1.27.3; go env GOROOT'], { cwd: paths.root });
  copyFileSync(path.join(stdout.trim(), 'lib/wasm/wasm_exec.js'), path.join(out, 'wasm_exec.js'));
  return out;
}

// child runs profile_child.js under --cpu-prof; resolves to its marks, the
// CPU profiles of all its threads and the onnxruntime trace events it printed.
async function child(cfg) {
  const dir = path.join(work, `${cfg.lib}-${cfg.precision}-${cfg.mode}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let stdout;
  try {
    ({ stdout } = await exec(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '500', path.join(paths.bench, 'profile_child.js'), JSON.stringify(cfg)],
      { cwd: paths.root, timeout: timeoutMs, maxBuffer: 1 << 28 },
    ));
  } catch (err) {
    stdout = err.stdout ?? '';
    if (!stdout.includes('@@profile ')) return { error: `${err.killed ? 'timed out' : 'failed'}: ${err.message.split('\n')[0]}` };
  }
  const lines = stdout.split('\n');
  const info = JSON.parse(lines.find((l) => l.startsWith('@@profile ')).slice('@@profile '.length));
  if (info.error) return info;
  info.ort = lines.filter((l) => l.startsWith('{"cat"')).map((l) => JSON.parse(l.replace(/,\s*$/, '')));
  info.cpu = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => indexProfile(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
  return info;
}

// indexProfile gives each sample its time (µs, the clock of process.hrtime),
// its weight (µs until the next sample) and a way to get its stack.
function indexProfile(p) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map();
  const stack = (id) => {
    let s = stacks.get(id);
    if (!s) {
      s = [];
      for (let x = id; x !== undefined; x = parent.get(x)) s.push(byId.get(x).callFrame);
      stacks.set(id, s);
    }
    return s;
  };
  const samples = [];
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    samples.push({ t, w: p.timeDeltas[i + 1] ?? 0, id: p.samples[i] });
  }
  return { samples, stack };
}

// cpuSplit sums busy sample time in [start, end] by category over all threads.
function cpuSplit(info, start, end, classify) {
  const by = new Map();
  for (const prof of info.cpu) {
    for (const s of prof.samples) {
      if (s.t < start || s.t > end) continue;
      const c = classify(prof.stack(s.id));
      if (c) by.set(c, (by.get(c) ?? 0) + s.w);
    }
  }
  return by;
}

// ortRuns groups onnxruntime node events by the model_run they belong to, in
// run order.
function ortRuns(events) {
  const runs = events.filter((e) => e.name === 'model_run').sort((x, y) => x.ts - y.ts);
  const nodes = events.filter((e) => e.cat === 'Node').sort((x, y) => x.ts - y.ts);
  let j = 0;
  return runs.map((r) => {
    const mine = [];
    while (j < nodes.length && nodes[j].ts < r.ts) j++;
    while (j < nodes.length && nodes[j].ts <= r.ts + r.dur) mine.push(nodes[j++]);
    return { dur: r.dur, nodes: mine };
  });
}

function opSplit(runs) {
  const by = new Map();
  let total = 0;
  let ops = 0;
  for (const r of runs) {
    total += r.dur;
    for (const e of r.nodes) {
      by.set(opCategory(e), (by.get(opCategory(e)) ?? 0) + e.dur);
      ops += e.dur;
    }
  }
  by.set('executor overhead (run − Σ ops)', total - ops);
  return by;
}

// steady turns one steady process into per-phase splits.
function steady(info) {
  const classify = info.cfg.lib === 'wasmbert' ? wasmbertCategory : tjsCategory;
  const runs = info.cfg.lib === 'transformersjs' ? ortRuns(info.ort) : [];
  let next = info.warmRuns;
  const out = {};
  for (const p of info.phases) {
    const mine = runs.slice(next, next + p.runs);
    next += p.runs;
    out[p.name] = {
      ms_per_call: (p.end - p.start) / 1000 / p.calls,
      texts: p.texts,
      cpu: cpuSplit(info, p.start, p.end, classify),
      ops: mine.length ? opSplit(mine) : null,
      padded_tokens: mine.length ? mine.reduce((n, r) => n + paddedTokens(r), 0) / p.calls : null,
      tokens: p.tokens ?? null,
    };
  }
  return out;
}

// paddedTokens reads batch × sequence length off the first MatMul's input.
function paddedTokens(run) {
  const mm = run.nodes.find((e) => /MatMul/.test(e.args.op_name));
  const s = mm && Object.values(mm.args.input_type_shape[0])[0];
  return s ? s[0] * s[1] : 0;
}

// cold turns one cold process into stages (wall ms) and a CPU split of loading.
function cold(info) {
  const m = Object.fromEntries(info.marks.map((x) => [x.name, x]));
  const ms = (from, to) => (m[to].us - m[from].us) / 1000;
  const inLoad = (s) => s.start >= m.imported.us && s.end <= m.loaded.us;
  const span = (re) => info.spans.filter((s) => inLoad(s) && re.test(`${s.kind} ${s.fn} ${s.detail ?? ''}`)).reduce((n, s) => n + (s.end - s.start) / 1000, 0);
  const stages = [
    ['Node start + benchmark data', m.start.ms],
    ['JS import (library modules)', ms('start', 'imported')],
    ['load: total (wall)', ms('imported', 'loaded')],
  ];
  if (info.cfg.lib === 'transformersjs') {
    const sess = Object.fromEntries(info.ort.filter((e) => e.cat === 'Session').map((e) => [e.name, e.dur / 1000]));
    stages.push(
      ['  wasm compile + instantiate (onnxruntime-web)', span(/^wasm /)],
      ['  weight file read (fs.readFile of the .onnx)', span(/^read .*\.onnx$/)],
      ['  onnxruntime: parse model (model_loading_array)', sess.model_loading_array ?? null],
      ['  onnxruntime: session init (graph optimization, constant folding)', sess.session_initialization ?? null],
    );
  } else {
    stages.push(
      ['  wasm compile (main thread, WebAssembly.compile)', span(/^wasm /)],
      ['  engine compiled → last model byte read (read, decode, sha256, build overlap)', m.read && m.compiled ? (m.read.us - m.compiled.us) / 1000 : null],
      ['  last byte read → model ready (rest of the build, in the worker)', m.read ? (m.loaded.us - m.read.us) / 1000 : null],
    );
  }
  stages.push(['first forward (8 tokens, incl. tokenizer)', ms('loaded', 'first')], ['process start → first vector', m.first.ms]);
  const classify = info.cfg.lib === 'wasmbert' ? wasmbertCategory : tjsCategory;
  return { stages, loadCPU: cpuSplit(info, m.imported.us, m.loaded.us, classify) };
}

// --- report -----------------------------------------------------------------

const pct = (x, total) => (total > 0 ? `${((100 * x) / total).toFixed(1)} %` : '–');
const num = (x, d = 1) => (x == null ? '–' : x.toFixed(d));

function shareTable(title, cols, splits, first) {
  const cats = new Map();
  for (const s of splits) for (const [k, v] of s ?? []) cats.set(k, (cats.get(k) ?? 0) + v);
  const order = [...cats].sort((x, y) => y[1] - x[1]).map(([k]) => k);
  const totals = splits.map((s) => [...(s ?? new Map()).values()].reduce((x, y) => x + y, 0));
  const lines = [`| ${title} | ${cols.join(' | ')} |`, `| --- |${cols.map(() => ' ---: |').join('')}`];
  for (const row of first) lines.push(`| ${row[0]} | ${row.slice(1).join(' | ')} |`);
  for (const k of order) lines.push(`| ${k} | ${splits.map((s, i) => (s ? pct(s.get(k) ?? 0, totals[i]) : '–')).join(' | ')} |`);
  return lines;
}

function top(split, n) {
  const total = [...split.values()].reduce((x, y) => x + y, 0);
  return [...split].sort((x, y) => y[1] - x[1]).slice(0, n).map(([k, v]) => `${k} ${pct(v, total)}`).join(', ');
}

function markdown(results, engineDir) {
  const mc = machine();
  const cmd = `npm run bench:profile -- ${process.argv.slice(2).join(' ')}`.trim();
  const lines = [
    '# Where the time goes: wasmbert vs Transformers.js',
    '',
    'Generated by `npm run bench:profile` (bench/profile.js); the tables are rewritten on every run, the section "Reading the numbers" at the end is kept. Raw profiles: `.cache/bench/profile/` (open the `.cpuprofile` files in Chrome DevTools or speedscope).',
    '',
    `Command: \`${cmd}\`  `,
    `Date: ${new Date().toISOString()}  `,
    `Machine: ${mc.cpu}, ${mc.cores} cores, ${mc.memory_gib} GiB, ${mc.os}, Node ${mc.node}; load average at the end ${mc.load_average_at_end.join(' / ')} (shared machine: shares are more stable than absolutes).  `,
    `wasmbert engine: unstripped build in \`${path.relative(paths.root, engineDir) || engineDir}\` (\`${BUILD.replace('"$OUT', '"DIR')}\`), 1 worker, as \`load({workers: 1})\` in the benchmark. ` +
      'Transformers.js: @huggingface/transformers on its own onnxruntime-web copy, WASM backend, numThreads 1, as in bench/node_child.js, plus `session_options.enableProfiling`.',
    '',
    'Method: V8 CPU profiles (`node --cpu-prof --cpu-prof-interval 500`, all threads, idle samples dropped) cut to the time window of each phase; each sample goes to the category of its call stack (bench/profile_categories.js). ' +
      `Phases run after warm-up: ${a.iterations} calls with the 32-token text, ${a.iterations} with the 128-token text (bench/single_texts.json), then ${a.batches} batches of ${BATCH} corpus texts in file order. ` +
      "For Transformers.js the wasm share is split further by onnxruntime's op profiler: the sum of node durations per op category over the phase's runs, as a share of model_run time. " +
      'Cold start: a fresh process per library and precision, process start to the first vector of the 8-token text, library caches off; files come from the OS page cache.',
    '',
  ];
  for (const precision of list(a.precision)) {
    lines.push(`## ${precision}: steady state`, '');
    for (const lib of list(a.lib)) {
      const r = results[lib]?.[precision];
      if (!r?.steady || r.steady.error) {
        lines.push(`${LIB_NAME[lib]} ${precision}: error: ${r?.steady?.error ?? 'not run'}`, '');
        continue;
      }
      const s = r.steady;
      const cols = PHASES.map(([k, label]) => label);
      const first = [['wall ms per call', ...PHASES.map(([k]) => num(s[k]?.ms_per_call))]];
      lines.push(`### ${LIB_NAME[lib]} ${precision}: share of busy CPU time`, '', ...shareTable('category', cols, PHASES.map(([k]) => s[k]?.cpu), first), '');
      if (lib === 'transformersjs') {
        const pad = [
          ['tokens per call (tokenizer, no padding)', ...PHASES.map(([k]) => num(s[k]?.tokens, 0))],
          ['tokens per call onnxruntime computes (padded)', ...PHASES.map(([k]) => num(s[k]?.padded_tokens, 0))],
        ];
        lines.push(`### Transformers.js ${precision}: onnxruntime ops, share of model_run time`, '', ...shareTable('op category', cols, PHASES.map(([k]) => s[k]?.ops), pad), '');
      }
    }
  }
  lines.push('## Cold start (process start → first vector, uncached)', '');
  const coldCols = [];
  for (const precision of list(a.precision)) for (const lib of list(a.lib)) if (results[lib]?.[precision]?.cold && !results[lib][precision].cold.error) coldCols.push([lib, precision]);
  for (const lib of list(a.lib)) {
    const mine = coldCols.filter(([l]) => l === lib);
    if (!mine.length) continue;
    const stages = results[lib][mine[0][1]].cold.stages.map(([k]) => k);
    lines.push(`### ${LIB_NAME[lib]}: stages, wall ms`, '', `| stage | ${mine.map(([, p]) => p).join(' | ')} |`, `| --- |${mine.map(() => ' ---: |').join('')}`);
    for (const [i, st] of stages.entries()) lines.push(`| ${st} | ${mine.map(([l, p]) => num(results[l][p].cold.stages[i][1])).join(' | ')} |`);
    lines.push('', ...shareTable(`${LIB_NAME[lib]}: load, share of busy CPU`, mine.map(([, p]) => p), mine.map(([l, p]) => results[l][p].cold.loadCPU), []), '');
  }
  lines.push('## Key numbers (computed from the tables above)', '');
  for (const precision of list(a.precision)) {
    for (const lib of list(a.lib)) {
      const s = results[lib]?.[precision]?.steady;
      if (!s || s.error) continue;
      for (const [k, label] of PHASES) {
        if (!s[k]) continue;
        lines.push(`- ${LIB_NAME[lib]} ${precision}, ${label}: ${num(s[k].ms_per_call)} ms/call; CPU: ${top(s[k].cpu, 3)}${s[k].ops ? `; ops: ${top(s[k].ops, 3)}` : ''}.`);
      }
    }
  }
  lines.push('');
  return lines.join('\n');
}

// The hand-written analysis below this line survives regeneration.
const KEEP = '## Reading the numbers';

const engineDir = list(a.lib).includes('wasmbert') ? await engine() : '';
const results = {};
for (const precision of list(a.precision)) {
  for (const lib of list(a.lib)) {
    results[lib] ??= {};
    const r = (results[lib][precision] = {});
    for (const mode of ['steady', 'cold']) {
      log(lib, precision, mode);
      const info = await child({ lib, precision, mode, iterations: Number(a.iterations), batches: Number(a.batches), engineDir });
      r[mode] = info.error ? info : mode === 'steady' ? steady(info) : cold(info);
      if (info.error) log('  error:', info.error.split('\n')[0]);
    }
  }
}
const old = existsSync(a.out) ? readFileSync(a.out, 'utf8') : '';
const kept = old.includes(KEEP) ? old.slice(old.indexOf(KEEP)) : `${KEEP}\n\n(not written yet)\n`;
writeFileSync(a.out, markdown(results, engineDir) + '\n' + kept);
log('wrote', path.relative(paths.root, a.out));
