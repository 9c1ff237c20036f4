"""Reduced-precision CPU inference: LoRA merged into the encoder, then bf16 or int8 weights.

Two paths, measured in eval/BENCHMARKS.md:
- bf16: the encoder's weights and activations in bfloat16. On CPUs that compute bf16 natively (AVX512-BF16 or
  AMX) it measured faster than int8 and lost almost nothing, because bf16 keeps fp32's exponent range.
- int8: per-channel dynamic quantization of the encoder's linear layers. The FFN down-projections
  (`layer.N.output.dense`) stay in fp32: their inputs are the post-GELU activations whose outliers per-tensor
  activation quantization clips, and quantizing them cost most of the F1 int8 loses on ANERcorp.
"auto" takes bf16 where the CPU computes it natively and int8 elsewhere. The heads always stay in fp32: they are
small and feed the decoder directly.
"""
from __future__ import annotations

import re

import torch
from torch import nn

from .heads import JointModel

KEEP_FP32 = re.compile(r"layer\.\d+\.output\.dense$")
QUANTIZATIONS = ("auto", "bf16", "int8")


def native_cpu_bf16() -> bool:
    """Whether this CPU has bf16 arithmetic (AVX512-BF16 or AMX); elsewhere bf16 is emulated and slow."""
    checks = (getattr(torch.cpu, "_is_avx512_bf16_supported", bool), getattr(torch.cpu, "_is_amx_tile_supported", bool))
    return any(check() for check in checks)


def resolve(kind: str) -> str:
    if kind not in QUANTIZATIONS:
        raise ValueError(f"quantization must be one of {QUANTIZATIONS}, not {kind!r}")
    if kind == "auto":
        return "bf16" if native_cpu_bf16() else "int8"
    return kind


def quantize(model: JointModel, kind: str = "auto") -> JointModel:
    """The model ready for reduced-precision CPU inference (see the module docstring for the paths)."""
    kind = resolve(kind)
    model = model.cpu().eval()
    if hasattr(model.encoder, "merge_and_unload"):
        model.encoder = model.encoder.merge_and_unload()
    if kind == "bf16":
        model.encoder = model.encoder.to(torch.bfloat16)
        return model
    from torch.ao.quantization import per_channel_dynamic_qconfig
    from torch.ao.quantization import quantize_dynamic as _quantize

    targets = {name: per_channel_dynamic_qconfig for name, module in model.encoder.named_modules()
               if isinstance(module, nn.Linear) and not KEEP_FP32.search(name)}
    model.encoder = _quantize(model.encoder, targets, dtype=torch.qint8)
    return model
