#!/usr/bin/env python3
"""Make tiny random RoBERTa and XLM-R checkpoints and their reference outputs.

Writes three sentence-transformers checkpoint directories, each with the
tokenizer.json of the model/tokenizer fixtures (made by
make_bpe_unigram_fixtures.py):

  model/bert/testdata/tiny_roberta/  RobertaModel, byte-level BPE (bpe/tokenizer.json)
  model/bert/testdata/tiny_xlmr/     XLMRobertaModel, Unigram (unigram/tokenizer.json)
  model/bert/testdata/tiny_e5/       BertModel with a Unigram tokenizer (unigram_v5/:
                                     byte fallback, no charsmap): the layout of
                                     multilingual-e5-small and paraphrase-multilingual-
                                     MiniLM-L12-v2 (BERT positions, two token types)

and beside each <name>_reference.json with, per sentence: the input ids from
transformers' PreTrainedTokenizerFast, every hidden state from transformers
and the pooled, normalized embedding from sentence-transformers (mean
pooling, as all-distilroberta-v1 and multilingual-e5-small use).

RoBERTa's and XLM-R's position ids are transformers'
create_position_ids_from_input_ids (padding_idx + 1 onwards, <pad> tokens at
padding_idx), so one sentence
holds a literal <pad> inside the text. LayerNorm parameters are random so
that gamma and beta are really tested.

Pinned versions: tools/reference/requirements.txt (torch 2.15, transformers
5.23, sentence-transformers, tokenizers 0.23.3).

Run from the repository root:
    /tmp/refvenv/bin/python tools/reference/make_tiny_roberta.py
"""
import json
import os
import shutil

import numpy as np
import torch
from sentence_transformers import SentenceTransformer
from transformers import (BertConfig, BertModel, PreTrainedTokenizerFast, RobertaConfig,
                          RobertaModel, XLMRobertaConfig, XLMRobertaModel)

TESTDATA = os.path.join("model", "bert", "testdata")
TOKDATA = os.path.join("model", "tokenizer", "testdata")
MAX_TOKENS = 64

SENTENCES = [
    "",
    "hello",
    "The quick brown fox jumps over the lazy dog.",
    "我想退款，请把钱退给我。",
    "Crème brûlée, naïve café — déjà vu!",
    "hello <pad> world",
    "emoji 😀👍🏽 and Ünïcödé",
    "東京は日本の首都です。 مرحبا بالعالم",
    "  spaces   everywhere  ",
    " ".join(["internationalization"] * 30),
]

FAMILIES = [
    ("tiny_roberta", "bpe", RobertaConfig, RobertaModel, 1),
    ("tiny_xlmr", "unigram", XLMRobertaConfig, XLMRobertaModel, 1),
    ("tiny_e5", "unigram_v5", BertConfig, BertModel, 2),
]


def make(name, tokdir, config_cls, model_cls, type_vocab_size, seed):
    out = os.path.join(TESTDATA, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "1_Pooling"))
    shutil.copy(os.path.join(TOKDATA, tokdir, "tokenizer.json"), out)
    with open(os.path.join(out, "tokenizer.json")) as f:
        tj = json.load(f)
    vocab = max([len(tj["model"]["vocab"])] + [a["id"] + 1 for a in tj["added_tokens"]])
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 512,
                   "bos_token": "<s>", "eos_token": "</s>", "cls_token": "<s>", "sep_token": "</s>",
                   "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>"}, f, indent=1)

    torch.manual_seed(seed)
    config = config_cls(vocab_size=vocab, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=MAX_TOKENS + 2, type_vocab_size=type_vocab_size,
                        layer_norm_eps=1e-5, hidden_act="gelu", pad_token_id=1, bos_token_id=0, eos_token_id=2)
    model = model_cls(config, add_pooling_layer=False)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if "LayerNorm" in pname:
                p.copy_(torch.randn_like(p) * 0.2 + (1.0 if pname.endswith("weight") else 0.0))
    model.eval()
    model.save_pretrained(out, safe_serialization=True)
    with open(os.path.join(out, "modules.json"), "w") as f:
        json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                   {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                   {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
                  f, indent=1)
    with open(os.path.join(out, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": 32, "pooling_mode_cls_token": False,
                   "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                   "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=1)
    with open(os.path.join(out, "sentence_bert_config.json"), "w") as f:
        json.dump({"max_seq_length": MAX_TOKENS, "do_lower_case": False}, f, indent=1)

    tok = PreTrainedTokenizerFast.from_pretrained(out)
    st = SentenceTransformer(out, device="cpu")
    emb = st.encode(SENTENCES, convert_to_numpy=True, batch_size=4)
    cases = []
    for i, text in enumerate(SENTENCES):
        enc = tok(text, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        with torch.no_grad():
            hs = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                       output_hidden_states=True).hidden_states
        cases.append({
            "text": text,
            "tokens": tok.convert_ids_to_tokens(enc["input_ids"][0].tolist()),
            "ids": enc["input_ids"][0].tolist(),
            "hidden_states": [[[float("%.7g" % v) for v in row] for row in h[0].numpy().astype(np.float32)] for h in hs],
            "embedding": [float("%.7g" % v) for v in emb[i]],
        })
    with open(os.path.join(TESTDATA, name + "_reference.json"), "w") as f:
        json.dump({"model": name, "pooling": "mean", "normalize": True, "cases": cases}, f)


def main():
    for seed, family in enumerate(FAMILIES):
        make(*family, 4321 + seed)


if __name__ == "__main__":
    main()
