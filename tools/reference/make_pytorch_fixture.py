"""Writes model/checkpoint/testdata/pytorch/: a small pytorch_model.bin saved by
torch.save (zip format) with a non-contiguous (transposed) tensor, an f16
tensor and an int64 buffer, plus the same values as ref.safetensors for the Go
reader to be compared against. Pinned versions: tools/reference/requirements.txt.
"""
import os
import sys

import torch
from safetensors.torch import save_file

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "model", "checkpoint", "testdata", "pytorch")
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
w = torch.randn(5, 3)
sd = {
    "bert.a.weight": torch.randn(3, 4),
    "bert.t.weight": w.t(),
    "bert.h.weight": torch.randn(7).half(),
    "bert.embeddings.position_ids": torch.arange(4).unsqueeze(0),
}
torch.save(sd, os.path.join(out, "pytorch_model.bin"))
ref = {k: v.float().contiguous() for k, v in sd.items() if k != "bert.embeddings.position_ids"}
save_file(ref, os.path.join(out, "ref.safetensors"))
