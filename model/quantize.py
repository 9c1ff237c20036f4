"""int8 CPU inference: LoRA merged into the encoder, then per-channel dynamic quantization of its linear layers.

The FFN down-projections (`layer.N.output.dense`) stay in fp32: their inputs are the post-GELU activations whose
outliers per-tensor activation quantization clips, and on ANERcorp quantizing them cost most of the F1 that
int8 loses (eval/BENCHMARKS.md). The heads stay in fp32 too: they are small and feed the decoder directly.
"""
from __future__ import annotations

import re

import torch
from torch import nn

from .heads import JointModel

KEEP_FP32 = re.compile(r"layer\.\d+\.output\.dense$")


def quantize_dynamic(model: JointModel) -> JointModel:
    from torch.ao.quantization import per_channel_dynamic_qconfig
    from torch.ao.quantization import quantize_dynamic as _quantize

    model = model.cpu().eval()
    if hasattr(model.encoder, "merge_and_unload"):
        model.encoder = model.encoder.merge_and_unload()
    targets = {name: per_channel_dynamic_qconfig for name, module in model.encoder.named_modules()
               if isinstance(module, nn.Linear) and not KEEP_FP32.search(name)}
    model.encoder = _quantize(model.encoder, targets, dtype=torch.qint8)
    return model
