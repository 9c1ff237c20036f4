"""One matrix product of the encoder's FFN shape (256 tokens × 384 → 1536) in fp32 and through `torch._int_mm`, the
kernel of `--quantize int8`, on this CPU, with the instruction sets that decide which one is fast.

    python eval/int8_kernel.py [--threads 1] [--seconds 2]

Why: the int8 path is about 2× faster than fp32 end to end on a CPU with VNNI, but PyTorch's int8 product falls back
to a slow kernel without it; `rasid.quantize.resolve("auto")` reads the same flags to choose a path.
"""
from __future__ import annotations

import argparse
import json
import time

import torch

from rasid.quantize import native_cpu_bf16, native_cpu_int8


def per_call_ms(fn, seconds: float) -> float:
    fn()
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        fn()
        calls += 1
    return 1000 * (time.perf_counter() - start) / calls


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seconds", type=float, default=2.0, help="time spent on each product")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x, w = torch.randn(256, 384), torch.randn(384, 1536)
    qx = torch.randint(-127, 128, (256, 384), dtype=torch.int8)
    qw = torch.randint(-127, 128, (384, 1536), dtype=torch.int8)
    fp32 = per_call_ms(lambda: x @ w, args.seconds)
    int8 = per_call_ms(lambda: torch._int_mm(qx, qw), args.seconds)
    row = {"capability": torch.backends.cpu.get_cpu_capability(), "int8_dot_products": native_cpu_int8(),
           "native_bf16": native_cpu_bf16(), "threads": args.threads, "fp32_ms": round(fp32, 2),
           "int8_ms": round(int8, 2), "int8_vs_fp32": round(fp32 / int8, 3)}
    print(json.dumps(row))
    return row


if __name__ == "__main__":
    main()
