// profile_categories.js names where time goes: CPU-profile samples (by their
// call stack) and onnxruntime op events (by op type and shapes) are mapped to
// the categories the profile report compares. Rules are checked in order; the
// first that matches wins, so more specific rules come first.

const INTERMEDIATE = 1536; // MiniLM-L6 intermediate size: tells GELU's elementwise ops apart

/**
 * wasmbertCategory classifies one sample of a wasmbert process. stack is the
 * list of V8 call frames from the sampled function up to the root. Go
 * functions in an unstripped build are named "<import path>.<func>" with "/"
 * turned into "_" (github.com_wasmbert_wasmbert_model_kernel.gemm4x8Int8).
 * Returns null for idle samples.
 */
export function wasmbertCategory(stack) {
  const leaf = stack[0];
  const f = leaf.functionName;
  const v8 = v8Category(f);
  if (v8 !== undefined) return v8;
  const has = (re) => stack.some((c) => re.test(c.functionName));
  if (has(/model_kernel\.Attention$/)) return 'attention (QKᵀ, softmax, ·V)';
  if (has(/model_kernel\.__dense\w*_\.Forward$/)) return /GELU|erf/i.test(f) ? 'GELU (fused into the GEMM)' : 'GEMM (dense layers)';
  if (/LayerNorm|addTo/.test(f)) return 'LayerNorm + residual add';
  if (has(/model_bert\.__Model_\.attention$/)) return 'attention (QKᵀ, softmax, ·V)';
  if (has(/model_bert\.__Model_\.embed$/)) return 'embeddings (lookup + LayerNorm)';
  if (has(/model_tokenizer|golang\.org_x_text|^unicode\./)) return 'tokenizer';
  if (has(/model_pooling|model_kernel\.normalize$/)) return 'pooling + normalize';
  if (has(/sha256/i)) return 'sha256 check of the tensors';
  if (has(/model_modelfile/)) return 'model file decode';
  if (has(/model_bert\.__Builder_|model_bert\.__pendingLinear_|model_kernel\.New/)) return 'model build (weight packing)';
  if (has(/model_bert|model_engine/)) return 'encoder, other';
  const wasm = leaf.url.startsWith('wasm');
  if (wasm && /^(runtime|internal_runtime)/.test(f)) return 'Go runtime (GC, alloc, scheduler)';
  if (leaf.url.endsWith('wasm_exec.js') || has(/^main\.|^syscall_js\.|^syscall\/js\./)) return 'bridge (syscall/js, copies)';
  if (wasm) return 'Go, other';
  if (f === 'postMessage' || has(/^(post|handle|dispatch)$/) && stack.some((c) => /\/js\/(worker|pool)\.js$/.test(c.url))) return 'worker messaging';
  if (/\/js\/[a-z]+\.js$/.test(leaf.url)) return 'wasmbert JS';
  return 'Node / other JS';
}

/**
 * tjsCategory classifies one sample of a Transformers.js process (library
 * bundled in transformers.node.mjs, onnxruntime-web JS in ort.node.min.mjs,
 * its emscripten glue in ort-wasm-simd-threaded.mjs, kernels in wasm without
 * function names).
 */
export function tjsCategory(stack) {
  const leaf = stack[0];
  const v8 = v8Category(leaf.functionName);
  if (v8 !== undefined) return v8;
  if (leaf.url.startsWith('wasm')) return 'onnxruntime kernels (wasm)';
  const tjs = (re) => stack.some((c) => re.test(c.functionName) && c.url.includes('transformers'));
  if (tjs(/^(tokenize_helper|_encode_plus|encode_text|_batch_encode_plus|_tokenize)$/)) return 'tokenizer';
  if (tjs(/^(mean_pooling|normalize_)$/)) return 'pooling + normalize';
  if (stack.some((c) => c.url.includes('ort-wasm-simd-threaded'))) return 'onnxruntime wasm→JS calls (emscripten glue)';
  if (stack.some((c) => /onnxruntime|ort\.node|inference-session|tensor/.test(c.url))) return 'onnxruntime JS API (tensors in/out)';
  if (tjs(/Tokenizer|tokenizer/)) return 'tokenizer';
  if (leaf.url.includes('transformers')) return 'Transformers.js, other (pipeline, tensors)';
  return 'Node / other JS';
}

function v8Category(f) {
  if (f === '(idle)') return null;
  if (f === '(garbage collector)') return 'V8 GC (JS heap)';
  if (f === '(program)') return 'V8 (program: compile, runtime)';
  return undefined;
}

/**
 * opCategory classifies one onnxruntime node event (trace event with
 * args.op_name, args.input_type_shape, args.output_type_shape). Initializers
 * (weights) are not listed among the inputs, so a MatMul with two rank-4
 * inputs multiplies activations: attention.
 */
export function opCategory(e) {
  const op = e.args.op_name;
  const ins = (e.args.input_type_shape ?? []).map((o) => Object.values(o)[0]);
  const out = Object.values(e.args.output_type_shape?.[0] ?? {})[0] ?? [];
  if (/MatMul|Gemm/.test(op)) {
    return ins.length >= 2 && ins.every((s) => s.length === 4) ? 'attention MatMul (QKᵀ, ·V)' : 'MatMul (dense layers)';
  }
  if (op === 'Softmax') return 'Softmax';
  if (/LayerNorm/.test(op)) return 'LayerNorm (Skip/LayerNormalization)';
  if (/Gelu/.test(op) || op === 'Erf') return 'GELU (Erf + Div/Add/Mul)';
  if (/Quantize|Dequantize|^Cast$/.test(op)) return 'quantization (Cast, (De)QuantizeLinear)';
  // Mask and scale on the scores [batch, heads, seq, seq].
  if (/^(Add|Mul|Div|Sub|Where|IsNaN)$/.test(op) && out.length === 4) return 'attention mask/scale (Add, IsNaN, Where)';
  if (/^(Add|Mul|Div|Sub)$/.test(op)) {
    if (ins.some((s) => s.length === 1)) return 'bias Add';
    if (out.at(-1) === INTERMEDIATE) return 'GELU (Erf + Div/Add/Mul)';
    return 'other elementwise (residual, mask)';
  }
  if (/^(Where|IsNaN|Equal|Not|Pow|Sqrt)$/.test(op)) return 'other elementwise (residual, mask)';
  if (/^(Reshape|Transpose|Unsqueeze|Squeeze|Concat|Slice|Shape|Gather|Expand|Identity|ConstantOfShape|Range)$/.test(op)) {
    return 'reshape, transpose, gather, shape';
  }
  return `other: ${op}`;
}
