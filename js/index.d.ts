// Type declarations of the wasmbert npm library, written by hand to match
// js/index.js. Checked by `npx -p typescript@5 tsc -p js/test/tsconfig.json` on js/test/types-check.ts.

/** The library version, equal to package.json "version". */
export declare const version: string;

/** Where the model file comes from. */
export type ModelSource = string | URL | ArrayBuffer | ArrayBufferView | Blob;

/** One step of load(); `loaded` and `total` are bytes (compile: 0 or 1 of 1). */
export interface ProgressEvent {
  /**
   * "compile": the engine (wasmbert.wasm) is compiling, in parallel with the download;
   * "download": model bytes received; "build": model bytes consumed by the engine;
   * "heal": the cached copy was damaged (see `error`), so it was dropped and the file is
   * downloaded again: "download" and "build" start over from 0 (loaded and total are 0 here).
   */
  phase: "compile" | "download" | "build" | "heal";
  loaded: number;
  /** Total bytes; equals `loaded` while the size is unknown (no Content-Length). */
  total: number;
  /** "heal" only: why the cached copy was rejected. */
  error?: string;
}

/** Where load() caches verified model files. */
export interface CacheOptions {
  /** Web runtimes: Cache API cache name (default "wasmbert-v<version>"). */
  name?: string;
  /** Node: directory of cached files (default "<user cache dir>/wasmbert/v<version>"). */
  dir?: string;
}

export interface LoadOptions {
  /**
   * The model file (.wbm): a URL or URL string (relative to the page, or in Node a file
   * path relative to the working directory), or its bytes.
   */
  model: ModelSource;
  /**
   * Engine instances, each in its own worker with its own copy of the weights. 0 runs the
   * engine in the calling thread (required where workers are unavailable: workerd, service
   * workers). Default: min(4, hardwareConcurrency) where workers exist, else 0.
   */
  workers?: number;
  /**
   * "auto" splits a text across several workers (attention's keys and values exchanged
   * through shared memory) when it is long enough for that to be faster, by thresholds
   * measured per worker count (js/split-policy.js): a lone text, or each text of a batch with
   * fewer texts than workers. "always" splits regardless of length (for measuring). Both load
   * the engine variant wasmbert-parallel.wasm. Live only with 2+ workers, the default engine,
   * and shared memory: Node always, browsers when crossOriginIsolated (COOP/COEP);
   * info().parallel says. Default false.
   */
  parallel?: "auto" | "always" | false;
  /** Called as the engine compiles and the model downloads and builds. */
  onProgress?: (event: ProgressEvent) => void;
  /** Aborts the load; load() then rejects with a DOMException named "AbortError". */
  signal?: AbortSignal;
  /**
   * Network failures (dropped or stalled connections) tolerated in a row while downloading
   * the model; each one resumes with a Range request, or restarts where the server does not
   * support ranges. Progress resets the count. Default 4; 0 fails on the first.
   */
  retries?: number;
  /** Milliseconds without a byte after which a download counts as stalled (default 30000). */
  stallTimeout?: number;
  /** Expected SHA-256 of the model file: "sha256-<base64>" (as in SRI) or 64 hex digits. */
  integrity?: string;
  /**
   * Cache for model files fetched over the network: false disables it; true or omitted uses
   * the default store (Cache API in web runtimes, a directory in Node). A cached file that
   * fails its checks is dropped and downloaded again within the same load() (a "heal"
   * progress event); only a second failure rejects.
   */
  cache?: boolean | CacheOptions;
  /**
   * Directory holding wasmbert.wasm, wasmbert-families.wasm and wasm_exec.js (default: the
   * package's dist/engine/).
   */
  engineURL?: string | URL;
  /**
   * Which engine build to fetch from engineURL. "auto" (default) reads the model file's
   * header as it arrives: a WordPiece (BERT) model gets wasmbert.wasm, a model with a
   * byte-level BPE (RoBERTa) or Unigram (XLM-R) tokenizer wasmbert-families.wasm, which
   * runs every family. "core" and "families" force one; the core refuses a BPE or Unigram
   * model ("this model needs the families engine"). Ignored when wasm is given or the
   * parallel build is used (it runs every family).
   */
  engine?: "auto" | "core" | "families";
  /**
   * The engine itself: a compiled module (required in workerd, which forbids compiling at
   * run time), its bytes, or its URL. Default: `${engineURL}/wasmbert.wasm` or
   * `${engineURL}/wasmbert-families.wasm`, as engine says.
   */
  wasm?: WebAssembly.Module | ArrayBuffer | ArrayBufferView | string | URL;
  /**
   * The heads module used by the downstream tasks (trainClassifier, ner, faq, pca), loaded
   * on their first call. Default: `${engineURL}/wasmbert-heads.wasm`.
   */
  headsWasm?: WebAssembly.Module | ArrayBuffer | ArrayBufferView | string | URL;
  /** The worker script (default: the package's js/worker.js); for bundlers that move files. */
  workerURL?: string | URL;
  /**
   * Share one engine (one copy of the weights) among the tabs of this origin: the engine runs
   * in a SharedWorker of this name (true: "wasmbert"), loaded by the first tab that asks for
   * the model and freed when the last one disposes or closes; each tab's calls go through a
   * MessagePort. Tabs asking for the same model, workers, parallel, integrity, engineURL, wasm
   * and workerURL share an engine. model and the engine URLs must be URLs. Chromium runs no
   * Worker inside a SharedWorker, so the engine there runs in the SharedWorker's thread
   * (workers 0). Rejects where SharedWorker does not exist (Node, workerd). Default false.
   */
  shared?: boolean | string;
  /** The SharedWorker script (default: the package's js/shared-worker.js); for bundlers that move files. */
  sharedWorkerURL?: string | URL;
}

/** Overlapping windows for texts longer than the model's maximum length. */
export interface ChunkOptions {
  /** Window length in tokens without [CLS]/[SEP] (default: the model's maximum length − 2). */
  size?: number;
  /** Tokens shared by consecutive windows (default: size / 8). */
  overlap?: number;
}

export interface EmbedOptions {
  /**
   * Pooling of token vectors into one vector (default: the model's, e.g. "mean"):
   * "lasttoken" is the last real token, XLNet's <cls> (HF's sequence summary "last").
   */
  pooling?: "mean" | "cls" | "max" | "lasttoken";
  /** L2-normalize the result (default: the model's setting, true for sentence-transformers). */
  normalize?: boolean;
  /**
   * Hidden layer to pool: an index (0 = embeddings output, negative counts from the last),
   * or "sum:K", "mean:K", "concat:K" over the last K layers. Default: the last layer.
   */
  layer?: number | string;
  /** Also return one vector per token (see TokenVectors). */
  tokens?: boolean;
  /**
   * Also return one vector per word (see WordVector): the vector of its first subword
   * ("first") or the mean of its subwords ("mean"). Not with chunk.
   */
  words?: "first" | "mean";
  /** Truncation length in tokens, special tokens included (default: the model's). */
  maxLength?: number;
  /** Keep only the first `dimensions` values (Matryoshka), renormalized if normalize is on. */
  dimensions?: number;
  /**
   * true (the default): texts longer than maxLength are cut. false: they are embedded as
   * overlapping windows whose vectors are averaged, like `chunk: true`. A cut is never silent:
   * without `details`, the first text cut by a loaded model logs one `console.warn`.
   */
  truncate?: boolean;
  /**
   * Return objects with the truncation details of each text (see EmbedDetails) instead of bare
   * vectors; no warning is then logged. similarity() and search() ignore it.
   */
  details?: boolean;
  /** Embed long texts as overlapping windows and average them; excludes `truncate: true`. */
  chunk?: boolean | ChunkOptions;
  /**
   * Name of one of the model's prompts (`info().prompts`), whose text is put before every
   * text, as sentence-transformers' `encode(prompt_name=...)` does: "query" for e5's
   * "query: " or bge's retrieval instruction. Token and word offsets are then into the
   * prompted text. An unknown name is an error that lists the model's prompts.
   */
  prompt?: string;
}

/** Options of similarity() and search(): one vector per text, so no token or word vectors. */
export type SentenceOptions = Omit<EmbedOptions, "tokens" | "words">;

/** Options of embed() with `tokens: true`. */
export type EmbedTokensOptions = EmbedOptions & { tokens: true };

/** Options of embed() with word vectors and without token vectors. */
export type EmbedWordsOptions = EmbedOptions & { tokens?: false; words: "first" | "mean" };

/** Options of embed() with `details: true` and without token or word vectors. */
export type EmbedDetailsOptions = EmbedOptions & { details: true; tokens?: false; words?: undefined };

/** How much of a text the model read (embed() with `details: true`). */
export interface Truncation {
  /** Tokens were dropped: the text had more than maxLength tokens and was not chunked. */
  truncated: boolean;
  /** The whole text's length in tokens, special tokens included, before any cut. */
  tokenCount: number;
  /** The limit in effect (EmbedOptions.maxLength, else info().maxLength). */
  maxLength: number;
  /** Sequences the text was encoded as: 1, or the windows of a chunked text. */
  chunks: number;
}

/** A text's vector and its truncation details. */
export interface EmbedDetails extends Truncation {
  vector: Float32Array;
}

/** One token of a text, with its vector (embed() with `tokens: true`). */
export interface TokenVector {
  token: string;
  id: number;
  /** UTF-16 offsets of the token in the text, [start, end): `text.slice(start, end)`. */
  start: number;
  end: number;
  vector: Float32Array;
}

/** One word of a text (a whitespace- or punctuation-delimited piece), with its vector. */
export interface WordVector {
  text: string;
  /** UTF-16 offsets of the word in the text, [start, end): `text.slice(start, end)`. */
  start: number;
  end: number;
  vector: Float32Array;
}

/**
 * A text's pooled vector and its token vectors (and word vectors with `words`); with
 * `details: true` also its Truncation fields.
 */
export interface TokenVectors extends Partial<Truncation> {
  vector: Float32Array;
  tokens: TokenVector[];
  words?: WordVector[];
}

/** A text's pooled vector and its word vectors; with `details: true` also its Truncation fields. */
export interface WordVectors extends Partial<Truncation> {
  vector: Float32Array;
  words: WordVector[];
}

/** One search() result, best first. */
export interface SearchHit {
  /** Position in the corpus. */
  index: number;
  /** Cosine similarity to the query. */
  score: number;
  /** The corpus text, when the corpus was texts; undefined for a corpus of vectors. */
  text: string | undefined;
}

/** The tokenizer's view of a text, as HF tokenizers give it. */
export interface Encoding {
  ids: number[];
  tokens: string[];
  typeIds: number[];
  /** UTF-16 offsets (`text.slice(start, end)`), [start, end) per token; [0, 0] for special tokens. */
  offsets: [number, number][];
  /** UTF-8 byte offsets, [start, end) per token. */
  byteOffsets: [number, number][];
  /** Index of the word each token belongs to; -1 for special tokens. */
  wordIds: number[];
  /** Whether the text was longer than the model's maximum length. */
  truncated: boolean;
  /** Token count before truncation. */
  fullLength: number;
}

/** What the loaded model is. */
export interface ModelInfo {
  /** Embedding size (hidden size). */
  dim: number;
  layers: number;
  heads: number;
  /** Default truncation length, special tokens included. */
  maxLength: number;
  vocabSize: number;
  /** Default pooling. */
  pooling: "mean" | "cls" | "max" | "lasttoken";
  /** Whether vectors are L2-normalized by default. */
  normalize: boolean;
  hiddenAct: string;
  /** Tokenization model: WordPiece (BERT), byte-level BPE (RoBERTa) or SentencePiece Unigram (XLM-R, XLNet). */
  tokenizer: "wordpiece" | "bpe" | "unigram";
  /** Tensor count per stored dtype, e.g. {"i8": 38, "f32": 65}. */
  dtypes: Record<string, number>;
  parameters: number;
  /** Where the model file came from (checkpoint name, revision, converter version...). */
  source?: Record<string, string>;
  /** The model's prompts, name to text (EmbedOptions.prompt); absent when it has none. */
  prompts?: Record<string, string>;
  /** Engine instances in workers (0: the calling thread). */
  workers: number;
  /**
   * How texts are split across the workers (load's parallel option): "shared-memory"
   * (SharedArrayBuffer + Atomics), "message" (MessageChannel between the workers, where memory
   * cannot be shared), or "off".
   */
  parallel: "shared-memory" | "message" | "off";
  /** Loaded with the shared option: who shares the engine, as last reported by the SharedWorker. */
  shared?: SharedInfo;
}

export interface SharedInfo {
  /** The SharedWorker's name. */
  name: string;
  /** Tabs (load() calls) connected to this engine now. */
  clients: number;
  /** How many times that SharedWorker loaded this model: 1 while some tab kept it loaded. */
  loads: number;
}

/** A loaded model. Every method but info() and dispose() is async. */
export declare class Wasmbert {
  private constructor();
  /** One text → one vector. */
  embed(text: string, options?: EmbedOptions & { tokens?: false; words?: undefined; details?: false }): Promise<Float32Array>;
  /** Texts → vectors in the same order, split across the workers. */
  embed(texts: string[], options?: EmbedOptions & { tokens?: false; words?: undefined; details?: false }): Promise<Float32Array[]>;
  /** With `details: true`: each vector with how much of its text was read. */
  embed(text: string, options: EmbedDetailsOptions): Promise<EmbedDetails>;
  embed(texts: string[], options: EmbedDetailsOptions): Promise<EmbedDetails[]>;
  embed(text: string, options: EmbedTokensOptions): Promise<TokenVectors>;
  embed(texts: string[], options: EmbedTokensOptions): Promise<TokenVectors[]>;
  embed(text: string, options: EmbedWordsOptions): Promise<WordVectors>;
  embed(texts: string[], options: EmbedWordsOptions): Promise<WordVectors[]>;
  /** Cosine similarity of two texts or vectors, in [-1, 1]. */
  similarity(a: string | Float32Array, b: string | Float32Array, options?: SentenceOptions): Promise<number>;
  /**
   * The k corpus entries most similar to query, best first. A corpus of vectors (e.g. from an
   * earlier embed()) is not embedded again. Default k: 10.
   */
  search(query: string | Float32Array, corpus: string[] | Float32Array[], k?: number, options?: SentenceOptions): Promise<SearchHit[]>;
  /** The model's tokenization of text. */
  tokenize(text: string): Promise<Encoding>;
  /** The loaded model; throws after dispose(). */
  info(): ModelInfo;
  /** Stops the engine and its workers; later calls reject. */
  dispose(): void;

  // Downstream tasks, run in the heads module (wasmbert-heads.wasm, loaded on first use) in a
  // worker of its own (in the calling thread only where the runtime cannot start workers).
  /** Trains a classifier on the texts' sentence vectors (computed with the embed options). */
  trainClassifier(texts: string[], labels: string[], options?: EmbedOptions & TrainOptions & TaskControl): Promise<Head>;
  /** Classifies with the embed options the head was trained with (others are refused). */
  classify(classifier: Head | string, text: string, options?: EmbedOptions): Promise<Prediction>;
  classify(classifier: Head | string, texts: string[], options?: EmbedOptions): Promise<Prediction[]>;
  /** Checks a saved classifier (object or JSON text) and returns it. */
  loadClassifier(saved: Head | string): Promise<Head>;
  /** Trains a BIO tagger on word vectors (first subword, layer -3); spans in string indices. */
  trainTagger(examples: TaggedText[], options?: TrainOptions & TaskControl): Promise<Head>;
  /**
   * Entities found by a tagger, on the word vectors it records in its features (layer -3 for
   * trainTagger's, the last layer for an HF token classifier's); offsets are string indices
   * (UTF-16 code units).
   */
  ner(tagger: Head | string, text: string): Promise<Entity[]>;
  ner(tagger: Head | string, texts: string[]): Promise<Entity[][]>;
  loadTagger(saved: Head | string): Promise<Head>;
  /**
   * Reads a head file (a URL, a file path in Node, a Blob, its bytes, or the object) and checks
   * it against this model: e.g. the X.head.json `wasmbert convert` writes beside X.wbm for a
   * Hugging Face BertForSequenceClassification / BertForTokenClassification checkpoint (load X.wbm
   * as the model: the checkpoint's own fine-tuned encoder). Pass the result to classify() or ner().
   */
  loadHead(source: string | URL | Blob | ArrayBuffer | ArrayBufferView | Head, options?: { signal?: AbortSignal }): Promise<Head>;
  /** The FAQ entry whose question is closest to query (k: the k best, as an array). */
  faq(query: string, entries: FAQEntry[], options?: FAQOptions & { k?: undefined }): Promise<FAQResult>;
  faq(query: string, entries: FAQEntry[], options: FAQOptions & { k: number }): Promise<FAQResult[]>;
  /** Projects vectors (at least 2, one length) onto their first dims principal components (default 2). */
  pca(vectors: (Float32Array | number[])[], dims?: number, options?: TaskControl): Promise<Float32Array[]>;
}

/** Progress and cancellation of a long task (training, PCA). */
export interface TaskControl {
  /** Aborting rejects the call with an AbortError; the heads worker is stopped and restarts on the next call. */
  signal?: AbortSignal;
  /** Called as the task advances; total is the count done will reach in that phase. */
  onProgress?: (progress: TaskProgress) => void;
}

export interface TaskProgress {
  /** embed: texts embedded; train: epochs done; pca: 0 then 1. */
  phase: "embed" | "train" | "pca";
  done: number;
  total: number;
}

/** model/heads.TrainOptions; zero or omitted fields take its defaults. */
export interface TrainOptions {
  /** Units of one ReLU hidden layer; 0 (default) trains softmax regression. */
  hidden?: number;
  /** Default 40. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Adam step size, default 0.01. */
  learningRate?: number;
  /** AdamW weight decay, default 1e-4. */
  weightDecay?: number;
  /** Equal seeds and data give equal heads (also equal to a native Go build). */
  seed?: number;
}

/** A trained head: model/heads' saved JSON; JSON.stringify it to store it. */
export interface Head {
  format: "wasmbert-head";
  version: number;
  kind: "classifier" | "tagger";
  labels: string[];
  /** How its input vectors were computed (input, pooling, layer, ...). */
  features?: Record<string, string>;
  layers: { in: number; out: number; activation?: "relu" | "tanh"; weight: number[]; bias: number[] }[];
}

export interface Prediction {
  label: string;
  /** Probability of every label. */
  scores: Record<string, number>;
  /** Raw scores in the head's labels order (a fine-tuned HF head's logits, as transformers gives them). */
  logits: number[];
}

export interface TaggedText {
  text: string;
  /** Entity spans [start, end) in string indices; label is a bare type such as "PER". */
  spans: { start: number; end: number; label: string }[];
}

export interface Entity {
  start: number;
  end: number;
  label: string;
  /** Mean probability of the entity's word tags. */
  score: number;
  text: string;
}

export interface FAQEntry {
  question: string;
  answer: string;
}

export interface FAQOptions extends EmbedOptions {
  /** Cosine below which a query matches nothing (default 0.35, tuned for all-MiniLM-L6-v2). */
  threshold?: number;
  k?: number;
}

export interface FAQResult extends FAQEntry {
  index: number;
  score: number;
  matched: boolean;
}

/**
 * Compiles the engine, downloads (or reads from the cache) and builds the model, and
 * resolves to a ready Wasmbert. Rejects with a TypeError for bad options, an "AbortError"
 * DOMException when aborted, and an Error naming the file for network, integrity,
 * truncated or corrupt-model failures.
 */
export declare function load(options: LoadOptions): Promise<Wasmbert>;
