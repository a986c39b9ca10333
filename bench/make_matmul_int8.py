"""Integer MatMul model for the kernel row of bench.

Writes <out>/matmul/model_int8.onnx: the one-MatMul model of the kernel row
(128x384 . 384x1536, <out>/matmul/model.onnx) through onnxruntime's
quantize_dynamic, per-channel QInt8, the quantization Transformers.js q8 files
get. The graph is what every encoder MatMul of such a file runs:
DynamicQuantizeLinear of x (uint8, one scale per tensor), MatMulInteger
(int32 accumulation), Cast and the Mul by x_scale.w_scale per column. That is
the work wasmbert's int8 Linear does too (quantize x, integer GEMM, scales),
so the two are timed side by side.

model.onnx is normally written by tools/reference/export_onnx.py (torch). On a
machine without torch this script writes the same graph first, a single MatMul
with the same weights (numpy default_rng(1)), when the file is missing.

Checks itself with onnxruntime: the integer model against the fp32 one.

Pinned: onnxruntime 1.32.0, onnx 1.23.2, numpy 2.4.6. In the overlay venv of
bench/README.md (no torch needed):

    .cache/bench/pyenv/bin/pip install onnx==1.23.2 onnxruntime==1.32.0
    .cache/bench/pyenv/bin/python bench/make_matmul_int8.py --out .cache/bench
"""

import argparse
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

M, K, N = 128, 384, 1536
OPSET = 17  # as export_onnx.py
IR_VERSION = 8  # what torch's exporter writes at opset 17; onnxruntime-web 1.30 reads ≤ 13


def write_matmul(path):
    """The graph export_onnx.py exports from torch: y = x @ w, w an initializer."""
    w = np.random.default_rng(1).standard_normal((K, N), dtype=np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        "matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [M, K])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [M, N])],
        [numpy_helper.from_array(w, "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION)
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True, help="the bench cache, e.g. .cache/bench")
    a = p.parse_args()
    fp32 = a.out / "matmul" / "model.onnx"
    int8 = a.out / "matmul" / "model_int8.onnx"
    if not fp32.exists():
        write_matmul(fp32)
        print("wrote", fp32)
    quantize_dynamic(fp32, int8, per_channel=True, weight_type=QuantType.QInt8)
    ops = sorted({n.op_type for n in onnx.load(int8).graph.node})
    if "MatMulInteger" not in ops:
        raise SystemExit(f"{int8}: no MatMulInteger in {ops}")

    x = np.sin(np.arange(M * K, dtype=np.float32)).reshape(M, K)  # kernel.js's input
    want = ort.InferenceSession(fp32).run(None, {"x": x})[0]
    got = ort.InferenceSession(int8).run(None, {"x": x})[0]
    rel = np.linalg.norm(got - want) / np.linalg.norm(want)
    print(f"wrote {int8}: ops {ops}, relative error vs fp32 {rel:.4f}")
    if rel > 0.05:
        raise SystemExit(f"{int8}: relative error {rel:.4f} > 0.05")


if __name__ == "__main__":
    main()
