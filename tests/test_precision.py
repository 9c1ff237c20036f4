"""Mixed-precision training, layer-wise learning-rate decay and the reduced-precision inference paths."""
import json

import pytest
import torch

from rasid import quantize as q
from rasid import train as t
from rasid.cli import main
from rasid.extractor import Extractor
from rasid.heads import JointModel, ModelSpec

TEXT = "قتل الجيش العراقي 5 مسلحين في الأنبار خلال عملية أمنية يوم الثلاثاء."


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory, tiny_encoder):
    spec = ModelSpec(encoder=tiny_encoder, entity_labels=["O", "B-ORG", "I-ORG", "B-LOC", "I-LOC"],
                     trigger_labels=["O", "B-KILL", "I-KILL"], roles=["AGENT"], relations=["PART_OF"])
    torch.manual_seed(0)
    model, _ = JointModel.create(spec)
    path = tmp_path_factory.mktemp("model")
    model.save(path)
    return path


@pytest.mark.parametrize("kind", ["bf16", "int8"])
def test_reduced_precision_paths_stay_close_to_fp32(saved_model, kind):
    fp32 = Extractor.from_pretrained(saved_model, device="cpu")
    fast = Extractor.from_pretrained(saved_model, device="cpu", quantize=kind)
    dense = dict(fast.model.encoder.named_modules())
    if kind == "bf16":
        assert all(p.dtype == torch.bfloat16 for p in fast.model.encoder.parameters())
    else:
        assert type(dense["encoder.layer.0.attention.self.query"]).__module__.startswith("torch.ao")
        assert type(dense["encoder.layer.0.output.dense"]) is torch.nn.Linear  # kept in fp32
    assert all(p.dtype == torch.float32 for p in fast.model.entity_head.parameters())
    ids = torch.tensor([fp32.tokenizer(TEXT)["input_ids"]])
    mask = torch.ones_like(ids)
    with torch.inference_mode():
        a = fp32.model.encode(ids, mask)
        b = fast.model.encode(ids, mask)
    assert b.dtype == torch.float32
    assert torch.nn.functional.cosine_similarity(a, b, -1).min() > 0.98
    (rec,) = fast.extract([TEXT])
    assert rec["text"] == TEXT and "error" not in rec


def test_auto_quantization_follows_the_cpu(monkeypatch):
    monkeypatch.setattr(q, "native_cpu_bf16", lambda: True)
    assert q.resolve("auto") == "bf16"
    monkeypatch.setattr(q, "native_cpu_bf16", lambda: False)
    assert q.resolve("auto") == "int8" and q.resolve("bf16") == "bf16"
    with pytest.raises(ValueError, match="quantization must be one of"):
        q.resolve("int4")


def test_predict_cli_quantized(tmp_path, saved_model):
    src = tmp_path / "in.txt"
    src.write_text(TEXT, encoding="utf-8")
    for flag in (["--quantize"], ["--quantize", "int8"]):
        out = tmp_path / "out.jsonl"
        assert main(["predict", str(src), "--model", str(saved_model), "-o", str(out), "--quiet", *flag]) == 0
        (rec,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert rec["text"] == TEXT


def test_mixed_precision_auto(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(t, "native_cpu_bf16", lambda: True)
    assert t.mixed_precision("auto") == "bf16"
    monkeypatch.setattr(t, "native_cpu_bf16", lambda: False)
    assert t.mixed_precision("auto") == "fp32" and t.mixed_precision("bf16") == "bf16"


def test_config_rejects_bad_precision_and_decay():
    with pytest.raises(ValueError, match="precision"):
        t.TrainConfig(precision="int4")
    with pytest.raises(ValueError, match="layer_decay"):
        t.TrainConfig(layer_decay=0)


def test_layer_decay_groups(tiny_encoder):
    spec = ModelSpec(encoder=tiny_encoder, entity_labels=["O", "B-ORG", "I-ORG"])
    model, _ = JointModel.create(spec)
    groups = t.parameter_groups(model, t.TrainConfig(learning_rate=1e-3, head_learning_rate=5e-3, layer_decay=0.5))
    assert [g["lr"] for g in groups] == pytest.approx([2.5e-4, 5e-4, 1e-3, 5e-3])  # embeddings, layer 0, 1, heads
    grouped = [id(p) for g in groups for p in g["params"]]
    assert sorted(grouped) == sorted(id(p) for p in model.parameters() if p.requires_grad)
    embeddings = {id(p) for n, p in model.named_parameters() if ".embeddings." in n}
    assert {id(p) for p in groups[0]["params"]} == embeddings
    flat = t.parameter_groups(model, t.TrainConfig(learning_rate=1e-3, head_learning_rate=5e-3))
    assert {g["lr"] for g in flat[:-1]} == {1e-3}


def test_encoder_layer_reads_peft_and_plain_names():
    assert t.encoder_layer("encoder.encoder.layer.3.attention.self.query.weight", 12) == 4
    assert t.encoder_layer("encoder.base_model.model.encoder.layer.11.output.dense.lora_A.default.weight", 12) == 12
    assert t.encoder_layer("encoder.embeddings.word_embeddings.weight", 12) == 0
