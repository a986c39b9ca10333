#!/usr/bin/env python3
"""Make the all-MiniLM-L6-v2 reference fixtures.

Writes
  model/engine/testdata/minilm_embeddings.json  index: texts, token counts, truncation
  model/engine/testdata/minilm_embeddings.f32   little-endian float32 [n, 384] embeddings
                                                 from sentence-transformers (mean pooling,
                                                 normalized, max_seq_length 256)
  model/bert/testdata/minilm_hidden.json         index: texts, ids, shapes, offsets
  model/bert/testdata/minilm_hidden.f32          every hidden state (embeddings output +
                                                 6 layers) from transformers for 4 short
                                                 sentences, little-endian float32

Pinned versions (tools/reference/requirements.txt): torch 2.15.0,
transformers 5.23.0, sentence-transformers 6.2.0, tokenizers 0.23.3,
safetensors 0.8.0, numpy 2.4.6.

Run from the repository root with the checkpoint directory as argument:
    /work/pyref/bin/python tools/reference/make_embedding_fixtures.py CHECKPOINT_DIR
"""
import json
import os
import sys

import numpy as np
import torch
from sentence_transformers import SentenceTransformer
from transformers import AutoModel, AutoTokenizer

ENGINE_OUT = os.path.join("model", "engine", "testdata")
BERT_OUT = os.path.join("model", "bert", "testdata")

BASE = [
    "",
    "a",
    "Hello!",
    "hello world",
    "The cat sat on the mat.",
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "A man is riding a horse.",
    "A woman is playing violin.",
    "Two men pushed carts through the woods.",
    "A man is riding a white horse on an enclosed ground.",
    "A monkey is playing drums.",
    "Someone in a gorilla costume is playing a set of drums.",
    "How do I bake sourdough bread at home?",
    "What is the capital of France?",
    "Paris is the capital and most populous city of France.",
    "Berlin is the capital of Germany.",
    "The mitochondria is the powerhouse of the cell.",
    "Photosynthesis converts light energy into chemical energy.",
    "I love programming in Go.",
    "WebAssembly lets you run compiled code in the browser.",
    "BERT is a transformer encoder pre-trained with masked language modelling.",
    "Sentence embeddings map text to dense vectors.",
    "The stock market fell 3.5% on Tuesday after the announcement.",
    "Call me at 555-0100 or email test@example.com.",
    "https://example.com/path?query=1&x=2",
    "UNBELIEVABLE!!! this is SO cool :)",
    "don't won't can't shouldn't",
    "e.g. i.e. etc. Mr. Smith vs. Dr. Jones",
    "The year 1999 was followed by 2000, then 2001.",
    "3.14159 2.71828 1.41421",
    "C++ and C# are different languages; so are Java and JavaScript.",
    "naïve café résumé façade coöperate",
    "Ångström Øresund Straße Œuvre",
    "Der schnelle braune Fuchs springt über den faulen Hund.",
    "Le renard brun rapide saute par-dessus le chien paresseux.",
    "El rápido zorro marrón salta sobre el perro perezoso.",
    "La volpe marrone veloce salta sopra il cane pigro.",
    "A rápida raposa marrom pula sobre o cão preguiçoso.",
    "Быстрая коричневая лиса прыгает через ленивую собаку.",
    "Η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο.",
    "敏捷的棕色狐狸跳过了懒狗。",
    "素早い茶色の狐がのろまな犬を飛び越える。",
    "빠른 갈색 여우가 게으른 개를 뛰어 넘는다.",
    "الثعلب البني السريع يقفز فوق الكلب الكسول.",
    "השועל החום המהיר קופץ מעל הכלב העצלן.",
    "तेज़ भूरी लोमड़ी आलसी कुत्ते के ऊपर कूदती है।",
    "สุนัขจิ้งจอกสีน้ำตาลกระโดดข้ามสุนัขขี้เกียจ",
    "Hızlı kahverengi tilki tembel köpeğin üzerinden atlar.",
    "Emoji test 😀🎉👍 and symbols ©®™",
    "    leading and trailing spaces    ",
    "tabs\tand\nnewlines\r\nmixed",
    "ALL CAPS SENTENCE FOR TESTING",
    "mIxEd CaSe WoRdS",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "#hashtag @mention $money %percent ^caret &amp *star",
    "(parentheses) [brackets] {braces} <angles>",
    "...",
    "?",
    "— – - ‐ hyphens and dashes …",
    "\u00a0non-breaking\u00a0space and zero\u200bwidth",
    "The quick brown fox jumps over the lazy dog.",
    "A quick brown dog outpaces a lazy fox.",
    "Machine learning models require large amounts of training data.",
    "Deep learning is a subset of machine learning.",
    "The weather today is sunny with a chance of rain in the evening.",
    "It is going to rain tomorrow.",
    "She sells sea shells by the sea shore.",
    "Peter Piper picked a peck of pickled peppers.",
    "To be, or not to be, that is the question.",
    "All that glitters is not gold.",
    "The early bird catches the worm.",
    "Actions speak louder than words.",
    "A journey of a thousand miles begins with a single step.",
    "Knowledge is power.",
    "Time flies like an arrow; fruit flies like a banana.",
    "Colorless green ideas sleep furiously.",
    "The old man the boat.",
    "Buffalo buffalo Buffalo buffalo buffalo buffalo Buffalo buffalo.",
    "I saw her duck.",
    "The complex houses married and single soldiers and their families.",
    "Water boils at 100 degrees Celsius at sea level.",
    "The speed of light is approximately 299,792 kilometres per second.",
    "DNA carries genetic instructions for living organisms.",
    "The Great Wall of China is visible from low Earth orbit only under ideal conditions.",
    "Mount Everest is the highest mountain above sea level.",
    "The Pacific Ocean is the largest ocean on Earth.",
    "Shakespeare wrote Hamlet, Macbeth and Othello.",
    "Beethoven composed nine symphonies.",
    "The Mona Lisa hangs in the Louvre.",
    "Football is the most popular sport in the world.",
    "Basketball was invented by James Naismith in 1891.",
    "The Olympic Games are held every four years.",
    "I need to buy milk, eggs, and bread from the store.",
    "Please remember to lock the door when you leave.",
    "Can you recommend a good restaurant nearby?",
    "My flight was delayed by three hours.",
    "The meeting has been moved to Thursday at 10 am.",
    "Your package will arrive within 3-5 business days.",
    "Error: file not found (code 404).",
    "SELECT * FROM users WHERE id = 42;",
    "for i in range(10): print(i)",
    "func main() { fmt.Println(\"hi\") }",
    "x = y + z * 2 / (a - b)",
    "The patient presented with fever, cough and shortness of breath.",
    "Take two tablets daily after meals.",
    "The court ruled in favour of the plaintiff.",
    "The contract terminates on 31 December 2025.",
    "Interest rates were raised by a quarter point.",
    "Inflation slowed for the third consecutive month.",
    "The new phone has a 6.1-inch display and 128 GB of storage.",
    "Battery life is excellent, but the camera is mediocre.",
    "This movie was absolutely terrible, I want my money back.",
    "This movie was wonderful, I would watch it again.",
    "The service was slow and the food was cold.",
    "Great value for money, highly recommended!",
    "I am not happy with this product.",
    "I am happy with this product.",
    "Cats are independent animals.",
    "Dogs are loyal companions.",
    "Birds migrate south for the winter.",
    "Bees pollinate flowers.",
    "The river flows into the sea.",
    "Snow covered the mountains.",
    "The sun rises in the east.",
    "The moon orbits the Earth.",
]

PARAGRAPH = (
    "Natural language processing is a field of computer science that studies how computers "
    "can understand, interpret and generate human language. Early systems relied on hand-written "
    "rules, while modern systems learn statistical patterns from large collections of text. "
    "Transformer models, introduced in 2017, use self-attention to relate every word in a "
    "sentence to every other word, which made it possible to train very large models on vast "
    "amounts of unlabelled data. "
)
STORY = (
    "Once upon a time, in a small village at the edge of a great forest, there lived an old "
    "clockmaker who repaired every clock in the region. Each morning he opened his shop, "
    "wound the pendulums, and listened carefully to the ticking, because he believed that "
    "every clock had its own voice. "
)
MULTI = "Le traitement automatique des langues étudie la compréhension du langage humain. " \
        "Die Verarbeitung natürlicher Sprache ist ein Teilgebiet der Informatik. " \
        "自然语言处理是计算机科学的一个领域。 "


def long_texts():
    out = []
    for n in (1, 2, 3, 4, 5, 6, 8, 10, 12, 16):
        out.append((PARAGRAPH * n).strip())
    for n in (1, 2, 3, 4, 6, 9):
        out.append((STORY * n).strip())
    for n in (1, 2, 4, 8):
        out.append((MULTI * n).strip())
    words = "the quick brown fox jumps over the lazy dog".split()
    for n in (20, 50, 100, 150, 200, 250, 252, 253, 254, 255, 300, 400):
        out.append(" ".join(words[i % len(words)] for i in range(n)))
    return out


def sentences():
    texts = BASE + long_texts()
    # Pairs of short sentences give more mid-length inputs.
    short = BASE[4:80]
    for i in range(len(short) - 1):
        texts.append(short[i] + " " + short[i + 1])
    return texts


def main():
    ckpt = sys.argv[1]
    os.makedirs(ENGINE_OUT, exist_ok=True)
    torch.set_num_threads(1)
    texts = sentences()
    st = SentenceTransformer(ckpt, device="cpu")
    assert st.max_seq_length == 256, st.max_seq_length
    emb = st.encode(texts, convert_to_numpy=True, batch_size=16, normalize_embeddings=False)
    tok = AutoTokenizer.from_pretrained(ckpt)
    index = []
    for t in texts:
        full = tok(t, truncation=False)["input_ids"]
        cut = tok(t, truncation=True, max_length=256)["input_ids"]
        index.append({"text": t, "num_tokens": len(cut), "full_length": len(full),
                      "truncated": len(full) > 256, "ids": cut})
    emb.astype("<f4").tofile(os.path.join(ENGINE_OUT, "minilm_embeddings.f32"))
    with open(os.path.join(ENGINE_OUT, "minilm_embeddings.json"), "w") as f:
        json.dump({"model": "all-MiniLM-L6-v2", "dim": int(emb.shape[1]), "pooling": "mean",
                   "normalize": True, "max_seq_length": 256, "sentences": index}, f,
                  ensure_ascii=False)

    model = AutoModel.from_pretrained(ckpt)
    model.eval()
    hidden_texts = ["", "The cat sat on the mat.", "naïve café résumé", "敏捷的棕色狐狸跳过了懒狗。"]
    blobs, meta, offset = [], [], 0
    for t in hidden_texts:
        enc = tok(t, return_tensors="pt")
        with torch.no_grad():
            out = model(**enc, output_hidden_states=True)
        hs = np.stack([h[0].numpy() for h in out.hidden_states]).astype("<f4")
        blobs.append(hs.tobytes())
        meta.append({"text": t, "ids": enc["input_ids"][0].tolist(),
                     "shape": list(hs.shape), "offset": offset})
        offset += hs.size
    with open(os.path.join(BERT_OUT, "minilm_hidden.f32"), "wb") as f:
        f.write(b"".join(blobs))
    with open(os.path.join(BERT_OUT, "minilm_hidden.json"), "w") as f:
        json.dump({"model": "all-MiniLM-L6-v2", "cases": meta}, f, ensure_ascii=False)
    print(len(texts), "sentences")


if __name__ == "__main__":
    main()
