"""int8 CPU inference: LoRA merged into the encoder, then per-channel dynamic quantization of its linear layers.

The heads stay in fp32: they are small and their outputs feed the decoder's decisions directly.
"""
from __future__ import annotations

import torch
from torch import nn

from .heads import JointModel


def quantize_dynamic(model: JointModel) -> JointModel:
    from torch.ao.quantization import per_channel_dynamic_qconfig
    from torch.ao.quantization import quantize_dynamic as _quantize

    model = model.cpu().eval()
    if hasattr(model.encoder, "merge_and_unload"):
        model.encoder = model.encoder.merge_and_unload()
    model.encoder = _quantize(model.encoder, {nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)
    return model
