// Compile-only use of the public API, checked by
//   npx -y -p typescript@5 tsc -p js/test/tsconfig.json
// Lines marked @ts-expect-error must fail to type-check.
import { load, version, type Encoding, type ModelInfo, type ProgressEvent, type SearchHit, type Wasmbert } from "wasmbert";

async function main(): Promise<void> {
  const ctrl = new AbortController();
  const phases: ProgressEvent["phase"][] = [];
  const bert: Wasmbert = await load({
    model: "/models/all-MiniLM-L6-v2.int8.wbm",
    workers: 2,
    signal: ctrl.signal,
    integrity: "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    cache: { name: "my-models" },
    onProgress: (e) => {
      phases.push(e.phase);
      const pct: number = (100 * e.loaded) / e.total;
      void pct;
    },
  });
  await load({ model: new Uint8Array(8), workers: 0, cache: false, wasm: new WebAssembly.Module(new Uint8Array(8)) });
  await load({ model: new URL("https://example.com/m.wbm"), engineURL: "/engine/", workerURL: new URL("https://example.com/w.js") });
  await load({ model: "/models/m.wbm", shared: true });
  await load({ model: "/models/m.wbm", shared: "search-tabs", integrity: "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" });

  const v: Float32Array = await bert.embed("hello");
  const vs: Float32Array[] = await bert.embed(["a", "b"], { pooling: "cls", normalize: false, layer: -2 });
  const long: Float32Array = await bert.embed("long text", { chunk: { size: 128, overlap: 16 }, dimensions: 256 });
  const tv = await bert.embed("hello world", { tokens: true, layer: "mean:4" });
  const first: Float32Array = tv.tokens[0].vector;
  const tvs = await bert.embed(["a"], { tokens: true });
  const tok: string = tvs[0].tokens[0].token;
  const cut: boolean = tvs[0].truncated;
  const d = await bert.embed("a long text", { details: true });
  const dv: Float32Array = d.vector;
  const counts: number = d.textTokens - d.numTokens;
  const ds = await bert.embed(["a", "b"], { details: true, maxLength: 64 });
  const anyCut: boolean = ds.some((x) => x.truncated);

  const s: number = await bert.similarity("a", v);
  const hits: SearchHit[] = await bert.search("query", ["a", "b"], 1);
  const hits2 = await bert.search(v, vs);
  const idx: number = hits2[0].index;
  const enc: Encoding = await bert.tokenize("hi");
  const ids: number[] = enc.ids;
  const info: ModelInfo = bert.info();
  const dim: number = info.dim;
  const maxLength: number = info.maxLength;
  // @ts-expect-error the JS API is camelCase
  void info.max_length;
  const ver: string = version;
  bert.dispose();

  // @ts-expect-error pooling is a fixed set
  await bert.embed("a", { pooling: "sum" });
  // @ts-expect-error embed takes strings
  await bert.embed(42);
  // @ts-expect-error shared is a flag or a name
  await load({ model: "/m.wbm", shared: 1 });
  // @ts-expect-error model is required
  await load({ workers: 1 });
  // @ts-expect-error details give objects, not vectors
  const notVector: Float32Array = await bert.embed("a", { details: true });
  // @ts-expect-error similarity compares vectors, without details
  await bert.similarity("a", "b", { details: true });
  // @ts-expect-error a single text gives one vector, not a list
  const wrong: Float32Array[] = await bert.embed("a");
  void [long, first, tok, s, hits, idx, ids, dim, ver, wrong];
}
void main;
