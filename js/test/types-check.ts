// Compile-only use of the public API, checked by
//   node_modules/.bin/tsc -p js/test/tsconfig.json   (js/test/types.test.js)
// Lines marked @ts-expect-error must fail to type-check.
import { load, version, type EmbedDetails, type Encoding, type ModelInfo, type ProgressEvent, type SearchHit, type Wasmbert } from "wasmbert";

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
      const why: string | undefined = e.phase === "heal" ? e.error : undefined;
      void why;
    },
  });
  await load({ model: new Uint8Array(8), workers: 0, cache: false, wasm: new WebAssembly.Module(new Uint8Array(8)) });
  await load({ model: new URL("https://example.com/m.wbm"), engineURL: "/engine/", workerURL: new URL("https://example.com/w.js") });
  const shared = await load({ model: "/m.wbm", shared: "tabs", sharedWorkerURL: "/shared-worker.js" });
  const tabs: number | undefined = shared.info().shared?.clients;
  void tabs;
  await load({ model: new URL("https://example.com/m.wbm"), engineURL: "/engine/", engine: "families", workerURL: new URL("https://example.com/w.js") });

  const v: Float32Array = await bert.embed("hello");
  const vs: Float32Array[] = await bert.embed(["a", "b"], { pooling: "cls", normalize: false, layer: -2 });
  const long: Float32Array = await bert.embed("long text", { chunk: { size: 128, overlap: 16 }, dimensions: 256 });
  const tv = await bert.embed("hello world", { tokens: true, layer: "mean:4" });
  const first: Float32Array = tv.tokens[0].vector;
  const tvs = await bert.embed(["a"], { tokens: true });
  const tok: string = tvs[0].tokens[0].token;

  const s: number = await bert.similarity("a", v);
  const hits: SearchHit[] = await bert.search("query", ["a", "b"], 1);
  const hits2 = await bert.search(v, vs);
  const idx: number = hits2[0].index;
  const enc: Encoding = await bert.tokenize("hi");
  const ids: number[] = enc.ids;
  const info: ModelInfo = bert.info();
  const dim: number = info.dim;
  const prompts: Record<string, string> | undefined = info.prompts;
  const q: Float32Array = await bert.embed("refund", { prompt: "query" });
  const d: EmbedDetails = await bert.embed("a long text", { details: true });
  const cut: boolean = d.truncated;
  const counts: number[] = (await bert.embed(["a", "b"], { details: true, maxLength: 64 })).map((r) => r.tokenCount + r.maxLength + r.chunks);
  const dtv = await bert.embed("a", { tokens: true, details: true });
  const dtc: number | undefined = dtv.tokenCount;
  const score: number = await bert.similarity("a", "b", { details: true });
  const ver: string = version;
  bert.dispose();

  // @ts-expect-error pooling is a fixed set
  await bert.embed("a", { pooling: "sum" });
  // @ts-expect-error embed takes strings
  await bert.embed(42);
  // @ts-expect-error model is required
  await load({ workers: 1 });
  // @ts-expect-error a single text gives one vector, not a list
  const wrong: Float32Array[] = await bert.embed("a");
  // @ts-expect-error with details, a text gives an object, not a bare vector
  const bare: Float32Array = await bert.embed("a", { details: true });
  void [long, first, tok, s, hits, idx, ids, dim, ver, wrong, cut, counts, dtc, score, bare];
}
void main;
