"""The entity CRF: its likelihood against brute force, its decoding, and a trained CRF model end to end."""
import itertools
import json
import math

import numpy as np
import pytest
import torch

from rasid.cli import main
from rasid.crf import BioCrf
from rasid.decode import allowed_transitions, viterbi
from rasid.extractor import Extractor
from rasid.heads import JointModel, ModelSpec
from rasid.labels import IGNORE
from rasid.train import TrainConfig

LABELS = ["O", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


def _crf(seed: int = 0) -> BioCrf:
    torch.manual_seed(seed)
    crf = BioCrf(allowed_transitions(LABELS))
    with torch.no_grad():
        crf.transitions.normal_()
    return crf


def _brute_nll(crf: BioCrf, em: torch.Tensor, gold: list[int]) -> float:
    """-log p(gold) by enumerating every tag sequence (illegal steps included, at their masked score)."""
    trans = crf.scores().detach()

    def score(path):
        return float(sum(em[t, k] for t, k in enumerate(path)) + sum(trans[a, b] for a, b in zip(path, path[1:])))

    paths = itertools.product(range(len(LABELS)), repeat=len(em))
    log_z = torch.logsumexp(torch.tensor([score(p) for p in paths]), 0)
    return float(log_z) - score(gold)


def test_likelihood_matches_brute_force_with_ignored_subwords_and_padding():
    crf = _crf()
    torch.manual_seed(1)
    emissions = torch.randn(2, 6, len(LABELS))
    # row 0: words at subwords 0, 2, 3, 5 (1 and 4 are later subwords); row 1: three words then padding
    tags = torch.tensor([[1, IGNORE, 2, 0, IGNORE, 3], [0, 3, 4, IGNORE, IGNORE, IGNORE]])
    loss = crf(emissions, tags)
    expected = (_brute_nll(crf, emissions[0, [0, 2, 3, 5]], [1, 2, 0, 3])
                + _brute_nll(crf, emissions[1, :3], [0, 3, 4])) / 7
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_a_window_may_start_inside_a_name_but_illegal_steps_are_ruled_out():
    crf = _crf()
    em = torch.zeros(1, 3, len(LABELS))
    inside = crf(em, torch.tensor([[2, 2, 0]]))  # the labelled part opens on I-ORG: legal for a window
    broken = crf(em, torch.tensor([[0, 2, 0]]))  # O → I-ORG: illegal
    assert inside.item() < 10 and broken.item() > 1000


def test_loss_trains_the_transitions_and_no_labels_give_zero():
    crf = _crf()
    em = torch.randn(1, 4, len(LABELS), requires_grad=True)
    crf(em, torch.tensor([[1, 2, 2, 0]])).backward()
    assert crf.transitions.grad[1, 2] < 0 and em.grad is not None
    assert crf(em, torch.full((1, 4), IGNORE)).item() == 0.0


def test_learned_transitions_change_the_decoded_path():
    lp = np.log(np.array([[0.1, 0.8, 0.02, 0.06, 0.02], [0.1, 0.05, 0.4, 0.45, 0.0]]) + 1e-9)
    assert viterbi(lp, LABELS) == [1, 3]
    trans = np.zeros((5, 5))
    trans[1, 2] = 1.0  # B-ORG is usually followed by I-ORG
    assert viterbi(lp, LABELS, trans) == [1, 2]
    trans[1, 2] = -1.0
    assert viterbi(lp, LABELS, trans) == [1, 3]


def test_crf_does_not_combine_with_all_subword_labels():
    with pytest.raises(ValueError, match="crf"):
        TrainConfig(crf=True, label_all_subwords=True)


def test_crf_model_trains_saves_reloads_and_decodes_with_its_transitions(tmp_path, tiny_encoder):
    conll = tmp_path / "train.txt"
    sentences = ["وزارة B-ORG\nالداخلية I-ORG\nفي O\nدمشق B-LOC",
                 "زار O\nوفد O\nمن O\nالأمم B-ORG\nالمتحدة I-ORG\nبغداد B-LOC"]
    conll.write_text("\n\n".join(sentences * 10), encoding="utf-8")
    out = tmp_path / "run"
    assert main(["train", "--base-model", tiny_encoder, "--train", str(conll), "--dev-fraction", "0.2",
                 "--output-dir", str(out), "--epochs", "2", "--batch-size", "4", "--max-length", "64", "--crf",
                 "--warmup-ratio", "0"]) == 0
    assert ModelSpec.load(out / "model").crf
    model, _ = JointModel.load(out / "model")
    assert model.entity_crf is not None and model.entity_crf.transitions.abs().sum() > 0
    extractor = Extractor.from_pretrained(out / "model", device="cpu")
    assert np.array_equal(extractor.entity_transitions, model.entity_crf.decoding_scores())
    assert json.loads((out / "metrics.json").read_text())["history"]
    assert math.isfinite(json.loads((out / "metrics.json").read_text())["dev"]["entities"]["micro"]["f1"])
