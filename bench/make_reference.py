"""Reference embeddings for bench: sentence-transformers on all-MiniLM-L6-v2.

Writes bench/reference.json: the embeddings of every 10th corpus text (100
texts) and of the three single texts, as the fidelity target for both libraries,
plus the token count of every corpus text (for the corpus description).

Pinned: sentence-transformers 6.2.0, transformers 5.23.0, torch 2.15.0,
tokenizers 0.23.3 (tools/reference/requirements.txt).

    /work/pyref/bin/python bench/make_reference.py --checkpoint /path/to/all-MiniLM-L6-v2
"""

import argparse
import json
from importlib.metadata import version
from pathlib import Path

import numpy as np
from sentence_transformers import SentenceTransformer

HERE = Path(__file__).parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    a = ap.parse_args()

    corpus = [json.loads(l) for l in (HERE / "corpus.jsonl").read_text().splitlines()]
    singles = json.loads((HERE / "single_texts.json").read_text())
    st = SentenceTransformer(a.checkpoint, device="cpu")
    tok = st.tokenizer

    lengths = [len(tok(c["text"])["input_ids"]) for c in corpus]
    print("corpus tokens: min %d p50 %d mean %.1f max %d" % (min(lengths), np.median(lengths), np.mean(lengths), max(lengths)))
    for k, t in singles.items():
        print(f"single {k}: {len(tok(t)['input_ids'])} tokens")

    sample = corpus[::10]
    texts = [c["text"] for c in sample] + list(singles.values())
    emb = st.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    rows = [{"id": c["id"], "embedding": [round(float(x), 6) for x in e]} for c, e in zip(sample, emb)]
    rows += [{"single": k, "embedding": [round(float(x), 6) for x in e]} for k, e in zip(singles, emb[len(sample):])]
    out = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "pooling": "mean",
        "normalize": True,
        "max_seq_length": st.max_seq_length,
        "versions": {p: version(p) for p in ["sentence-transformers", "transformers", "torch", "tokenizers"]},
        "corpus_tokens": lengths,
        "single_tokens": {k: len(tok(t)["input_ids"]) for k, t in singles.items()},
        "embeddings": rows,
    }
    (HERE / "reference.json").write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
