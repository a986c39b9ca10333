// Which optional library APIs this build has. The downstream tasks
// (classifier, NER, PCA) arrive in the library after the embedding API; the
// page shows "not available" for whatever is missing instead of faking it.

import { Wasmbert } from "../lib/index.js";

const NEEDS = {
  classifier: ["trainClassifier", "classify"],
  ner: ["trainTagger", "ner"],
  pca: ["pca"],
};

/** {classifier, ner, pca}: true where the library's model object has the methods. */
export const capabilities = Object.fromEntries(
  Object.entries(NEEDS).map(([cap, methods]) => [cap, methods.every((m) => typeof Wasmbert.prototype[m] === "function")]),
);
