"""R-Drop: the consistency term between two dropout passes, and a training run that really makes two passes."""
import pytest
import torch

from rasid.cli import main
from rasid.heads import JointModel
from rasid.train import TrainConfig, rdrop_divergence


def test_divergence_is_zero_for_equal_predictions_and_symmetric_otherwise():
    torch.manual_seed(0)
    a, b = torch.randn(2, 5, 3), torch.randn(2, 5, 3)
    labels = torch.tensor([[0, 1, 2, -100, 0], [2, -100, -100, 1, 0]])
    assert rdrop_divergence(a, a.clone(), labels).item() == pytest.approx(0.0, abs=1e-7)
    forward, backward = rdrop_divergence(a, b, labels), rdrop_divergence(b, a, labels)
    assert forward.item() > 0.01
    assert forward.item() == pytest.approx(backward.item(), rel=1e-6)


def test_divergence_reads_only_labelled_words():
    torch.manual_seed(1)
    a, b = torch.randn(1, 4, 3), torch.randn(1, 4, 3)
    labels = torch.tensor([[0, -100, 2, -100]])
    moved = b.clone()
    moved[0, 1] += 5.0
    moved[0, 3] -= 5.0
    assert rdrop_divergence(a, b, labels).item() == pytest.approx(rdrop_divergence(a, moved, labels).item())
    none = torch.full((1, 4), -100)
    logits = torch.randn(1, 4, 3, requires_grad=True)
    zero = rdrop_divergence(logits, b, none)
    zero.backward()
    assert zero.item() == 0.0 and logits.grad is not None


def test_negative_weight_is_refused():
    with pytest.raises(ValueError, match="rdrop"):
        TrainConfig(rdrop=-0.5)


@pytest.mark.parametrize("rdrop, passes_per_step", [("0", 1), ("1.0", 2)])
def test_training_with_rdrop_runs_two_passes_per_step(tmp_path, tiny_encoder, monkeypatch, rdrop, passes_per_step):
    conll = tmp_path / "train.txt"
    sentences = ["وزارة B-ORG\nالداخلية I-ORG\nفي O\nدمشق B-LOC",
                 "زار O\nوفد O\nمن O\nالأمم B-ORG\nالمتحدة I-ORG\nبغداد B-LOC"]
    conll.write_text("\n\n".join(sentences * 10), encoding="utf-8")
    calls = []
    forward = JointModel.forward

    def counted(self, *args, **kwargs):
        if self.training:
            calls.append(1)
        return forward(self, *args, **kwargs)

    monkeypatch.setattr(JointModel, "forward", counted)
    assert main(["train", "--base-model", tiny_encoder, "--train", str(conll), "--dev-fraction", "0.2",
                 "--output-dir", str(tmp_path / "run"), "--max-steps", "3", "--batch-size", "4",
                 "--max-length", "64", "--crf", "--rdrop", rdrop, "--warmup-ratio", "0"]) == 0
    assert len(calls) == 3 * passes_per_step
