"""Make whole fine-tuned-style HF checkpoints for the heads' end-to-end tests:
a tiny random BertForSequenceClassification and BertForTokenClassification,
each with its tokenizer (the vocabulary of model/bert/testdata/tiny), and the
logits transformers gives for a few texts. The CLI (`wasmbert convert` +
`classify`/`ner --head`), the JS library and the edge worker must reproduce
them from text: tokenizer, encoder and head together.

tools/reference/make_head_fixtures.py makes checkpoints without a tokenizer;
they test the head alone on given hidden states.

Reference environment (tools/reference/requirements.txt): torch==2.15.0,
transformers==5.23.0, tokenizers==0.23.3, safetensors==0.8.0, numpy==2.4.6.

    python tools/reference/make_hf_checkpoint_fixtures.py

Writes model/heads/testdata/hf_ckpt_{seqcls,tokcls}/{config.json,model.safetensors,
vocab.txt,tokenizer_config.json,reference.json}.
"""
import json
import os
import shutil

import torch
import transformers
from transformers import BertConfig, BertForSequenceClassification, BertForTokenClassification, BertTokenizer

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
VOCAB = os.path.join(ROOT, "model", "bert", "testdata", "tiny", "vocab.txt")
OUT = os.path.join(ROOT, "model", "heads", "testdata")

TEXTS = [
    "the water was cold and the food was good.",
    "my father and mother live near the river in a small town",
    "why did the children stop there?",
    "a great big house, with green trees",
    "zzzz qqqq",
]


def tiny_config(vocab_size, labels):
    return BertConfig(
        vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=64, type_vocab_size=2,
        layer_norm_eps=1e-12, hidden_act="gelu",
        id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)},
    )


def randomize(model):
    # HF initialises LayerNorm to 1/0 and Linear weights with std 0.02: the
    # [CLS] state then barely depends on the text and every text gets about
    # the same logits. Wider random weights make a wrong token or layer show.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name:
                p.copy_(torch.randn_like(p) * 0.2 + (1.0 if name.endswith("weight") else 0.0))
            elif name.startswith(("classifier.", "bert.pooler.")):
                p.copy_(torch.randn_like(p) * 0.3)
            elif name.endswith(".weight") and p.dim() == 2 and "embeddings" not in name:
                p.copy_(torch.randn_like(p) * 0.25)
    return model.eval()


def save(name, model, tok, rows):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    model.save_pretrained(d, safe_serialization=True)
    tok.save_pretrained(d)
    # transformers 5 saves the fast tokenizer.json; the fixture keeps the
    # vocab.txt it was built from instead (smaller, and the same tokens).
    for extra in ("special_tokens_map.json", "tokenizer.json", "added_tokens.json"):
        if os.path.exists(os.path.join(d, extra)):
            os.remove(os.path.join(d, extra))
    shutil.copy(VOCAB, os.path.join(d, "vocab.txt"))
    with open(os.path.join(d, "reference.json"), "w") as f:
        json.dump({"transformers": transformers.__version__, "torch": torch.__version__, "cases": rows}, f)
        f.write("\n")


def main():
    torch.manual_seed(4321)
    tok = BertTokenizer(VOCAB, do_lower_case=True, model_max_length=64)
    # The embedding table has a row per line of vocab.txt, as the checkpoint
    # converter checks (the file repeats one token, so len(tok.vocab) is one less).
    with open(VOCAB) as f:
        vocab_size = sum(1 for _ in f)

    seq = randomize(BertForSequenceClassification(tiny_config(vocab_size, ["negative", "positive"])))
    rows = []
    for text in TEXTS:
        enc = tok(text, return_tensors="pt")
        with torch.no_grad():
            logits = seq(**enc).logits[0]
        rows.append({"text": text, "tokens": tok.convert_ids_to_tokens(enc["input_ids"][0].tolist()),
                     "logits": [float("%.7g" % v) for v in logits.tolist()]})
    save("hf_ckpt_seqcls", seq, tok, rows)

    tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    tagger = randomize(BertForTokenClassification(tiny_config(vocab_size, tags)))
    rows = []
    for text in TEXTS:
        enc = tok(text, return_tensors="pt")
        with torch.no_grad():
            logits = tagger(**enc).logits[0]
        # One row per token, [CLS] and [SEP] included.
        rows.append({"text": text, "tokens": tok.convert_ids_to_tokens(enc["input_ids"][0].tolist()),
                     "logits": [[float("%.7g" % v) for v in row] for row in logits.tolist()]})
    save("hf_ckpt_tokcls", tagger, tok, rows)


if __name__ == "__main__":
    main()
