"""Reference fixtures for the byte-level BPE and SentencePiece Unigram tokenizers of model/tokenizer.

Pinned reference versions (see requirements.txt): tokenizers==0.23.3, transformers==5.23.0,
sentencepiece==0.2.3 (to train the Unigram model and build its precompiled NFKC charsmap).

Everything is made here, offline, from a small corpus this script writes:
  bpe/tokenizer.json      a RoBERTa-style byte-level BPE trained with tokenizers: ByteLevel
                          pre-tokenizer, RobertaProcessing (<s> A </s></s> B </s>, trim_offsets),
                          <mask> with lstrip as in roberta-base, plus two non-special added tokens
  bpe_prefix/tokenizer.json  the same with add_prefix_space=true (pre-tokenizer and processor)
  unigram/tokenizer.json  an XLM-R-style Unigram: a SentencePiece model trained with the
                          nmt_nfkc rule, laid out as xlm-roberta-base's tokenizer.json is
                          (XLMRobertaConverter's vocabulary order, unk_id 3, Precompiled charsmap
                          then Replace " {2,}" -> " ", Metaspace prepend_scheme "always",
                          TemplateProcessing <s> $A </s> </s> $B </s>)
  unigram_v5/tokenizer.json  what transformers 5 builds itself for SentencePiece models: the
                          normalizer of its SpmConverter (Strip right, Replace " {2,}" -> "▁")
                          and the pre-tokenizer of its XLMRobertaTokenizer (WhitespaceSplit,
                          then Metaspace), on a SentencePiece model trained with byte_fallback
                          (<0xNN> pieces) and the identity rule (no charsmap: a small file)
  <name>.jsonl            one encoding per line by transformers' PreTrainedTokenizerFast
  hf_bytelevel.txt        the character classes of the ByteLevel pre-tokenizer's regular
                          expression (\p{L}, \p{N}, \s) per code point, from the reference

Usage: /tmp/venv/bin/python tools/reference/make_bpe_unigram_fixtures.py
"""

import json
import os
import sys
import tempfile

import sentencepiece as spm
import tokenizers
import transformers
from sentencepiece import sentencepiece_model_pb2 as spm_pb2
from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import BPE, Unigram
from tokenizers.trainers import BpeTrainer
from transformers import PreTrainedTokenizerFast

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_tokenizer_fixtures import CORPUS, HAND, OUT, random_texts, write_fixtures  # noqa: E402

assert tokenizers.__version__ == "0.23.3", tokenizers.__version__
assert transformers.__version__ == "5.23.0", transformers.__version__
assert spm.__version__ == "0.2.3", spm.__version__

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]

# Text these tokenizers meet beyond the WordPiece strings: added tokens in context,
# spacing around them, runs of spaces the Unigram normalizer collapses, and NFKC cases.
EXTRA = [
    "<s>", "</s>", "<mask>", "a <mask> b", "a<mask>b", "The  <mask>  sat.", "<pad><unk>",
    "<s> hello </s>", "x</s></s>y", "hello world", "Hello wasmbert!", "wasmbert", " wasmbert ",
    "wasmbertwasmbert", "<new>", "a <new> b", "a<new>b", "<new><new>", "héllo wörld", "Héllo",
    "  two  spaces  ", "     five", "end     ", "a\u00a0\u00a0b", "\u3000\u3000全角", "ﬁﬂ ㍿ ㈱",
    "①②③", "ｱｲｳｴｵ", "ＡＢＣ１２３", "Ⅷ", "™", "x²", "…", "\u2028", "ǅ", "Å", "Ω", "ﾊﾟﾋﾟ",
    "Ǆemal", "can't won't it's I'm you're we've they'll he'd", "'s 'S 't 're 've 'm 'll 'd",
    "123 4567 89", "a1b2c3", "  leading and trailing  ", "\n\nparagraphs\n\n", "tab\t\tx",
    "السلام عليكم ورحمة الله", "مكتبة كبيرة", "我想退款", "请把钱退给我", "今天天气很好",
    "股市今天下跌", "東京都渋谷区", "ラーメンを食べたい", "🤗🤗🤗", "👩🏽‍💻 coding", "🏳️‍🌈",
    "antidisestablishmentarianism" * 3, "Donaudampfschifffahrtsgesellschaftskapitän",
    "a" * 300, "中" * 300, "é" * 50 + "e\u0301" * 50,
]

MORE_CORPUS = """Customer service: I want a refund. Please give me my money back. Where is my order?
我想退款。请把钱退给我。我的订单在哪里？今天天气很好。股市今天下跌。客服问题匹配。
東京は日本の首都です。ラーメンを食べたいです。すみません、駅はどこですか。
السلام عليكم. أريد استرداد أموالي. أين طلبي؟ الطقس جميل اليوم.
Emoji 😀 😃 🤗 👍🏽 🎉 ❤️ are everywhere 🚀🚀.
Accents: éèêë àâä ïî ôö ùûü ç ñ ÿ; Ångström, Øresund, Đakovo, Kraków.
Antidisestablishmentarianism, Donaudampfschifffahrtsgesellschaftskapitän, pneumonoultramicroscopic.
Whitespace   oddities:	tabs,  double  spaces, non\u00a0breaking, ideographic\u3000space.
Fullwidth ＡＢＣ１２３ and halfwidth ｶﾀｶﾅ and ligatures ﬁ ﬂ and circled ①②③.
"""


def corpus_lines():
    text = CORPUS + MORE_CORPUS
    # Half the hand-written strings and unrelated random strings, so that the fixtures
    # also meet words the vocabularies lack.
    return text.splitlines() + HAND[::2] + EXTRA[::3] + random_texts(600, seed=99)


def fast_tokenizer(path):
    return PreTrainedTokenizerFast(tokenizer_file=path, bos_token="<s>", eos_token="</s>",
                                   sep_token="</s>", cls_token="<s>", unk_token="<unk>",
                                   pad_token="<pad>", mask_token="<mask>")


def save(tok, name):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "tokenizer.json")
    tok.save(path)
    return path


def added_tokens(tok):
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False, lstrip=t == "<mask>")
                            for t in SPECIALS])
    # A normalized added token matched in normalized text, and a verbatim one that eats
    # the spaces on its right.
    tok.add_tokens([AddedToken("wasmbert", normalized=True, single_word=True),
                    AddedToken("<new>", normalized=False, rstrip=True)])


def train_bpe(lines):
    tok = Tokenizer(BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = BpeTrainer(vocab_size=1200, min_frequency=2, special_tokens=SPECIALS,
                         initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(lines, trainer)
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")),
                                                      ("<s>", tok.token_to_id("<s>")),
                                                      trim_offsets=True, add_prefix_space=False)
    added_tokens(tok)
    return tok


def with_prefix_space(path, name):
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    j["pre_tokenizer"]["add_prefix_space"] = True
    j["post_processor"]["add_prefix_space"] = True
    return save(Tokenizer.from_str(json.dumps(j, ensure_ascii=False)), name)


def train_unigram(lines, tmp, byte_fallback):
    src = os.path.join(tmp, "corpus.txt")
    with open(src, "w", encoding="utf-8") as f:
        f.write("\n".join(l for l in lines if l.strip() and "\n" not in l and "\r" not in l))
    prefix = os.path.join(tmp, f"spm{int(byte_fallback)}")
    spm.SentencePieceTrainer.train(input=src, model_prefix=prefix, model_type="unigram",
                                   vocab_size=2000, hard_vocab_limit=False,
                                   normalization_rule_name="identity" if byte_fallback else "nmt_nfkc", character_coverage=0.995,
                                   max_sentencepiece_length=16, num_threads=1, byte_fallback=byte_fallback, seed_sentencepiece_size=50000,
                                   minloglevel=2)
    proto = spm_pb2.ModelProto()
    with open(prefix + ".model", "rb") as f:
        proto.ParseFromString(f.read())
    # XLMRobertaConverter.vocab: fairseq ids for the four specials, the SentencePiece
    # pieces after its own <unk> <s> </s>, and <mask> last.
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += [(p.piece, p.score) for p in proto.pieces[3:]]
    vocab += [("<mask>", 0.0)]
    return vocab, proto.normalizer_spec.precompiled_charsmap


def unigram_tokenizer(vocab, charsmap, v5):
    tok = Tokenizer(Unigram(vocab, unk_id=3, byte_fallback=v5))
    if v5:
        # SpmConverter.normalizer; the identity rule leaves no charsmap, so no Precompiled.
        tok.normalizer = normalizers.Sequence([normalizers.Strip(left=False, right=True),
                                               normalizers.Replace(Regex(" {2,}"), "▁")])
    else:
        tok.normalizer = normalizers.Sequence([normalizers.Precompiled(charsmap),
                                               normalizers.Replace(Regex(" {2,}"), " ")])
    metaspace = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    if v5:
        tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), metaspace])
    else:
        tok.pre_tokenizer = metaspace
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)])
    added_tokens(tok)
    return tok


def bytelevel_scan(path):
    """Character classes of the GPT-2 pattern as the reference's regex engine sees them.

    Its Unicode tables are older than Go's; model/tokenizer generates the differences
    from this file (go generate) and its tests check every code point against it.
    """
    pre = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    classes = {k: [] for k in ("letter", "number", "space")}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        if len(pre.pre_tokenize_str("a" + c)) == 1:
            k = "letter"
        elif len(pre.pre_tokenize_str("1" + c)) == 1:
            k = "number"
        elif len(pre.pre_tokenize_str("!" + c)) == 2:
            k = "space"
        else:
            continue
        r = classes[k]
        if r and r[-1][1] == cp - 1:
            r[-1][1] = cp
        else:
            r.append([cp, cp])
    with open(path, "w") as f:
        f.write("# generated by tools/reference/make_bpe_unigram_fixtures.py, tokenizers "
                f"{tokenizers.__version__}\n")
        f.write("# class first last (hex, inclusive); other code points are neither\n")
        for k, ranges in classes.items():
            for a, b in ranges:
                f.write(f"{k} {a:x} {b:x}\n")


def main():
    lines = corpus_lines()
    texts = HAND + EXTRA + random_texts(320)
    print(f"{len(texts)} strings")

    path = save(train_bpe(lines), "bpe")
    write_fixtures("bpe", fast_tokenizer(path), None, texts)
    path = with_prefix_space(path, "bpe_prefix")
    write_fixtures("bpe_prefix", fast_tokenizer(path), None, texts)

    for name, v5 in (("unigram", False), ("unigram_v5", True)):
        with tempfile.TemporaryDirectory() as tmp:
            vocab, charsmap = train_unigram(lines, tmp, byte_fallback=v5)
        path = save(unigram_tokenizer(vocab, charsmap, v5), name)
        write_fixtures(name, fast_tokenizer(path), None, texts)
    bytelevel_scan(os.path.join(OUT, "hf_bytelevel.txt"))


if __name__ == "__main__":
    main()
