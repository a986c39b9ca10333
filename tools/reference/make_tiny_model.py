#!/usr/bin/env python3
"""Make the tiny random BERT checkpoint and its reference outputs.

Writes an HF checkpoint directory (model.safetensors, config.json, vocab.txt,
tokenizer_config.json, modules.json, 1_Pooling/config.json,
sentence_bert_config.json) into model/bert/testdata/tiny/, plus
model/bert/testdata/tiny_reference.json with, for ~10 sentences: the input ids
from the HF tokenizer, the last hidden state and every hidden state from
transformers, and the pooled + normalized embedding from sentence-transformers.

The pooling is CLS so the CLS path of the Go side is exercised, and the
activation is "gelu" (exact erf) as in all-MiniLM-L6-v2.

Pinned versions (tools/reference/requirements.txt): torch 2.15.0,
transformers 5.23.0, sentence-transformers 6.2.0, tokenizers 0.23.3,
safetensors 0.8.0, numpy 2.4.6.

Run from the repository root:
    /work/pyref/bin/python tools/reference/make_tiny_model.py
"""
import json
import os
import string

import numpy as np
import torch
from sentence_transformers import SentenceTransformer
from transformers import BertConfig, BertModel, BertTokenizer

OUT = os.path.join("model", "bert", "testdata", "tiny")
REF = os.path.join("model", "bert", "testdata", "tiny_reference.json")

WORDS = """the of and to a in is it you that he was for on are with as i his they
be at one have this from or had by hot word but what some we can out other were all
there when up use your how said an each she which do their time if will way about many
then them write would like so these her long make thing see him two has look more day
could go come did number sound no most people my over know water than call first who
may down side been now find any new work part take get place made live where after back
little only round man year came show every good me give our under name very through just
form sentence great think say help low line differ turn cause much mean before move
right boy old too same tell does set three want air well also play small end put home
read hand port large spell add even land here must big high such follow act why ask
men change went light kind off need house picture try us again animal point mother world
near build self earth father head stand own page should country found answer school grow
study still learn plant cover food sun four between state keep eye never last let
thought city tree cross farm hard start might story saw far sea draw left late run
while press close night real life few north open seem together next white children
begin got walk example ease paper group always music those both mark often letter until
mile river car feet care second book carry took science eat room friend began idea fish
mountain stop once base hear horse cut sure watch color face wood main enough plain girl
usual young ready above ever red list though feel talk bird soon body dog family direct
pose leave song measure door product black short numeral class wind question happen
complete ship area half rock order fire south problem piece told knew pass since top
whole king space heard best hour better true during hundred five remember step early hold
west ground interest reach fast verb sing listen six table travel less morning ten simple
several vowel toward war lay against pattern slow center love person money serve appear
road map rain rule govern pull cold notice voice unit power town fine certain fly fall
lead cry dark machine note wait plan figure star box noun field rest correct able pound
done beauty drive stood contain front teach week final gave green quick develop ocean
warm free minute strong special mind behind clear tail produce fact street inch multiply
nothing course stay wheel full force blue object decide surface deep moon island foot
system busy test record boat common gold possible plane stead dry wonder laugh thousand
ago ran check game shape equate miss brought heat snow tire bring yes distant fill east
paint language among""".split()


def make_vocab():
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = list(string.ascii_lowercase) + list(string.digits) + list(".,!?;:'\"()-")
    vocab += chars
    vocab += ["##" + c for c in string.ascii_lowercase + string.digits]
    vocab += ["##s", "##ing", "##ed", "##er", "##ly"]
    seen = set(vocab)
    for w in WORDS:
        if w not in seen and len(vocab) < 500:
            vocab.append(w)
            seen.add(w)
    return vocab


SENTENCES = [
    "",
    "hello",
    "the quick brown fox jumps over the lazy dog.",
    "Water is the most common thing on the earth, and people drink it every day!",
    "A B C",
    "numbers: 1 2 3 4 5 6 7 8 9 10",
    "zzzz qqqq xylophone",
    "Reading books and writing letters, the children learned many new words.",
    "why?",
    " ".join(WORDS[:120]),
]


def main():
    torch.manual_seed(1234)
    os.makedirs(os.path.join(OUT, "1_Pooling"), exist_ok=True)
    vocab = make_vocab()
    with open(os.path.join(OUT, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")
    with open(os.path.join(OUT, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "unk_token": "[UNK]", "sep_token": "[SEP]",
                   "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]",
                   "tokenize_chinese_chars": True, "strip_accents": None,
                   "tokenizer_class": "BertTokenizer", "model_max_length": 64}, f, indent=1)

    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=64,
                        max_position_embeddings=64, type_vocab_size=2,
                        layer_norm_eps=1e-12, hidden_act="gelu")
    model = BertModel(config, add_pooling_layer=False)
    # Random LayerNorm parameters so gamma/beta are really tested (HF
    # initialises them to 1/0).
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name:
                p.copy_(torch.randn_like(p) * 0.2 + (1.0 if name.endswith("weight") else 0.0))
    model.eval()
    model.save_pretrained(OUT, safe_serialization=True)
    with open(os.path.join(OUT, "modules.json"), "w") as f:
        json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                   {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                   {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
                  f, indent=1)
    with open(os.path.join(OUT, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": 32, "pooling_mode_cls_token": True,
                   "pooling_mode_mean_tokens": False, "pooling_mode_max_tokens": False,
                   "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=1)
    with open(os.path.join(OUT, "sentence_bert_config.json"), "w") as f:
        json.dump({"max_seq_length": 64, "do_lower_case": False}, f, indent=1)

    tok = BertTokenizer(os.path.join(OUT, "vocab.txt"), do_lower_case=True)
    st = SentenceTransformer(OUT, device="cpu")
    st_emb = st.encode(SENTENCES, convert_to_numpy=True, batch_size=4)

    cases = []
    for i, text in enumerate(SENTENCES):
        enc = tok(text, truncation=True, max_length=64, return_tensors="pt")
        with torch.no_grad():
            out = model(**enc, output_hidden_states=True)
        hs = [h[0].numpy().astype(np.float32) for h in out.hidden_states]
        cases.append({
            "text": text,
            "tokens": tok.convert_ids_to_tokens(enc["input_ids"][0].tolist()),
            "ids": enc["input_ids"][0].tolist(),
            "type_ids": enc["token_type_ids"][0].tolist(),
            "hidden_states": [[[float("%.7g" % v) for v in row] for row in h] for h in hs],
            "embedding": [float("%.7g" % v) for v in st_emb[i]],
        })
    with open(REF, "w") as f:
        json.dump({"model": "tiny", "pooling": "cls", "normalize": True, "cases": cases}, f)


if __name__ == "__main__":
    main()
