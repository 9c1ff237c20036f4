"""End to end on a tiny encoder: train a few steps, save, reload, predict, evaluate — the real code path that a
Hugging Face encoder (AraBERT, CAMeLBERT) takes with `--base-model`."""
import json

import pytest

from rasid.cli import main
from rasid.extractor import Extractor
from rasid.heads import JointModel, ModelSpec

TEXTS = [
    "أعلنت وزارة الداخلية السورية اعتقال 12 عنصرا من تنظيم داعش في ريف دمشق أمس.",
    "قتل الجيش العراقي 5 مسلحين في الأنبار خلال عملية أمنية يوم الثلاثاء.",
    "ضبطت قوات حرس الحدود الأردنية نحو مليون حبة مخدرة قرب معبر جابر.",
]


def _span(text, part, typ, i):
    start = text.index(part)
    return {"id": i, "type": typ, "text": part, "start": start, "end": start + len(part)}


def _gold():
    t0, t1, t2 = TEXTS
    return [
        {"id": "g0", "text": t0,
         "entities": [_span(t0, "وزارة الداخلية السورية", "ORG", "T1"), _span(t0, "12 عنصرا", "QUANTITY", "T2"),
                      _span(t0, "داعش", "ORG", "T3"), _span(t0, "ريف دمشق", "LOC", "T4"), _span(t0, "أمس", "DATE", "T5")],
         "events": [{"id": "E1", "type": "ARREST", "trigger": {"text": "اعتقال", "start": t0.index("اعتقال"),
                                                               "end": t0.index("اعتقال") + 6},
                     "arguments": [{"role": "AGENT", "entity": "T1"}, {"role": "QUANTITY", "entity": "T2"},
                                   {"role": "TARGET", "entity": "T3"}, {"role": "LOCATION", "entity": "T4"}]}],
         "relations": []},
        {"id": "g1", "text": t1,
         "entities": [_span(t1, "الجيش العراقي", "ORG", "T1"), _span(t1, "5 مسلحين", "QUANTITY", "T2"),
                      _span(t1, "الأنبار", "LOC", "T3"), _span(t1, "يوم الثلاثاء", "DATE", "T4")],
         "events": [{"id": "E1", "type": "KILL", "trigger": {"text": "قتل", "start": 0, "end": 3},
                     "arguments": [{"role": "AGENT", "entity": "T1"}, {"role": "QUANTITY", "entity": "T2"}]}],
         "relations": [{"type": "LOCATED_IN", "head": "T1", "tail": "T3"}]},
        {"id": "g2", "text": t2,
         "entities": [_span(t2, "قوات حرس الحدود الأردنية", "ORG", "T1"), _span(t2, "نحو مليون حبة", "QUANTITY", "T2"),
                      _span(t2, "معبر جابر", "LOC", "T3")],
         "events": [{"id": "E1", "type": "SEIZE", "trigger": {"text": "ضبطت", "start": 0, "end": 4},
                     "arguments": [{"role": "AGENT", "entity": "T1"}]}],
         "relations": []},
    ]


@pytest.fixture(scope="module")
def data_files(tmp_path_factory):
    path = tmp_path_factory.mktemp("data")
    gold = path / "gold.jsonl"
    gold.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in _gold()), encoding="utf-8")
    return gold


@pytest.mark.parametrize("lora", [0, 4])
def test_train_save_reload_predict_evaluate(tmp_path, tiny_encoder, data_files, lora):
    out = tmp_path / "run"
    assert main(["train", "--base-model", tiny_encoder, "--train", str(data_files), "--dev", str(data_files),
                 "--output-dir", str(out), "--epochs", "2", "--batch-size", "2", "--max-length", "64",
                 "--learning-rate", "1e-3", "--lora-r", str(lora)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert {"dev", "history", "config"} <= set(metrics) and len(metrics["history"]) == 2
    spec = ModelSpec.load(out / "model")
    assert spec.encoder == tiny_encoder and (spec.lora is not None) == bool(lora)
    ex = Extractor.from_pretrained(out / "model", device="cpu")
    records = ex.extract(TEXTS + [""], batch_size=2)
    assert len(records) == 4
    for rec, text in zip(records, TEXTS + [""]):
        assert rec["text"] == text and "error" not in rec
        for e in rec["entities"]:
            assert text[e["start"]:e["end"]] == e["text"]
    pred = tmp_path / "pred.jsonl"
    assert main(["predict", str(data_files), "-o", str(pred), "--model", str(out / "model"), "--quiet"]) == 0
    assert [json.loads(line)["id"] for line in pred.read_text().splitlines()] == ["g0", "g1", "g2"]
    assert main(["evaluate", str(data_files), "--model", str(out / "model"), "-o", str(tmp_path / "m.json")]) == 0
    evaluated = json.loads((tmp_path / "m.json").read_text())
    assert "micro" in evaluated["entities"] and "all" in evaluated["values"]
    assert "values" not in metrics["dev"]  # training scores spans only: its predictions carry no values


def test_training_lowers_the_loss_and_learns_the_tags(tmp_path, tiny_encoder, data_files):
    """A model trained long enough on three documents reproduces their entity tags."""
    out = tmp_path / "run"
    main(["train", "--base-model", tiny_encoder, "--train", str(data_files), "--dev", str(data_files),
          "--output-dir", str(out), "--epochs", "40", "--batch-size", "3", "--max-length", "64",
          "--learning-rate", "3e-3", "--head-learning-rate", "3e-3", "--early-stopping-patience", "40"])
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["dev"]["entities"]["micro"]["f1"] > 0.8


def test_pair_context_model_trains_reloads_and_predicts(tmp_path, tiny_encoder, data_files):
    out = tmp_path / "run"
    assert main(["train", "--base-model", tiny_encoder, "--train", str(data_files), "--dev", str(data_files),
                 "--output-dir", str(out), "--epochs", "1", "--batch-size", "2", "--max-length", "64",
                 "--pair-context"]) == 0
    assert ModelSpec.load(out / "model").pair_context
    model, _ = JointModel.load(out / "model")
    hidden = model.encoder.config.hidden_size
    assert model.arg_head.mlp[0].in_features == model.rel_head.mlp[0].in_features == 4 * hidden + 32
    records = Extractor.from_pretrained(out / "model", device="cpu").extract(TEXTS)
    assert [r["text"] for r in records] == TEXTS and all("error" not in r for r in records)


def test_saved_model_holds_only_adapters_and_heads(tmp_path, tiny_encoder):
    spec = ModelSpec(encoder=tiny_encoder, entity_labels=["O", "B-ORG", "I-ORG"], trigger_labels=["O", "B-KILL", "I-KILL"],
                     roles=["AGENT"], relations=["PART_OF"], lora={"r": 2, "target_modules": ["query", "value"]})
    model, _ = JointModel.create(spec)
    model.save(tmp_path / "m")
    from safetensors.torch import load_file

    names = set(load_file(str(tmp_path / "m" / "weights.safetensors")))
    assert names and all("lora_" in n or not n.startswith("encoder.") for n in names)
    reloaded, _ = JointModel.load(tmp_path / "m")
    for n, t in load_file(str(tmp_path / "m" / "weights.safetensors")).items():
        assert reloaded.state_dict()[n].equal(t)


@pytest.mark.parametrize("flags", [["--label-all-subwords"], ["--crf", "--gazetteer", "countries", "cities"]])
def test_anercorp_benchmark_smoke(tmp_path, tiny_encoder, flags):
    """The benchmark's code path on the first sentences of ANERcorp (the full run is eval/anercorp.py)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "eval" / "anercorp.py"
    spec = importlib.util.spec_from_file_location("anercorp", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    summary = bench.main(["--limit", "40", "--encoder", tiny_encoder, "--epochs", "1", "--batch-size", "8",
                          "--max-length", "64", "--output-dir", str(tmp_path), "--encoder-dropout", "0.2", *flags])
    assert 0.0 <= summary["test_micro_f1"] <= 100.0 and 0.0 <= summary["dev_micro_f1"] <= 100.0
    assert set(summary["per_type_f1"]) <= {"LOC", "ORG", "PERS", "MISC"}
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["test"]["entities"]["micro"]["support"] > 0


def test_no_dev_trains_on_everything_and_keeps_the_last_weights(tmp_path, tiny_encoder, data_files):
    """--no-dev: the set epochs on all the data, no evaluation, and the saved model is the last checkpoint's."""
    from safetensors.torch import load_file

    out = tmp_path / "run"
    assert main(["train", "--base-model", tiny_encoder, "--train", str(data_files), "--no-dev", "--output-dir",
                 str(out), "--epochs", "2", "--batch-size", "2", "--max-length", "64", "--lora-r", "0"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert "dev" not in metrics and metrics["history"] == []
    last = max((out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    trained = load_file(str(last / "model.safetensors"))
    saved, _ = JointModel.load(out / "model")
    state = saved.state_dict()
    shared = [n for n in trained if n in state]
    assert len(shared) == len(state) and all(state[n].equal(trained[n]) for n in shared)
    with pytest.raises(ValueError, match="no_dev"):
        main(["train", "--base-model", tiny_encoder, "--train", str(data_files), "--dev", str(data_files),
              "--no-dev", "--output-dir", str(tmp_path / "refused"), "--epochs", "1"])


def test_gazetteer_model_trains_reloads_and_predicts(tmp_path, tiny_encoder, data_files):
    names = tmp_path / "names.tsv"
    names.write_text("ORG\tتنظيم داعش\nLOC\tريف دمشق\n", encoding="utf-8")
    out = tmp_path / "run"
    assert main(["train", "--base-model", tiny_encoder, "--train", str(data_files), "--dev", str(data_files),
                 "--output-dir", str(out), "--epochs", "2", "--batch-size", "2", "--max-length", "64",
                 "--lora-r", "4", "--gazetteer", "countries", str(names)]) == 0
    assert ModelSpec.load(out / "model").gazetteer == ["LOC", "ORG"]
    assert (out / "model" / "gazetteer.json").is_file()
    model, _ = JointModel.load(out / "model")
    assert model.gazetteer is not None and len(model.gazetteer.names) > 100
    assert model.gazetteer_embedding.weight.abs().sum() > 0  # trained away from its zero start
    first = Extractor.from_pretrained(out / "model", device="cpu").extract(TEXTS)
    again = Extractor.from_pretrained(out / "model", device="cpu").extract(TEXTS)
    assert first == again and all("error" not in r for r in first)
    for kind in ("int8", "bf16"):
        reduced = Extractor.from_pretrained(out / "model", quantize=kind).extract(TEXTS)
        assert all("error" not in r for r in reduced)


@pytest.fixture(scope="module")
def trained_lora(tmp_path_factory, tiny_encoder, data_files):
    out = tmp_path_factory.mktemp("base")
    assert main(["train", "--base-model", tiny_encoder, "--train", str(data_files), "--dev", str(data_files),
                 "--output-dir", str(out), "--epochs", "1", "--batch-size", "2", "--max-length", "64",
                 "--lora-r", "4", "--learning-rate", "1e-3"]) == 0
    return out / "model"


def test_init_from_goes_on_from_the_trained_weights(tmp_path, tiny_encoder, data_files, trained_lora):
    """With both learning rates at 0 a warm-started run must save exactly the weights it started from (a run from
    the bare encoder would save freshly initialised heads and adapters), keeping the model's own spec."""
    from safetensors.torch import load_file

    out = tmp_path / "warm"
    assert main(["train", "--init-from", str(trained_lora), "--train", str(data_files), "--dev", str(data_files),
                 "--output-dir", str(out), "--epochs", "1", "--batch-size", "2", "--learning-rate", "0",
                 "--head-learning-rate", "0", "--warmup-ratio", "0"]) == 0
    before, after = load_file(str(trained_lora / "weights.safetensors")), load_file(str(out / "model" / "weights.safetensors"))
    assert set(before) == set(after) and any("lora_" in n for n in after)
    assert all(before[n].equal(after[n]) for n in before)
    spec = ModelSpec.load(out / "model")
    assert spec.encoder == tiny_encoder and spec.lora["r"] == 4


def test_init_from_learns_further(tmp_path, data_files, trained_lora):
    from safetensors.torch import load_file

    out = tmp_path / "warm"
    assert main(["train", "--init-from", str(trained_lora), "--train", str(data_files), "--dev", str(data_files),
                 "--output-dir", str(out), "--epochs", "1", "--batch-size", "2", "--learning-rate", "1e-3"]) == 0
    before, after = load_file(str(trained_lora / "weights.safetensors")), load_file(str(out / "model" / "weights.safetensors"))
    assert any(not before[n].equal(after[n]) for n in before)


def test_init_from_refuses_other_labels_and_architecture(tmp_path, data_files, saved_model, trained_lora):
    common = ["--train", str(data_files), "--dev", str(data_files), "--output-dir", str(tmp_path / "x"), "--epochs", "1"]
    with pytest.raises(ValueError, match="entity_labels"):
        main(["train", "--init-from", str(saved_model), *common])
    with pytest.raises(ValueError, match="lora_r"):
        main(["train", "--init-from", str(trained_lora), "--lora-r", "8", *common])
    with pytest.raises(ValueError, match="gazetteer"):
        main(["train", "--init-from", str(trained_lora), "--gazetteer", "countries", *common])
