// paths.js: where the benchmark finds its inputs on disk (Node side only).
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { WBM_SUFFIX } from './libs.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const tjsDir = path.join(root, 'node_modules/@huggingface/transformers');
// Transformers.js carries its own onnxruntime-web (a 1.31 dev build): its JS and
// wasm must come from that copy, not from the top-level onnxruntime-web 1.30.
const tjsOrtDir = path.join(tjsDir, 'node_modules/onnxruntime-web');

export const paths = {
  root,
  bench: here,
  cache: path.join(root, '.cache/bench'),
  models: path.join(root, '.cache/bench'),
  modelDir: path.join(root, '.cache/bench/all-MiniLM-L6-v2'),
  matmul: path.join(root, '.cache/bench/matmul/model.onnx'),
  matmulInt8: path.join(root, '.cache/bench/matmul/model_int8.onnx'),
  wasmbertIndex: path.join(root, 'js/index.js'),
  wasmbertCache: path.join(root, '.cache/bench/wasmbert-cache'),
  engineDir: path.join(root, 'dist/engine'),
  wbm: (precision) => path.join(root, `dist/models/all-MiniLM-L6-v2.${WBM_SUFFIX[precision]}.wbm`),
  tjsDir,
  tjsOrtDir,
};

export const tjsOrtWeb = {
  node: path.join(tjsOrtDir, 'dist/ort.node.min.mjs'),
  // Left unset, Transformers.js points wasmPaths at a CDN. In Node the plain
  // threaded build is what onnxruntime-web itself would pick.
  wasmPaths: {
    mjs: pathToFileURL(path.join(tjsOrtDir, 'dist/ort-wasm-simd-threaded.mjs')).href,
    wasm: pathToFileURL(path.join(tjsOrtDir, 'dist/ort-wasm-simd-threaded.wasm')).href,
  },
};

/** loadData reads the corpus, the single texts and the reference embeddings. */
export function loadData(readFileSync) {
  const read = (f) => readFileSync(path.join(here, f), 'utf8');
  return {
    corpus: read('corpus.jsonl').trim().split('\n').map((l) => JSON.parse(l).text),
    singles: JSON.parse(read('single_texts.json')),
    reference: JSON.parse(read('reference.json')),
  };
}
