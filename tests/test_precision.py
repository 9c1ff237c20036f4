"""Training levers (mixed precision, layer-wise learning-rate decay, weight averaging) and the reduced-precision
inference paths."""
import json

import pytest
import torch

from rasid import quantize as q
from rasid import train as t
from rasid.cli import main
from rasid.extractor import Extractor
from rasid.heads import JointModel, ModelSpec

TEXT = "قتل الجيش العراقي 5 مسلحين في الأنبار خلال عملية أمنية يوم الثلاثاء."


@pytest.mark.parametrize("kind", ["bf16", "int8"])
def test_reduced_precision_paths_stay_close_to_fp32(saved_model, kind):
    fp32 = Extractor.from_pretrained(saved_model, device="cpu")
    fast = Extractor.from_pretrained(saved_model, device="cpu", quantize=kind)
    modules = fast.model.encoder.named_modules()
    if kind == "bf16":
        assert all(p.dtype == torch.bfloat16 for p in fast.model.encoder.parameters())
    else:
        assert not any(isinstance(m, torch.nn.Linear) for _, m in modules)
        assert sum(isinstance(m, q.Int8Linear) for _, m in fast.model.encoder.named_modules()) == 2 * 6
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


@pytest.mark.parametrize(("int8", "bf16", "path"), [(True, False, "int8"), (True, True, "int8"), (False, True, "bf16"),
                                                  (False, False, None)])
def test_auto_takes_the_path_this_cpu_computes_natively(monkeypatch, int8, bf16, path):
    monkeypatch.setattr(q, "native_cpu_int8", lambda: int8)
    monkeypatch.setattr(q, "native_cpu_bf16", lambda: bf16)
    assert q.resolve("auto") == path


def test_quantization_names(monkeypatch):
    monkeypatch.setattr(q, "native_cpu_int8", lambda: False)
    monkeypatch.setattr(q, "native_cpu_bf16", lambda: False)
    with pytest.warns(UserWarning, match="VNNI"):
        assert q.resolve("int8") == "int8"
    with pytest.warns(UserWarning, match="emulated"):
        assert q.resolve("bf16") == "bf16"
    with pytest.raises(ValueError, match="quantization must be one of"):
        q.resolve("int4")


def test_auto_keeps_fp32_where_nothing_is_native(monkeypatch, saved_model):
    monkeypatch.setattr(q, "native_cpu_int8", lambda: False)
    monkeypatch.setattr(q, "native_cpu_bf16", lambda: False)
    ex = Extractor.from_pretrained(saved_model, device="cpu", quantize="auto")
    assert not any(isinstance(m, q.Int8Linear) for m in ex.model.encoder.modules())
    assert all(p.dtype == torch.float32 for p in ex.model.parameters())
    (rec,) = ex.extract([TEXT])
    assert rec["text"] == TEXT and "error" not in rec


def test_int8_linear_scales_each_token_on_its_own():
    torch.manual_seed(0)
    linear = torch.nn.Linear(64, 48)
    x = torch.randn(3, q.CHUNK_ROWS // 2 + 5, 64)  # several chunks of rows
    x[0, 3] *= 200  # one outlier token must not flatten the others
    with torch.no_grad():
        exact, approx = linear(x), q.Int8Linear(linear)(x)
    err = (approx - exact).norm(dim=-1) / exact.norm(dim=-1)
    assert err.max() < 0.03
    assert approx.shape == exact.shape and approx.dtype == x.dtype
    assert q.Int8Linear(linear)(x.bfloat16()).dtype == torch.bfloat16


def test_int8_keeps_the_layers_asked_for():
    block = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.GELU(), torch.nn.Linear(8, 8))
    q.int8_linears(block, keep=r"^2$")
    assert isinstance(block[0], q.Int8Linear) and type(block[2]) is torch.nn.Linear


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


def test_config_rejects_bad_ema_and_replacement_rate():
    with pytest.raises(ValueError, match="ema"):
        t.TrainConfig(ema=1.0)
    with pytest.raises(ValueError, match="mention_replacement"):
        t.TrainConfig(mention_replacement=1.5)
    with pytest.raises(ValueError, match="encoder_dropout"):
        t.TrainConfig(encoder_dropout=1.0)


def test_weight_average_tracks_swaps_and_restores():
    layer = torch.nn.Linear(2, 1, bias=False)
    frozen = torch.nn.Linear(1, 1)
    frozen.weight.requires_grad_(False)
    frozen.bias.requires_grad_(False)
    model = torch.nn.Sequential(layer, frozen)
    avg = t.WeightAverage(decay=0.5)
    with torch.no_grad():
        layer.weight.fill_(0.0)
    avg.on_step_end(None, None, None, model=model)  # first step: the average starts from the weights
    assert len(avg.shadow) == 1  # frozen weights are not averaged
    expected = torch.zeros(1, 2)
    for value in (4.0, 8.0):
        with torch.no_grad():
            layer.weight.fill_(value)
        avg.on_step_end(None, None, None, model=model)
        decay = min(0.5, (1 + avg.steps) / (10 + avg.steps))
        expected = decay * expected + (1 - decay) * value
    assert torch.allclose(avg.shadow[0], expected)
    avg.keep_as_best()
    with avg.swapped_in():
        assert torch.allclose(layer.weight, expected)
    assert torch.all(layer.weight == 8.0)
    avg.on_step_end(None, None, None, model=model)
    avg.load_best()
    assert torch.allclose(layer.weight, expected)


def test_training_with_weight_average_selects_the_average(tmp_path, tiny_encoder, monkeypatch):
    rows = [("قال", "O"), ("وزير", "O"), ("الداخلية", "O"), ("في", "O"), ("بغداد", "B-LOC"), ("إن", "O"),
            ("قوات", "B-ORG"), ("الحشد", "I-ORG"), ("انتشرت", "O"), ("قرب", "O"), ("الموصل", "B-LOC"), (".", "O")]
    conll = tmp_path / "tiny.txt"
    conll.write_text("\n\n".join("\n".join(f"{w} {tag}" for w, tag in rows) for _ in range(24)), encoding="utf-8")
    cfg = t.TrainConfig(train=[str(conll)], dev=[str(conll)], output_dir=str(tmp_path / "run"), encoder=tiny_encoder,
                        epochs=6, batch_size=4, max_length=32, learning_rate=1e-3, head_learning_rate=1e-2,
                        warmup_ratio=0.0, ema=0.8, mention_replacement=0.5, early_stopping_patience=6,
                        encoder_dropout=0.3, label_all_subwords=True)
    seen = []
    monkeypatch.setattr(t, "trainable_summary", lambda model: seen.append(model) or "")
    result = t.train(cfg)
    rates = {m.p for m in seen[0].encoder.modules() if isinstance(m, torch.nn.Dropout)}
    assert rates == {0.3}
    history = result["history"]
    assert len(history) == 6 and all("eval_raw_f1" in h for h in history)
    best = max(h["eval_f1"] for h in history)
    assert best > 0
    assert result["dev"]["entities"]["micro"]["f1"] == pytest.approx(best, abs=1e-6)


def test_speed_benchmark_runs_every_path(tmp_path, saved_model):
    """The code path of eval/speed.py (no timing is asserted: speed figures belong in BENCHMARKS.md)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "eval" / "speed.py"
    spec = importlib.util.spec_from_file_location("speed", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    conll = tmp_path / "tiny.txt"
    conll.write_text("قوات O\nالأمن O\nفي O\nبغداد B-LOC\n\nقتل O\nمسلح O\nقرب O\nالموصل B-LOC", encoding="utf-8")
    rows = bench.main(["--model", str(saved_model), "--conll", str(conll), "--repeats", "1", "--batch-size", "2"])
    assert [r["path"].split(",")[0] for r in rows] == ["fp32", "fp32", "bf16", "int8"]
    assert all(r["sentences/s"] > 0 and 0 <= r["entity_micro_f1"] <= 100 for r in rows)
    assert rows[0]["vs_fp32"] == 1.0 and all(r["vs_fp32"] > 0 and len(r["runs"]) == 1 for r in rows)
    some = bench.main(["--model", str(saved_model), "--conll", str(conll), "--repeats", "1", "--paths", "int8"])
    assert [r["path"] for r in some] == ["fp32, sorted by length", "int8, sorted"]


def test_int8_kernel_benchmark_reports_the_flags_auto_reads():
    """The code path of eval/int8_kernel.py; its timings belong in BENCHMARKS.md, not here."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "eval" / "int8_kernel.py"
    spec = importlib.util.spec_from_file_location("int8_kernel", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    row = bench.main(["--seconds", "0.01"])
    assert row["int8_dot_products"] == q.native_cpu_int8() and row["native_bf16"] == q.native_cpu_bf16()
    assert row["fp32_ms"] > 0 and row["int8_ms"] > 0
