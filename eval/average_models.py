"""Average the weights of rasid models that share one architecture (a "model soup").

Why: runs warm-started from one another (`rasid train --init-from`) lie on one fine-tuning path, and a uniform
average of their weights is one more candidate that costs no training. The models must have the same spec
(`rasid.json`: labels, encoder, LoRA rank, heads) and the same tensors; the output is a model directory that
`rasid predict|evaluate --model` loads like any other.

    python eval/average_models.py model/default runs/default-ng9w/model -o runs/soup
"""
from __future__ import annotations

import argparse
import filecmp
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from rasid.heads import WEIGHTS_FILE


def average(models: list[Path], out: Path, weights: list[float] | None = None) -> None:
    """Write the weighted average of the models' tensors, with the first model's other files, to `out`."""
    weights = weights or [1.0 / len(models)] * len(models)
    if len(weights) != len(models) or abs(sum(weights) - 1.0) > 1e-6:
        raise ValueError(f"need one weight per model, summing to 1 (got {weights})")
    extra = sorted(p.name for p in models[0].iterdir() if p.name != WEIGHTS_FILE)
    for other in models[1:]:
        names = sorted(p.name for p in other.iterdir() if p.name != WEIGHTS_FILE)
        differing = [n for n in extra if n not in names or not filecmp.cmp(models[0] / n, other / n, shallow=False)]
        if names != extra or differing:
            raise ValueError(f"{other} does not share {models[0]}'s spec and files ({differing or names})")
    states = [load_file(str(m / WEIGHTS_FILE)) for m in models]
    for m, state in zip(models[1:], states[1:]):
        if state.keys() != states[0].keys() or any(state[k].shape != states[0][k].shape for k in state):
            raise ValueError(f"{m}: its tensors differ from {models[0]}'s in names or shapes")
    mixed = {}
    for key, first in states[0].items():
        if first.is_floating_point():
            mixed[key] = sum(w * s[key].to(torch.float64) for w, s in zip(weights, states)).to(first.dtype)
        elif all(torch.equal(first, s[key]) for s in states[1:]):
            mixed[key] = first
        else:
            raise ValueError(f"non-float tensor {key} differs between the models")
    out.mkdir(parents=True, exist_ok=True)
    for name in extra:
        shutil.copy(models[0] / name, out / name)
    save_file({k: v.contiguous() for k, v in mixed.items()}, str(out / WEIGHTS_FILE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", type=Path, help="two or more model directories")
    parser.add_argument("-o", "--output", type=Path, required=True, help="directory for the averaged model")
    parser.add_argument("--weights", type=float, nargs="+", help="one weight per model (default: uniform)")
    args = parser.parse_args()
    if len(args.models) < 2:
        parser.error("give at least two models")
    average(args.models, args.output, args.weights)
    print(f"averaged {len(args.models)} models into {args.output}")


if __name__ == "__main__":
    main()
