"""Transformers.js model dir for bench without torch.

A stand-in for tools/reference/export_onnx.py on machines without torch: it
writes the same directory layout from the sentence-transformers checkpoint
(model.safetensors, tokenizer and config files), with the ONNX graph written
op by op with onnx.helper instead of traced:

    <out>/all-MiniLM-L6-v2/config.json, tokenizer.json, ...
    <out>/all-MiniLM-L6-v2/onnx/model.onnx       fp32
    <out>/all-MiniLM-L6-v2/onnx/model_int8.onnx  onnxruntime quantize_dynamic, per-channel
                                                  QInt8 (the bench's int8 precision)

The graph follows the TorchScript export of BertModel (opset 17): Gather
embeddings + LayerNormalization; per layer MatMul + Add for each Linear with
the transposed weight as initializer, Reshape/Transpose to heads, MatMul,
Div by sqrt(head dim), Add of the (1 - mask)·float32 min mask, Softmax,
MatMul, the erf GELU as Div, Erf, Add, Mul, Mul, residual Add +
LayerNormalization; inputs input_ids, attention_mask, token_type_ids (int64),
output last_hidden_state. onnxruntime's session-level fusions (GELU,
SkipLayerNorm, ...) match the same patterns as on the traced graph, but the
graph is not byte-identical to the torch export: numbers measured with it
should be confirmed with export_onnx.py's files. The bench's cosine to
sentence-transformers (bench/reference.json) checks the graph end to end.

Pinned: onnx 1.23.2, onnxruntime 1.32.0, numpy 2.4.6 (no torch):

    .cache/bench/pyenv/bin/pip install onnx==1.23.2 onnxruntime==1.32.0
    .cache/bench/pyenv/bin/python bench/make_onnx_numpy.py \\
        --checkpoint DIR/with/model.safetensors --out .cache/bench
"""

import argparse
import json
import math
import shutil
import struct
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

OPSET, IR_VERSION = 17, 8  # as export_onnx.py's TorchScript export
TOKENIZER_FILES = [  # as export_onnx.py
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__" or t["dtype"] != "F32":
            continue
        a, b = t["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=np.float32).reshape(t["shape"])
    return out


class Graph:
    def __init__(self, weights):
        self.w, self.nodes, self.inits, self.n = weights, [], [], 0

    def name(self, hint):
        self.n += 1
        return f"{hint}_{self.n}"

    def const(self, value, hint="c"):
        name = self.name(hint)
        self.inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, op_type, inputs, **attrs):
        out = self.name(op_type)
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out

    def linear(self, x, prefix):
        w = self.const(np.ascontiguousarray(self.w[prefix + ".weight"].T), prefix + ".weight_t")
        return self.op("Add", [self.op("MatMul", [x, w]), self.const(self.w[prefix + ".bias"], prefix + ".bias")])

    def layer_norm(self, x, prefix, eps):
        g, b = self.const(self.w[prefix + ".weight"]), self.const(self.w[prefix + ".bias"])
        return self.op("LayerNormalization", [x, g, b], axis=-1, epsilon=eps)


def build(weights, cfg):
    g = Graph(weights)
    h, heads, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    d = h // heads
    i64 = lambda v: np.array(v, dtype=np.int64)
    f32 = lambda v: np.array(v, dtype=np.float32)

    seq = g.op("Gather", [g.op("Shape", ["input_ids"]), g.const(i64(1))], axis=0)
    pos = g.op("Unsqueeze", [g.op("Range", [g.const(i64(0)), seq, g.const(i64(1))]), g.const(i64([0]))])
    emb = lambda table, ids: g.op("Gather", [g.const(weights[f"embeddings.{table}.weight"]), ids], axis=0)
    x = g.op("Add", [g.op("Add", [emb("word_embeddings", "input_ids"), emb("token_type_embeddings", "token_type_ids")]), emb("position_embeddings", pos)])
    x = g.layer_norm(x, "embeddings.LayerNorm", eps)

    m = g.op("Unsqueeze", [g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT), g.const(i64([1, 2]))])
    mask = g.op("Mul", [g.op("Sub", [g.const(f32(1)), m]), g.const(f32(np.finfo(np.float32).min))])

    split = g.const(i64([0, 0, heads, d]))
    merge = g.const(i64([0, 0, h]))
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        heads_of = lambda t, perm: g.op("Transpose", [g.op("Reshape", [t, split])], perm=perm)
        q = heads_of(g.linear(x, f"{p}.attention.self.query"), [0, 2, 1, 3])
        k = heads_of(g.linear(x, f"{p}.attention.self.key"), [0, 2, 3, 1])
        v = heads_of(g.linear(x, f"{p}.attention.self.value"), [0, 2, 1, 3])
        s = g.op("Add", [g.op("Div", [g.op("MatMul", [q, k]), g.const(f32(math.sqrt(d)))]), mask])
        ctx = g.op("MatMul", [g.op("Softmax", [s], axis=-1), v])
        ctx = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), merge])
        x = g.layer_norm(g.op("Add", [g.linear(ctx, f"{p}.attention.output.dense"), x]), f"{p}.attention.output.LayerNorm", eps)
        t = g.linear(x, f"{p}.intermediate.dense")
        erf = g.op("Erf", [g.op("Div", [t, g.const(f32(math.sqrt(2)))])])
        t = g.op("Mul", [g.op("Mul", [t, g.op("Add", [erf, g.const(f32(1))])]), g.const(f32(0.5))])
        x = g.layer_norm(g.op("Add", [g.linear(t, f"{p}.output.dense"), x]), f"{p}.output.LayerNorm", eps)
    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))

    ids = lambda n: helper.make_tensor_value_info(n, TensorProto.INT64, ["batch_size", "sequence_length"])
    graph = helper.make_graph(
        g.nodes,
        "bert",
        [ids("input_ids"), ids("attention_mask"), ids("token_type_ids")],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", h])],
        g.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION)
    onnx.checker.check_model(model)
    return model


def mean_pooled(path, feeds):
    out = ort.InferenceSession(path).run(None, feeds)[0]
    m = feeds["attention_mask"][..., None].astype(np.float32)
    v = (out * m).sum(1) / m.sum(1)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", type=Path, required=True, help="directory with model.safetensors, config.json, tokenizer files")
    p.add_argument("--out", type=Path, required=True, help="the bench cache, e.g. .cache/bench")
    a = p.parse_args()
    root = a.out / "all-MiniLM-L6-v2"
    (root / "onnx").mkdir(parents=True, exist_ok=True)
    for f in TOKENIZER_FILES:
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(a.checkpoint / f, root / f)
    cfg = json.loads((a.checkpoint / "config.json").read_text())
    fp32, int8 = root / "onnx" / "model.onnx", root / "onnx" / "model_int8.onnx"
    onnx.save(build(read_safetensors(a.checkpoint / "model.safetensors"), cfg), fp32)
    quantize_dynamic(fp32, int8, per_channel=True, weight_type=QuantType.QInt8)

    # [CLS] a few word pieces [SEP], one padded row: enough to catch a broken
    # graph; the bench's cosine to sentence-transformers checks the rest.
    ids = np.array([[101, 1037, 2158, 2003, 5983, 2833, 1012, 102], [101, 7592, 2088, 102, 0, 0, 0, 0]], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": (ids != 0).astype(np.int64), "token_type_ids": np.zeros_like(ids)}
    a32, a8 = mean_pooled(fp32, feeds), mean_pooled(int8, feeds)
    cos = (a32 * a8).sum(1)
    print(f"wrote {root}: int8 vs fp32 cosine {cos.min():.5f} min over {len(ids)} texts")
    if not np.isfinite(a32).all() or cos.min() < 0.98:
        raise SystemExit("the int8 graph disagrees with the fp32 one")


if __name__ == "__main__":
    main()
