"""Reduced-precision CPU inference: LoRA merged into the encoder, then bf16 or int8 weights.

Two paths, measured in eval/BENCHMARKS.md:
- bf16: the encoder's weights and activations in bfloat16. bf16 keeps fp32's exponent range, so it loses almost
  nothing; it is fast only on CPUs that compute it natively (AVX512-BF16 or AMX).
- int8: every linear layer of the encoder multiplies int8 by int8 (`torch._int_mm`) with
  one scale per weight row and one scale per token of the input, computed on the fly. Per-token scales are what
  keep the accuracy: PyTorch's dynamic quantization takes one scale for the whole batch, so the few tokens with
  outlier activations (after GELU above all) flatten every other token's values: on ANERcorp that lost 4.5 F1 with
  every layer in int8, and 0.2–0.9 with the FFN down-projections kept in fp32.
  The rest of the encoder (attention, layer norms, GELU) runs in bf16 where the CPU computes it natively, else fp32.
"auto" takes int8 where the CPU has int8 dot-product instructions (VNNI or AMX), bf16 where it computes bf16
natively, and otherwise keeps fp32: without VNNI, `torch._int_mm` falls back to a kernel that measured 37-55x slower
than an fp32 matmul on a 2-core AVX2 CPU, 25x slower end to end (eval/BENCHMARKS.md). The heads always stay in fp32:
they are small and feed the decoder directly.
"""
from __future__ import annotations

import re
import warnings

import torch
from torch import nn

from .heads import JointModel

QUANTIZATIONS = ("auto", "bf16", "int8")
CHUNK_ROWS = 256  # tokens per int8 product: keeps the int32/fp32 temporaries small enough to be reused, not re-faulted


def _cpu_has(*checks: str) -> bool:
    """Any of PyTorch's CPU feature checks (`torch.cpu._is_..._supported`); a check this PyTorch lacks counts as no."""
    return any(getattr(torch.cpu, name, bool)() for name in checks)


def native_cpu_bf16() -> bool:
    """Whether this CPU has bf16 arithmetic (AVX512-BF16 or AMX); elsewhere bf16 is emulated and slow."""
    return _cpu_has("_is_avx512_bf16_supported", "_is_amx_tile_supported")


def native_cpu_int8() -> bool:
    """Whether this CPU has int8 dot products (AVX512-VNNI, AVX-VNNI or AMX), which `torch._int_mm` needs to be fast."""
    return _cpu_has("_is_vnni_supported", "_is_amx_tile_supported")


def resolve(kind: str) -> str | None:
    """The path a `--quantize` value takes on this CPU: "int8", "bf16", or None (fp32, for "auto" where neither has
    native support). An explicit int8 without VNNI is kept but warned about."""
    if kind not in QUANTIZATIONS:
        raise ValueError(f"quantization must be one of {QUANTIZATIONS}, not {kind!r}")
    if kind == "auto":
        return "int8" if native_cpu_int8() else "bf16" if native_cpu_bf16() else None
    if kind == "int8" and not native_cpu_int8():
        warnings.warn("this CPU has no int8 dot-product instructions (VNNI/AMX): the int8 path will be much slower "
                      "than fp32 here; --quantize auto picks the fastest path", stacklevel=3)
    if kind == "bf16" and not native_cpu_bf16():
        warnings.warn("this CPU has no native bf16 (AVX512-BF16/AMX): the bf16 path is emulated and slow here",
                      stacklevel=3)
    return kind


class Int8Linear(nn.Module):
    """A frozen linear layer computed in int8: weights quantized once per output channel, inputs per token."""

    def __init__(self, linear: nn.Linear):
        super().__init__()
        weight = linear.weight.detach().float()
        scale = weight.abs().amax(1).clamp(min=1e-8) / 127
        self.register_buffer("weight_t", (weight / scale[:, None]).round().to(torch.int8).t().contiguous())
        self.register_buffer("weight_scale", scale)
        bias = linear.bias.detach().float() if linear.bias is not None else torch.zeros_like(scale)
        self.register_buffer("bias", bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, x.shape[-1])
        out = torch.empty(rows.shape[0], self.weight_t.shape[1], dtype=x.dtype)
        for i in range(0, rows.shape[0], CHUNK_ROWS):
            part = rows[i : i + CHUNK_ROWS].float()
            scale = part.abs().amax(-1, keepdim=True).clamp(min=1e-8) / 127
            q = (part / scale).round_().to(torch.int8)
            out[i : i + CHUNK_ROWS] = torch._int_mm(q, self.weight_t).float().mul_(scale).mul_(self.weight_scale) \
                .add_(self.bias)
        return out.reshape(*x.shape[:-1], -1)


def int8_linears(module: nn.Module, keep: str | None = None) -> nn.Module:
    """Replace the linear layers of `module` (in place) by `Int8Linear`, except those whose name matches `keep`."""
    for name, parent in list(module.named_modules()):
        for child_name, child in list(parent.named_children()):
            full = f"{name}.{child_name}" if name else child_name
            if isinstance(child, nn.Linear) and not (keep and re.search(keep, full)):
                setattr(parent, child_name, Int8Linear(child))
    return module


def quantize(model: JointModel, kind: str = "auto") -> JointModel:
    """The model ready for reduced-precision CPU inference (see the module docstring for the paths)."""
    kind = resolve(kind)
    model = model.cpu().eval()
    if hasattr(model.encoder, "merge_and_unload"):
        model.encoder = model.encoder.merge_and_unload()
    if kind is None:
        return model
    if kind == "int8":
        int8_linears(model.encoder)  # from the fp32 weights, before anything is cast
    if kind == "bf16" or native_cpu_bf16():
        with torch.no_grad():
            for param in model.encoder.parameters():  # the int8 layers hold buffers only and keep their scales
                param.data = param.data.to(torch.bfloat16)
    return model
