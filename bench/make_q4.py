"""4-bit Transformers.js model for the int4 rows of bench.

Writes <model dir>/onnx/model_q4.onnx (Transformers.js dtype "q4") from the
fp32 export onnx/model.onnx that tools/reference/export_onnx.py made: every
MatMul with a constant weight becomes a MatMulNBits node, 4-bit symmetric,
block size 32 along the input dimension, one fp32 scale per block (onnxruntime's
MatMulNBitsQuantizer, round to nearest). As in the q4 files published for
Transformers.js, the Gather of the word embeddings is left fp32, so the file is
smaller than fp32 mostly by the encoder matrices.

Checks itself with onnxruntime: cosine of the mean-pooled, normalized
embeddings of a few texts against the fp32 file.

Pinned: onnxruntime 1.32.0, onnx 1.23.2, onnx-ir 1.1.0 (the quantizer imports
it), numpy 2.4.6. In the overlay venv of bench/README.md:

    .cache/bench/pyenv/bin/pip install onnx==1.23.2 onnx-ir==1.1.0
    .cache/bench/pyenv/bin/python bench/make_q4.py --model-dir .cache/bench/all-MiniLM-L6-v2
"""

import argparse
import logging
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import matmul_nbits_quantizer as mnb
from tokenizers import Tokenizer

BLOCK_SIZE = 32
# The quantizer logs every node at INFO.
logging.getLogger(mnb.__name__).setLevel(logging.WARNING)
TEXTS = [
    "A man is eating food.",
    "The quick brown fox jumps over the lazy dog, and then it runs away into the forest.",
    "Quantization trades a little accuracy for a much smaller download.",
]


def embed(path, enc):
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    n = max(len(e.ids) for e in enc)
    ids = np.zeros((len(enc), n), np.int64)
    mask = np.zeros((len(enc), n), np.int64)
    for i, e in enumerate(enc):
        # tokenizer.json may pad the batch: the mask says which ids are text.
        ids[i, : len(e.ids)] = e.ids
        mask[i, : len(e.ids)] = e.attention_mask
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    feeds = {k: v for k, v in feeds.items() if k in {i.name for i in sess.get_inputs()}}
    h = sess.run(["last_hidden_state"], feeds)[0]
    m = mask[:, :, None].astype(np.float32)
    v = (h * m).sum(1) / m.sum(1)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True, help="Transformers.js model dir with onnx/model.onnx")
    a = ap.parse_args()
    d = Path(a.model_dir)
    src, dst = d / "onnx/model.onnx", d / "onnx/model_q4.onnx"

    cfg = mnb.DefaultWeightOnlyQuantConfig(
        block_size=BLOCK_SIZE, is_symmetric=True, op_types_to_quantize=("MatMul",)
    )
    q = mnb.MatMulNBitsQuantizer(onnx.load(str(src)), algo_config=cfg)
    q.process()
    q.model.save_model_to_file(str(dst), use_external_data_format=False)

    model = onnx.load(str(dst))
    ops = {}
    for node in model.graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    print(f"{dst}: {dst.stat().st_size} bytes, MatMulNBits {ops.get('MatMulNBits', 0)}, MatMul left {ops.get('MatMul', 0)}")

    tok = Tokenizer.from_file(str(d / "tokenizer.json"))
    enc = tok.encode_batch(TEXTS)
    cos = (embed(src, enc) * embed(dst, enc)).sum(1)
    print(f"q4 vs fp32 cosine: min {cos.min():.5f}, mean {cos.mean():.5f}")


if __name__ == "__main__":
    main()
