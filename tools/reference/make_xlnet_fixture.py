"""Reference fixtures for XLNet feature extraction (model/xlnet) and its tokenizer.

Pinned reference versions (see requirements.txt): torch==2.15, transformers==5.23.0,
tokenizers==0.23.3, sentencepiece==0.2.3.

Everything is made here, offline:
  model/tokenizer/testdata/xlnet/tokenizer.json
      a SentencePiece Unigram model trained on the shared corpus with the nmt_nfkc rule
      and XLNet's specials (<unk> <s> </s> <cls> <sep> <pad> <mask> <eod> <eop> at ids
      0-8, as in xlnet-base-cased's spiece.model), converted by transformers'
      XLNetConverter: the layout of the tokenizer.json files on the hub (Replace `` and
      '' by ", NFKD, StripAccents, Precompiled, Replace " {2,}" -> " ", Metaspace,
      TemplateProcessing "$A <sep> <cls>" with type ids 0/1/2)
  model/tokenizer/testdata/xlnet_v5/tokenizer.json
      the same model as transformers 5's XLNetTokenizer builds it itself (no final Replace,
      WhitespaceSplit then Metaspace)
  model/tokenizer/testdata/xlnet_v5_lower/tokenizer.json
      XLNetTokenizer(do_lower_case=True) without the charsmap: the Lowercase normalizer
  model/tokenizer/testdata/<name>.jsonl
      one encoding per line by transformers' PreTrainedTokenizerFast
  model/xlnet/testdata/tiny/{config.json,model.safetensors,tokenizer.json}
      a random XLNetModel (d_model 32, 2 layers, 4 heads) over that vocabulary, its
      weights drawn wider than HF's initializer so that the relative-position and
      segment terms move the attention
  model/xlnet/testdata/tiny_reference.json and tiny_hidden.f32
      for each case (single texts and pairs) the tokenizer's ids and type ids, every
      hidden state of XLNetModel in eval mode (output_hidden_states, mems=None) unpadded,
      and the mean and last-token pooled vectors as sentence-transformers computes them;
      plus all cases as one left-padded batch (the tokenizer's padding) and its
      last_hidden_state. Floats are little-endian float32 in tiny_hidden.f32 at the
      offsets the JSON gives (in floats).

Usage: /tmp/refvenv/bin/python tools/reference/make_xlnet_fixture.py

With a real checkpoint (an HF XLNet directory with tokenizer.json, e.g. xlnet-base-cased,
~470 MB, never downloaded by the build):
  /tmp/refvenv/bin/python tools/reference/make_xlnet_fixture.py --checkpoint DIR OUT.json
writes the same cases' ids, last_hidden_state and pooled vectors for that model, which
  WASMBERT_XLNET_DIR=DIR WASMBERT_XLNET_REF=OUT.json go test ./model/xlnet/xlnetdir -run Checkpoint
checks (hidden states within 1e-4, pooled cosine >= 0.99999). Without a real checkpoint,
  /tmp/refvenv/bin/python tools/reference/make_xlnet_fixture.py --base-shaped DIR
writes a random one laid out as xlnet-base-cased is (XLNetLMHeadModel, "transformer." names,
pytorch_model.bin, d_model 768, 12 heads of 64, d_inner 3072; 4 layers instead of 12 to
stay near 200 MB), with this script's tokenizer, to run the same check on.
"""

import json
import os
import shutil
import sys
import tempfile
import types

import numpy as np
import sentencepiece as spm
import torch
import transformers
from transformers import PreTrainedTokenizerFast, XLNetConfig, XLNetModel
from transformers.convert_slow_tokenizer import XLNetConverter
from transformers.models.xlnet.tokenization_xlnet import XLNetTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_bpe_unigram_fixtures import EXTRA, corpus_lines  # noqa: E402
from make_tokenizer_fixtures import HAND, OUT as TOKENIZER_OUT, random_texts, write_fixtures  # noqa: E402

assert transformers.__version__ == "5.23.0", transformers.__version__

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XLNET_OUT = os.path.join(ROOT, "model", "xlnet", "testdata")
CONTROL = ["<cls>", "<sep>", "<pad>", "<mask>", "<eod>", "<eop>"]

# Odd lengths, quotes the normalizer rewrites, accents it strips, pairs with segments.
CASES = [
    ("Hello world", None),
    ("I want a refund.", None),
    ("Please give me my money back!", None),
    ("``Quoted'' text with café and naïve", None),
    ("a", None),
    ("我想退款", None),
    ("请把钱退给我", None),
    ("東京は日本の首都です。", None),
    ("Emoji 🤗 everywhere 🚀", None),
    ("Antidisestablishmentarianism", None),
    ("The quick brown fox jumps over the lazy dog. Tokenizers split text into pieces.", None),
    ("  leading and trailing  ", None),
    ("Where is my order?", "It ships tomorrow."),
    ("我想退款", "请把钱退给我"),
    ("short", "a much longer second segment with several more words in it"),
    ("x", "y"),
    ("Customer service question matching", "sentiment"),
    ("السلام عليكم", "Ångström Øresund"),
    ("one two three four five six seven", None),
    ("1,000,000 and 3.14", None),
    ("<mask> is a token", None),
]


def train_spm(tmp):
    src = os.path.join(tmp, "corpus.txt")
    with open(src, "w", encoding="utf-8") as f:
        f.write("\n".join(l for l in corpus_lines() if l.strip() and "\n" not in l and "\r" not in l))
    prefix = os.path.join(tmp, "spiece")
    spm.SentencePieceTrainer.train(input=src, model_prefix=prefix, model_type="unigram",
                                   vocab_size=2000, hard_vocab_limit=False,
                                   normalization_rule_name="nmt_nfkc", character_coverage=0.995,
                                   control_symbols=CONTROL, max_sentencepiece_length=16,
                                   num_threads=1, seed_sentencepiece_size=50000, minloglevel=2)
    return prefix + ".model"


def converted(spiece):
    sp = spm.SentencePieceProcessor(model_file=spiece)
    original = types.SimpleNamespace(vocab_file=spiece, keep_accents=False, do_lower_case=False,
                                     convert_tokens_to_ids=sp.piece_to_id)
    return XLNetConverter(original).converted()


def fast_tokenizer(path):
    tok = PreTrainedTokenizerFast(tokenizer_file=path, unk_token="<unk>", bos_token="<s>",
                                  eos_token="</s>", sep_token="<sep>", cls_token="<cls>",
                                  pad_token="<pad>", mask_token="<mask>", padding_side="left",
                                  model_input_names=["input_ids", "token_type_ids", "attention_mask"])
    # XLNetTokenizer's: padding gets segment id 3, apart from both texts and <cls>.
    tok._pad_token_type_id = 3
    return tok


def save_tokenizer(tok, name):
    d = os.path.join(TOKENIZER_OUT, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "tokenizer.json")
    tok.save(path)
    return path


def v5_tokenizer(spiece, lower=False):
    slow = converted(spiece)
    vocab = json.loads(slow.to_str())["model"]["vocab"]
    # Without the charsmap the lowercasing variant stays a small file.
    charsmap = None if lower else spm_charsmap(spiece)
    tok = XLNetTokenizer(vocab=[tuple(v) for v in vocab], unk_id=0, do_lower_case=lower,
                         _spm_precompiled_charsmap=charsmap)
    return tok._tokenizer


def spm_charsmap(spiece):
    from sentencepiece import sentencepiece_model_pb2 as spm_pb2
    proto = spm_pb2.ModelProto()
    with open(spiece, "rb") as f:
        proto.ParseFromString(f.read())
    return proto.normalizer_spec.precompiled_charsmap


def randomize(model, seed=7):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("layer_norm.weight"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias") and "rel_attn.r_" not in name:
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=g))


def pooled(hidden, mask):
    """sentence-transformers' mean and lasttoken pooling of one [S, H] sequence."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    mean = (hidden * m).sum(0) / m.sum(0).clamp(min=1e-9)
    last = hidden[int(mask.nonzero().max())]
    return mean, last


def checkpoint_reference(d, out_path):
    """The cases run through a real checkpoint, one text at a time and as one padded batch."""
    tok = fast_tokenizer(os.path.join(d, "tokenizer.json"))
    model = XLNetModel.from_pretrained(d).eval()
    cases = []
    with torch.no_grad():
        encs = []
        for a, b in CASES:
            enc = tok(a, b) if b is not None else tok(a)
            encs.append(enc)
            t = {k: torch.tensor([v]) for k, v in enc.items()}
            h = model(**t).last_hidden_state[0]
            mean, last = pooled(h, t["attention_mask"][0])
            case = {"text": a, "ids": enc["input_ids"], "type_ids": enc["token_type_ids"],
                    "last_hidden_state": h.tolist(), "mean": mean.tolist(), "last": last.tolist()}
            if b is not None:
                case["pair"] = b
            cases.append(case)
        batch = tok.pad(encs, padding=True, return_tensors="pt")
        out = model(**batch).last_hidden_state
        pb = [pooled(h, m) for h, m in zip(out, batch["attention_mask"])]
    ref = {"transformers": transformers.__version__, "torch": torch.__version__, "checkpoint": d,
           "cases": cases, "batch_mean": [m.tolist() for m, _ in pb],
           "batch_last": [l.tolist() for _, l in pb]}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False)
    print(f"{len(cases)} cases through {d} -> {out_path}")


def base_shaped(d):
    """A random XLNetLMHeadModel with xlnet-base-cased's shapes, saved as the hub's is."""
    from transformers import XLNetLMHeadModel
    cfg = XLNetConfig(vocab_size=32000, d_model=768, n_layer=4, n_head=12, d_inner=3072,
                      ff_activation="gelu", untie_r=True, attn_type="bi", bi_data=False,
                      clamp_len=-1, mem_len=None, use_mems_eval=True, pad_token_id=5,
                      bos_token_id=1, eos_token_id=2)
    torch.manual_seed(1)
    model = XLNetLMHeadModel(cfg).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "layer_norm" not in name:
                p.normal_(0, 0.05)
    os.makedirs(d, exist_ok=True)
    cfg.save_pretrained(d)
    torch.save(model.state_dict(), os.path.join(d, "pytorch_model.bin"))
    shutil.copy(os.path.join(XLNET_OUT, "tiny", "tokenizer.json"), d)
    print(f"random xlnet-base-shaped checkpoint in {d}")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--checkpoint":
        checkpoint_reference(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--base-shaped":
        base_shaped(sys.argv[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        spiece = train_spm(tmp)
        hub = converted(spiece)
        v5 = v5_tokenizer(spiece)
        v5_lower = v5_tokenizer(spiece, lower=True)
    texts = HAND + EXTRA + random_texts(320) + ["``quoted''", "''", "``", "a `` b '' c", "Crème brûlée"]
    path = save_tokenizer(hub, "xlnet")
    tok = fast_tokenizer(path)
    # Saved again as transformers saves it: its special tokens (<unk> too) are added tokens.
    tok.backend_tokenizer.save(path)
    write_fixtures("xlnet", tok, None, texts)
    write_fixtures("xlnet_v5", fast_tokenizer(save_tokenizer(v5, "xlnet_v5")), None, texts)
    write_fixtures("xlnet_v5_lower", fast_tokenizer(save_tokenizer(v5_lower, "xlnet_v5_lower")), None, texts)

    tiny = os.path.join(XLNET_OUT, "tiny")
    os.makedirs(tiny, exist_ok=True)
    shutil.copy(path, os.path.join(tiny, "tokenizer.json"))
    cfg = XLNetConfig(vocab_size=hub.get_vocab_size(), d_model=32, n_layer=2, n_head=4, d_inner=64,
                      ff_activation="gelu", attn_type="bi", bi_data=False, clamp_len=-1,
                      pad_token_id=tok.pad_token_id, bos_token_id=1, eos_token_id=2,
                      use_mems_eval=False, mem_len=None)
    torch.manual_seed(0)
    model = XLNetModel(cfg).eval()
    randomize(model)
    model.save_pretrained(tiny)

    floats, cases = [], []

    def put(a):
        off = sum(len(f) for f in floats)
        floats.append(a.detach().numpy().astype("<f4").ravel())
        return off

    with torch.no_grad():
        for a, b in CASES:
            enc = tok(a, b, return_tensors="pt") if b is not None else tok(a, return_tensors="pt")
            out = model(input_ids=enc["input_ids"], token_type_ids=enc["token_type_ids"],
                        attention_mask=enc["attention_mask"], output_hidden_states=True)
            hs = torch.stack([h[0] for h in out.hidden_states])  # [L+1, S, H]
            assert torch.equal(hs[-1], out.last_hidden_state[0])
            mean, last = pooled(out.last_hidden_state[0], enc["attention_mask"][0])
            case = {"text": a, "ids": enc["input_ids"][0].tolist(),
                    "type_ids": enc["token_type_ids"][0].tolist(), "hidden": put(hs),
                    "mean": mean.tolist(), "last": last.tolist()}
            if b is not None:
                case["pair"] = b
            cases.append(case)
        firsts = [a for a, _ in CASES]
        seconds = [b if b is not None else "" for _, b in CASES]
        # Pairs and singles do not mix in one call; the batch holds every case's first
        # text, paired with its second where it has one, by encoding them one by one
        # and padding the list.
        encs = [tok(a, b) if b else tok(a) for a, b in zip(firsts, seconds)]
        batch = tok.pad(encs, padding=True, return_tensors="pt")
        out = model(input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"],
                    attention_mask=batch["attention_mask"])
        pooled_batch = [pooled(h, m) for h, m in zip(out.last_hidden_state, batch["attention_mask"])]
        ref = {
            "transformers": transformers.__version__, "torch": torch.__version__,
            "hidden_size": cfg.d_model, "layers": cfg.n_layer, "cases": cases,
            "batch": {"ids": batch["input_ids"].tolist(), "type_ids": batch["token_type_ids"].tolist(),
                      "mask": batch["attention_mask"].tolist(), "last": put(out.last_hidden_state),
                      "pooled_mean": [m.tolist() for m, _ in pooled_batch],
                      "pooled_last": [l.tolist() for _, l in pooled_batch]},
        }
    np.concatenate(floats).tofile(os.path.join(XLNET_OUT, "tiny_hidden.f32"))
    with open(os.path.join(XLNET_OUT, "tiny_reference.json"), "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False)
    print(f"{len(cases)} cases, batch {tuple(batch['input_ids'].shape)}, "
          f"{sum(len(f) for f in floats)} floats")


if __name__ == "__main__":
    main()
