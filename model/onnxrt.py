"""The ONNX Runtime inference path (`--quantize onnx`): the encoder and tag heads exported once to an ONNX graph,
fused and quantized by ONNX Runtime's own tools, and run by its CPU kernels.

Why: in PyTorch the int8 products are fast but attention, layer norms and GELU stay separate element-wise passes
(eval/BENCHMARKS.md). ONNX Runtime's BERT optimizer fuses each layer into a handful of kernels (Attention,
SkipLayerNormalization, BiasGelu, EmbedLayerNormalization), and its dynamic quantization turns the attention and
the linear layers into int8 kernels. Two kinds of layer stay in fp32 because int8 costs accuracy there: the tag
heads, and the FFN down-projections, whose inputs (after GELU) hold the outlier activations that a per-tensor
activation scale handles worst. The pair heads (arguments, relations) run in PyTorch on the hidden states the graph
returns.

The graph is built on first use (about half a minute) and cached under the rasid cache, keyed by the weights.
Needs the optional packages: pip install 'rasid[onnx]'.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .heads import JointModel

BUILD = "1"  # bump when the export or quantization settings change, so cached graphs are rebuilt
BERT_FAMILY = ("bert", "roberta", "xlm-roberta", "electra")
KEEP_FP32 = re.compile(r"(entity_head|trigger_head)|layer\.\d+/output/dense/MatMul$")


def _require():
    try:
        import onnxruntime
    except ImportError as exc:
        raise ImportError("the onnx path needs ONNX Runtime: pip install 'rasid[onnx]'") from exc
    return onnxruntime


class _Graph(nn.Module):
    """What the graph computes: tag log-probabilities and the hidden states the pair heads read."""

    def __init__(self, model: JointModel):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        hidden = self.model.encode(input_ids, attention_mask)
        entity = torch.log_softmax(self.model.entity_head(hidden), -1)
        if self.model.trigger_head is None:
            return entity, hidden
        return entity, torch.log_softmax(self.model.trigger_head(hidden), -1), hidden


def fingerprint(model: JointModel) -> str:
    """A key for the cache: the weights, the export settings and the ONNX Runtime version."""
    digest = hashlib.sha256(f"{BUILD} {_require().__version__}".encode())
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().float().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:20]


def export(model: JointModel, path: Path) -> Path:
    """Write the fused, int8-quantized graph of `model` (LoRA already merged) to `path`."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    path.parent.mkdir(parents=True, exist_ok=True)
    config = model.encoder.config
    outputs = ["entity", "hidden"] if model.trigger_head is None else ["entity", "trigger", "hidden"]
    axes = {name: {0: "batch", 1: "tokens"} for name in ["input_ids", "attention_mask", *outputs]}
    plain, fused = path.with_suffix(".plain.onnx"), path.with_suffix(".fused.onnx")
    attention = config._attn_implementation
    model.encoder.set_attn_implementation("eager")  # the pattern ONNX Runtime's attention fusion recognizes
    try:
        sample = torch.ones(2, 8, dtype=torch.long)
        torch.onnx.export(_Graph(model).eval(), (sample, sample), str(plain), dynamo=False, opset_version=17,
                          input_names=["input_ids", "attention_mask"], output_names=outputs, dynamic_axes=axes)
    finally:
        model.encoder.set_attn_implementation(attention)
    if config.model_type in BERT_FAMILY:
        optimize_model(str(plain), model_type="bert", num_heads=config.num_attention_heads,
                       hidden_size=config.hidden_size).save_model_to_file(str(fused))
    else:
        fused = plain
    names = [node.name for node in onnx.load(str(fused), load_external_data=False).graph.node]
    quantize_dynamic(str(fused), str(path), per_channel=True, weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Attention"],
                     nodes_to_exclude=[n for n in names if KEEP_FP32.search(n)],
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    for tmp in {plain, fused}:
        tmp.unlink()
    return path


class OnnxEncoder:
    """Runs the cached graph: numpy batches in, (entity, trigger or None, hidden) out."""

    def __init__(self, path: Path, threads: int | None = None):
        ort = _require()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.outputs = [o.name for o in self.session.get_outputs()]

    @classmethod
    def for_model(cls, model: JointModel, cache: Path | None = None) -> OnnxEncoder:
        """The graph for `model`, exported into the cache on first use."""
        from .encoder import cache_dir

        path = (cache or cache_dir() / "onnx") / fingerprint(model) / "model.onnx"
        if not path.exists():
            staging = path.with_name(f"staging-{path.name}")
            export(model, staging)
            staging.replace(path)
        return cls(path)

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray):
        values = dict(zip(self.outputs, self.session.run(None, {"input_ids": input_ids,
                                                                "attention_mask": attention_mask})))
        return values["entity"], values.get("trigger"), values["hidden"]
