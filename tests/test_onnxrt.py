"""The ONNX Runtime path (`--quantize onnx`): what the graph holds, how close it stays to fp32, its cache."""
import sys

import numpy as np
import onnx
import pytest
import torch

from rasid import onnxrt
from rasid.extractor import Extractor
from rasid.heads import JointModel

TEXT = "قتل الجيش العراقي 5 مسلحين في الأنبار خلال عملية أمنية يوم الثلاثاء."


def test_graph_is_fused_and_int8_except_the_sensitive_layers(saved_model, tmp_path):
    model, _ = JointModel.load(saved_model)
    graph = onnx.load(str(onnxrt.export(model, tmp_path / "m.onnx"))).graph
    ops = [n.op_type for n in graph.node]
    assert ops.count("QAttention") == 2  # one fused int8 attention per layer
    assert "SkipLayerNormalization" in ops and "MatMulInteger" in ops
    fp32 = [n.name for n in graph.node if n.op_type == "MatMul"]
    assert sorted(fp32) == sorted(n for n in fp32 if onnxrt.KEEP_FP32.search(n))
    assert sum("output/dense" in n for n in fp32) == 2 and any("entity_head" in n for n in fp32)
    assert [o.name for o in graph.output] == ["entity", "trigger", "hidden"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.onnx"]  # intermediate graphs removed


def test_outputs_stay_close_to_fp32(saved_model, tmp_path):
    fp32 = Extractor.from_pretrained(saved_model, device="cpu")
    runner = onnxrt.OnnxEncoder.for_model(fp32.model, cache=tmp_path)
    enc = fp32.tokenizer([TEXT, TEXT[:30]], padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = fp32.model.encode(enc["input_ids"], enc["attention_mask"])
        entity = torch.log_softmax(fp32.model.entity_head(hidden), -1)
    ent, trig, hid = runner(enc["input_ids"].numpy(), enc["attention_mask"].numpy())
    assert hid.shape == tuple(hidden.shape) and trig.shape[:2] == ent.shape[:2] == hid.shape[:2]
    real = enc["attention_mask"].bool().numpy()
    a, b = hidden.numpy()[real], hid[real]
    assert np.linalg.norm(a - b) / np.linalg.norm(a) < 0.05
    assert np.abs(entity.numpy()[real] - ent[real]).max() < 0.1


def test_graph_is_cached_by_weights(saved_model, tmp_path):
    model, _ = JointModel.load(saved_model)
    first = onnxrt.OnnxEncoder.for_model(model, cache=tmp_path)
    (path,) = tmp_path.glob("*/model.onnx")
    stamp = path.stat().st_mtime_ns
    onnxrt.OnnxEncoder.for_model(model, cache=tmp_path)
    assert path.stat().st_mtime_ns == stamp and first.outputs == ["entity", "trigger", "hidden"]
    with torch.no_grad():
        model.entity_head.bias += 1
    onnxrt.OnnxEncoder.for_model(model, cache=tmp_path)
    assert len(list(tmp_path.glob("*/model.onnx"))) == 2


def test_extractor_onnx_path_matches_fp32_on_the_seed(seed_text):
    fp32 = Extractor.from_pretrained(device="cpu").extract([seed_text])[0]
    fast = Extractor.from_pretrained(device="cpu", quantize="onnx")
    assert fast.runner is not None
    (rec,) = fast.extract([seed_text])
    key = lambda e: (e["start"], e["end"], e["type"])  # noqa: E731
    same = set(map(key, rec["entities"])) & set(map(key, fp32["entities"]))
    assert len(same) >= 0.9 * len(fp32["entities"]) and "error" not in rec
    assert {e["type"] for e in rec["events"]} == {e["type"] for e in fp32["events"]}


def test_missing_onnxruntime_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ImportError, match=r"rasid\[onnx\]"):
        onnxrt.OnnxEncoder.__init__(object.__new__(onnxrt.OnnxEncoder), "missing.onnx")
