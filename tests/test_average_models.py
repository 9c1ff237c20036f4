"""eval/average_models.py: weighted averages of model weights, and refusal of models that do not match."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

EVAL = Path(__file__).resolve().parent.parent / "eval"


def _module():
    spec = importlib.util.spec_from_file_location("average_models", EVAL / "average_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _model(path: Path, scale: float, spec: str = '{"encoder": "x"}', extra: dict | None = None) -> Path:
    path.mkdir()
    (path / "rasid.json").write_text(spec, encoding="utf-8")
    tensors = {"head.weight": torch.full((2, 3), scale), "steps": torch.tensor([7])}
    save_file({**tensors, **(extra or {})}, str(path / "weights.safetensors"))
    return path


def test_uniform_and_weighted_averages(tmp_path: Path) -> None:
    avg = _module()
    a, b = _model(tmp_path / "a", 1.0), _model(tmp_path / "b", 3.0)
    avg.average([a, b], tmp_path / "mean")
    state = load_file(str(tmp_path / "mean" / "weights.safetensors"))
    assert torch.allclose(state["head.weight"], torch.full((2, 3), 2.0))
    assert torch.equal(state["steps"], torch.tensor([7]))  # equal integer tensors are kept as they are
    assert (tmp_path / "mean" / "rasid.json").read_text(encoding="utf-8") == '{"encoder": "x"}'
    avg.average([a, b], tmp_path / "weighted", [0.75, 0.25])
    weighted = load_file(str(tmp_path / "weighted" / "weights.safetensors"))["head.weight"]
    assert torch.allclose(weighted, torch.full((2, 3), 1.5))


def test_models_that_do_not_match_are_refused(tmp_path: Path) -> None:
    avg = _module()
    a = _model(tmp_path / "a", 1.0)
    other_spec = _model(tmp_path / "b", 3.0, spec='{"encoder": "y"}')
    with pytest.raises(ValueError, match="does not share"):
        avg.average([a, other_spec], tmp_path / "out")
    more_tensors = _model(tmp_path / "c", 3.0, extra={"crf.transitions": torch.zeros(2, 2)})
    with pytest.raises(ValueError, match="names or shapes"):
        avg.average([a, more_tensors], tmp_path / "out")
    with pytest.raises(ValueError, match="summing to 1"):
        avg.average([a, _model(tmp_path / "d", 2.0)], tmp_path / "out", [0.5, 0.6])
