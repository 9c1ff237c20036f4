"""eval/ensemble.py: probability averaging and its agreement with the single-model scores of training."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

EVAL = Path(__file__).resolve().parent.parent / "eval"
ANERCORP = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "anercorp_camellab"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, EVAL / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mean_log_probs_averages_probabilities_not_log_probabilities():
    ensemble = _load("ensemble")
    sure = np.log(np.array([[0.98, 0.01, 0.01]]))
    unsure = np.log(np.array([[0.2, 0.5, 0.3]]))
    (averaged,) = ensemble.mean_log_probs([[sure], [unsure]])
    np.testing.assert_allclose(np.exp(averaged), [[0.59, 0.255, 0.155]], rtol=1e-6)
    (same,) = ensemble.mean_log_probs([[unsure], [unsure], [unsure]])
    np.testing.assert_allclose(same, unsure, atol=1e-9)


def test_mean_transitions_count_a_member_without_crf_as_zeros():
    ensemble = _load("ensemble")
    assert ensemble.mean_transitions([None, None], 3) is None
    np.testing.assert_allclose(ensemble.mean_transitions([np.full((3, 3), 2.0), None], 3), np.ones((3, 3)))


def test_mean_log_probs_rejects_members_with_different_documents():
    ensemble = _load("ensemble")
    one = [np.zeros((2, 3))]
    with pytest.raises(ValueError):
        ensemble.mean_log_probs([one, one + one])


def _head(src: Path, dst: Path, sentences: int) -> None:
    blocks = src.read_text(encoding="utf-8").strip("\n").split("\n\n")[:sentences]
    dst.write_text("\n\n".join(blocks), encoding="utf-8")


def test_ensemble_of_trained_runs_matches_their_own_scores(tmp_path, tiny_encoder):
    """Each member's single score equals what training measured (the second member decodes with its CRF
    transitions); two copies of one member score as it does."""
    data = tmp_path / "data"
    data.mkdir()
    for split in ("train", "test"):
        _head(ANERCORP / f"ANERCorp_CamelLab_{split}.txt", data / f"ANERCorp_CamelLab_{split}.txt", 80)
    runs = []
    for seed in (1, 2):
        run = tmp_path / f"run{seed}"
        _load("anercorp").main(["--data", str(data), "--encoder", tiny_encoder, "--epochs", "8", "--batch-size", "4",
                                "--learning-rate", "3e-3", "--head-learning-rate", "1e-2", "--warmup-ratio", "0",
                                "--patience", "8", "--max-length", "64", "--seed", str(seed),
                                "--output-dir", str(run)] + (["--crf"] if seed == 2 else []))
        runs.append(run)
    ensemble = _load("ensemble")
    summary = ensemble.main([str(runs[0]), str(runs[1]), "--data", str(data), "--top", "1", "--device", "cpu",
                             "-o", str(tmp_path / "e.json")])
    for member in summary["members"]:
        trained = json.loads((Path(member["run"]) / "metrics.json").read_text())
        assert member["test_f1"] == round(100 * trained["test"]["entities"]["micro"]["f1"], 2)
        assert member["dev_f1"] == round(100 * trained["dev"]["entities"]["micro"]["f1"], 2)
    assert any(m["test_f1"] > 0 for m in summary["members"]), "members that find nothing would test nothing"
    best = max(summary["members"], key=lambda m: m["dev_f1"])
    assert summary["ensembles"]["top1"]["members"] == [best["run"]]
    assert summary["ensembles"]["top1"]["test_f1"] == best["test_f1"]
    assert json.loads((tmp_path / "e.json").read_text()) == summary
    for k, run in enumerate(runs):
        twice = ensemble.main([str(run), str(run), "--data", str(data), "--device", "cpu"])["ensembles"]["all"]
        member = summary["members"][k]
        assert (twice["dev_f1"], twice["test_f1"]) == (member["dev_f1"], member["test_f1"])
