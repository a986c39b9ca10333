"""Make the HF head fixtures of model/heads: two tiny randomly initialised
checkpoints, BertForSequenceClassification and BertForTokenClassification,
with the hidden states their heads read and the logits they produce.

Reference environment (tools/reference/requirements.txt): torch==2.15.0,
transformers==5.23.0, safetensors==0.8.0, numpy==2.4.6.

    /work/pyref/bin/python tools/reference/make_head_fixtures.py

Writes model/heads/testdata/hf_{seqcls,tokcls}/{config.json,model.safetensors,reference.json}.
"""
import json
import os

import torch
import transformers
from transformers import BertConfig, BertForSequenceClassification, BertForTokenClassification

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "model", "heads", "testdata")


def tiny_config(labels):
    return BertConfig(
        vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=32, type_vocab_size=2,
        id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)},
    )


def save(name, model, hidden, logits):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    model.save_pretrained(d, safe_serialization=True)
    with open(os.path.join(d, "reference.json"), "w") as f:
        json.dump({
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "hidden": hidden.tolist(),
            "logits": logits.tolist(),
        }, f)
        f.write("\n")


def main():
    torch.manual_seed(1234)
    ids = torch.randint(5, 64, (3, 7))
    mask = torch.ones_like(ids)
    mask[2, 5:] = 0

    seq = BertForSequenceClassification(tiny_config(["billing", "shipping", "refund"])).eval()
    with torch.no_grad():
        out = seq(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    # The sequence head reads the [CLS] (first) token of the last layer.
    save("hf_seqcls", seq, out.hidden_states[-1][:, 0, :], out.logits)

    tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    tok = BertForTokenClassification(tiny_config(tags)).eval()
    with torch.no_grad():
        out = tok(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    save("hf_tokcls", tok, out.hidden_states[-1].reshape(-1, 32), out.logits.reshape(-1, len(tags)))


if __name__ == "__main__":
    main()
