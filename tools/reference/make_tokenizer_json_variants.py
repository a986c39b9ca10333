"""Reference fixtures for tokenizer.json options a vocab.txt cannot express.

Each variant is testdata/uncased/tokenizer.json (all-MiniLM-L6-v2) with one edit, stored as
testdata/<variant>/tokenizer_patch.json: objects merge key by key, any other value replaces
(a null too, since "normalizer": null is the option under test). The
encodings of the texts of uncased.jsonl under the patched tokenizer go to <variant>.jsonl,
in the row format of make_tokenizer_fixtures.py.

Needs only tokenizers (pinned in requirements.txt). As a self-check the unpatched
tokenizer.json must reproduce uncased.jsonl, which make_tokenizer_fixtures.py wrote through
transformers, row for row.

Usage: python tools/reference/make_tokenizer_json_variants.py
"""

import base64
import json
import os

import tokenizers
from tokenizers import Tokenizer

assert tokenizers.__version__ == "0.23.3", tokenizers.__version__

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "model", "tokenizer", "testdata")

VARIANTS = {
    # No normalizer at all: no lowercasing, no cleaning, no CJK splitting.
    "uncased_nonormalizer": {"normalizer": None},
    # BertNormalizer without clean_text: control and format characters stay.
    "uncased_noclean": {"normalizer": {"clean_text": False}},
    # Words longer than 8 characters become [UNK].
    "uncased_maxchars8": {"model": {"max_input_chars_per_word": 8}},
}


def merge(doc, patch):
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(doc.get(k), dict):
            merge(doc[k], v)
        else:
            doc[k] = v
    return doc


def encode(tok, row):
    text = base64.b64decode(row["text_b64"]).decode("utf-8", errors="replace") \
        if "text_b64" in row else row["text"]
    m = row.get("max_length")
    # transformers encodes an empty second text as no pair at all.
    pair = row.get("pair") or None
    tok.no_padding()
    if m:
        tok.enable_truncation(max_length=m, strategy="longest_first")
    else:
        tok.no_truncation()
    enc = tok.encode(text, pair)
    tok.no_truncation()
    full = tok.encode(text, pair)
    out = {k: row[k] for k in ("text", "text_b64", "pair", "max_length") if k in row}
    out.update({
        "ids": enc.ids,
        "tokens": enc.tokens,
        "offsets": [list(o) for o in enc.offsets],
        "type_ids": enc.type_ids,
        "mask": enc.attention_mask,
        "word_ids": [-1 if w is None else w for w in enc.word_ids],
        "full_length": len(full.ids),
    })
    return out


def main():
    with open(os.path.join(OUT, "uncased", "tokenizer.json"), encoding="utf-8") as f:
        base = json.load(f)
    with open(os.path.join(OUT, "uncased.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]

    tok = Tokenizer.from_str(json.dumps(base))
    for row in rows:
        got = encode(tok, row)
        want = {k: v for k, v in row.items() if k != "slow_differs"}
        assert got == want, (row, got)
    print(f"self-check: tokenizers reproduces uncased.jsonl ({len(rows)} rows)")

    for name, patch in VARIANTS.items():
        tok = Tokenizer.from_str(json.dumps(merge(json.loads(json.dumps(base)), patch)))
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "tokenizer_patch.json"), "w") as f:
            json.dump(patch, f, indent=2)
            f.write("\n")
        out = [encode(tok, row) for row in rows]
        with open(os.path.join(OUT, name + ".jsonl"), "w", encoding="utf-8") as f:
            for row in out:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        changed = sum(a["ids"] != b["ids"] for a, b in zip(out, rows))
        print(f"{name}: {len(out)} encodings, {changed} differ from uncased")


if __name__ == "__main__":
    main()
