"""One shared encoder, four heads: entity tags, trigger tags, (trigger, entity) roles and (entity, entity) relations.

Triggers get their own tag layer because a trigger may sit inside an entity (the «عملية» of «80 عملية»). Pairs are
classified from span representations (first subword of the first and last word), their product and a signed distance
bucket, and, with `ModelSpec.pair_context`, the mean of the tokens between the two spans (the «ضد» or «التابعة لـ» that
tells a target from an agent); class 0 is "no link". Entity tags may be trained through a CRF (`ModelSpec.crf`,
`rasid.crf`) whose transition scores then join Viterbi decoding. With `ModelSpec.gazetteer`, the input embedding of each
token also gets a learned vector for its word's gazetteer tag (`rasid.gazetteer`). Only what training changed is saved:
heads, LoRA adapters, or the whole encoder after a full fine-tune; the encoder itself is rebuilt from its reference on
load.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn

from .crf import BioCrf
from .decode import allowed_transitions
from .gazetteer import GAZETTEER_FILE, Gazetteer
from .labels import NONE

SPEC_FILE = "rasid.json"
WEIGHTS_FILE = "weights.safetensors"
DEFAULT_ENCODER = "rasid:e5-small-arabic"
DISTANCE_BUCKETS = 16
# Encoders whose AutoModel adds a pooler unless told not to.
POOLED_ENCODERS = frozenset({"bert", "roberta", "xlm-roberta", "camembert"})


@dataclass
class ModelSpec:
    """What is needed to rebuild a trained model: the encoder reference, label sets and adapter settings."""

    encoder: str = DEFAULT_ENCODER
    entity_labels: list[str] = field(default_factory=list)
    trigger_labels: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    max_length: int = 256
    dropout: float = 0.1
    lora: dict | None = None
    crf: bool = False
    pair_context: bool = False
    gazetteer: list[str] = field(default_factory=list)  # name types of the gazetteer the model reads, if any
    full_encoder_saved: bool = False

    @property
    def entity_types(self) -> list[str]:
        return [t[2:] for t in self.entity_labels if t.startswith("B-")]

    @property
    def trigger_types(self) -> list[str]:
        return [t[2:] for t in self.trigger_labels if t.startswith("B-")]

    def save(self, path: Path) -> None:
        (path / SPEC_FILE).write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ModelSpec:
        return cls(**json.loads((path / SPEC_FILE).read_text(encoding="utf-8")))


def resolve_encoder(name: str) -> str:
    """A loadable path for an encoder reference: the built default, or any Hugging Face name or directory."""
    if name == DEFAULT_ENCODER:
        from .encoder import default_encoder

        return str(default_encoder())
    return name


def load_encoder(name: str):
    """Encoder and tokenizer; BERT-family encoders are loaded without the pooler, which no head uses."""
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    path = resolve_encoder(name)
    config = AutoConfig.from_pretrained(path)
    extra = {"add_pooling_layer": False} if config.model_type in POOLED_ENCODERS else {}
    return AutoModel.from_pretrained(path, **extra), AutoTokenizer.from_pretrained(path)


def distance_bucket(d: torch.Tensor) -> torch.Tensor:
    """Signed log2 buckets of a token distance: 0..7 for left, 8..15 for right."""
    mag = torch.clamp(torch.floor(torch.log2(d.abs().float() + 1)), max=7).long()
    return torch.where(d >= 0, mag + 8, 7 - mag)


def between_mean(prefix: torch.Tensor, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean hidden state of the tokens strictly between two spans, zero where they touch or overlap.

    prefix: [B, T+1, H] cumulative sums of the hidden states (prefix[:, t] = sum of tokens < t); a, b: [B, P, 2]
    (start token, end token) of each pair's two spans. Prefix sums make this O(pairs), not O(pairs × tokens).
    """
    a_first = a[..., 0] <= b[..., 0]
    lo = torch.where(a_first, a[..., 1], b[..., 1]) + 1
    hi = torch.maximum(torch.where(a_first, b[..., 0], a[..., 0]), lo)
    take = lambda t: prefix.gather(1, t.unsqueeze(-1).expand(-1, -1, prefix.size(-1)))  # noqa: E731
    return (take(hi) - take(lo)) / (hi - lo).clamp(min=1).unsqueeze(-1).to(prefix.dtype)


class PairHead(nn.Module):
    def __init__(self, hidden: int, n_classes: int, dropout: float, context: bool = False):
        super().__init__()
        self.distance = nn.Embedding(DISTANCE_BUCKETS, 32)
        width = (4 if context else 3) * hidden + 32
        self.mlp = nn.Sequential(nn.Linear(width, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, n_classes))

    def forward(self, a: torch.Tensor, b: torch.Tensor, dist: torch.Tensor,
                context: torch.Tensor | None = None) -> torch.Tensor:
        parts = [a, b, a * b, self.distance(distance_bucket(dist))]
        return self.mlp(torch.cat(parts if context is None else [*parts, context], dim=-1))


class JointModel(nn.Module):
    def __init__(self, encoder: nn.Module, spec: ModelSpec):
        super().__init__()
        self.spec = spec
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(spec.dropout)
        self.entity_head = nn.Linear(hidden, len(spec.entity_labels))
        self.entity_crf = BioCrf(allowed_transitions(spec.entity_labels)) if spec.crf else None
        self.trigger_head = nn.Linear(hidden, len(spec.trigger_labels)) if spec.trigger_labels else None
        linked = bool(spec.roles or spec.relations)
        self.span = nn.Sequential(nn.Linear(2 * hidden, hidden), nn.GELU()) if linked else None
        self.entity_type = nn.Embedding(len(spec.entity_types), hidden) if linked else None
        self.trigger_type = nn.Embedding(len(spec.trigger_types), hidden) if spec.roles else None
        ctx = spec.pair_context
        self.arg_head = PairHead(hidden, len(spec.roles) + 1, spec.dropout, ctx) if spec.roles else None
        self.rel_head = PairHead(hidden, len(spec.relations) + 1, spec.dropout, ctx) if spec.relations else None
        self.gazetteer: Gazetteer | None = None
        self.gazetteer_embedding = None
        if spec.gazetteer:  # starts at zero: training begins from the encoder's own input
            self.gazetteer_embedding = nn.Embedding(1 + 2 * len(spec.gazetteer), hidden)
            nn.init.zeros_(self.gazetteer_embedding.weight)

    # ---- construction and persistence -------------------------------------------------------------
    @classmethod
    def create(cls, spec: ModelSpec):
        """A fresh model on top of the spec's encoder; LoRA adapters are added when the spec asks for them."""
        encoder, tokenizer = load_encoder(spec.encoder)
        if spec.lora:
            from peft import LoraConfig, get_peft_model

            encoder = get_peft_model(encoder, LoraConfig(**spec.lora))
        return cls(encoder, spec), tokenizer

    def save(self, path: str | Path) -> None:
        """Write the spec and the trained tensors (everything for a full fine-tune, else adapters and heads)."""
        from safetensors.torch import save_file

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.spec.full_encoder_saved = not self.spec.lora and any(
            p.requires_grad for p in self.encoder.parameters())
        trained = {n for n, p in self.named_parameters() if p.requires_grad}
        state = {n: t.detach().contiguous().cpu() for n, t in self.state_dict().items()
                 if self.spec.full_encoder_saved or n in trained or not n.startswith("encoder.")}
        self.spec.save(path)
        if self.gazetteer is not None:
            self.gazetteer.save(path)
        save_file(state, str(path / WEIGHTS_FILE))

    @classmethod
    def load(cls, path: str | Path, device: str | torch.device = "cpu"):
        from safetensors.torch import load_file

        path = Path(path)
        spec = ModelSpec.load(path)
        model, tokenizer = cls.create(spec)
        state = load_file(str(path / WEIGHTS_FILE))
        expected = {n for n in model.state_dict()
                    if spec.full_encoder_saved or not n.startswith("encoder.") or "lora_" in n}
        unexpected, missing = set(state) - set(model.state_dict()), expected - set(state)
        if unexpected or missing:
            raise ValueError(f"{path}: weights do not fit the model (unexpected {sorted(unexpected)[:3]}, "
                             f"missing {sorted(missing)[:3]})")
        model.load_state_dict(state, strict=False)
        if spec.gazetteer:
            model.gazetteer = Gazetteer.load(path)
        return model.to(device).eval(), tokenizer

    # ---- forward ----------------------------------------------------------------------------------
    def span_repr(self, hidden: torch.Tensor, spans: torch.Tensor, types: nn.Embedding) -> torch.Tensor:
        """[B, S, 3] spans (start token, end token, type id) → [B, S, H]: the span's ends plus its type."""
        idx = spans.clamp(min=0)
        gather = lambda k: hidden.gather(1, idx[..., k : k + 1].expand(-1, -1, hidden.size(-1)))  # noqa: E731
        return self.span(torch.cat([gather(0), gather(1)], dim=-1)) + types(idx[..., 2])

    def pair_logits(self, head: PairHead, hidden: torch.Tensor, a_spans: torch.Tensor, b_spans: torch.Tensor,
                    pairs: torch.Tensor) -> torch.Tensor:
        """Logits [B, P, C] for pairs [B, P, 2] of indices into a_spans and b_spans (entity spans are b; a is a
        trigger span for the argument head and an entity span for the relation head)."""
        a = self.span_repr(hidden, a_spans, self.trigger_type if head is self.arg_head else self.entity_type)
        b = self.span_repr(hidden, b_spans, self.entity_type)
        pi = pairs.clamp(min=0)
        pick = lambda reps, k: reps.gather(1, pi[..., k : k + 1].expand(-1, -1, reps.size(-1)))  # noqa: E731
        ends_a = a_spans[..., :2].clamp(min=0).gather(1, pi[..., :1].expand(-1, -1, 2))
        ends_b = b_spans[..., :2].clamp(min=0).gather(1, pi[..., 1:].expand(-1, -1, 2))
        context = None
        if self.spec.pair_context:
            prefix = torch.nn.functional.pad(hidden.cumsum(1), (0, 0, 1, 0))
            context = between_mean(prefix, ends_a, ends_b)
        return head(pick(a, 0), pick(b, 1), ends_b[..., 0] - ends_a[..., 0], context)

    def entity_loss(self, logits: torch.Tensor, labels: torch.Tensor, choices: torch.Tensor | None = None
                    ) -> torch.Tensor:
        """Cross-entropy of the labelled words; a word with `choices` (a bitmask of allowed tags: public NER
        data, `rasid.features.name_choices`) is scored by the total probability of its allowed tags."""
        log_probs = logits.log_softmax(-1)
        known = labels >= 0
        terms = [-log_probs[known].gather(1, labels[known].unsqueeze(1)).squeeze(1)]
        if choices is not None and (choices > 0).any():
            pick = choices > 0
            bits = (choices[pick].unsqueeze(1) >> torch.arange(logits.size(-1), device=logits.device)) & 1
            terms.append(-log_probs[pick].masked_fill(bits == 0, float("-inf")).logsumexp(-1))
        terms = torch.cat(terms)
        return terms.mean() if terms.numel() else logits.sum() * 0

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
               gazetteer_tags: torch.Tensor | None = None) -> torch.Tensor:
        if self.gazetteer_embedding is None:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        else:
            if gazetteer_tags is None:
                raise ValueError("this model reads gazetteer tags: its windows need `gazetteer_tags`")
            embeds = self.encoder.get_input_embeddings()(input_ids)
            embeds = embeds + self.gazetteer_embedding(gazetteer_tags).to(embeds.dtype)
            hidden = self.encoder(inputs_embeds=embeds, attention_mask=attention_mask).last_hidden_state
        return self.dropout(hidden.float())  # the heads run in fp32 whatever precision the encoder uses

    def forward(self, input_ids, attention_mask, entity_labels=None, trigger_labels=None, ent_spans=None,
                trig_spans=None, arg_pairs=None, arg_labels=None, rel_pairs=None, rel_labels=None,
                entity_choices=None, gazetteer_tags=None, **_):
        hidden = self.encode(input_ids, attention_mask, gazetteer_tags)
        out = {"entity_logits": self.entity_head(hidden)}
        ce = nn.CrossEntropyLoss(ignore_index=-100)
        losses = []
        if entity_labels is not None and self.entity_crf is not None:
            losses.append(self.entity_crf(out["entity_logits"], entity_labels))
        elif entity_labels is not None:
            choices = None if entity_choices is None else entity_choices.flatten()
            losses.append(self.entity_loss(out["entity_logits"].flatten(0, 1), entity_labels.flatten(), choices))
        if self.trigger_head is not None:
            out["trigger_logits"] = self.trigger_head(hidden)
            if trigger_labels is not None and (trigger_labels >= 0).any():
                losses.append(ce(out["trigger_logits"].flatten(0, 1), trigger_labels.flatten()))
        for name, head, a, b, pairs, labels in (
            ("arg", self.arg_head, trig_spans, ent_spans, arg_pairs, arg_labels),
            ("rel", self.rel_head, ent_spans, ent_spans, rel_pairs, rel_labels),
        ):
            if head is None or pairs is None or pairs.size(1) == 0:
                continue
            logits = self.pair_logits(head, hidden, a, b, pairs)
            out[f"{name}_logits"] = logits
            if labels is not None and (labels >= 0).any():
                losses.append(ce(logits.flatten(0, 1), labels.flatten()))
        if losses:
            out["loss"] = torch.stack(losses).sum()
        return out


def pair_classes(names: list[str]) -> list[str]:
    """Class names of a pair head: NONE first."""
    return [NONE, *names]


def trainable_summary(model: nn.Module) -> str:
    total = sum(p.numel() for p in model.parameters())
    train = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return f"{train / 1e6:.2f}M of {total / 1e6:.2f}M parameters trainable ({100 * train / max(total, 1):.1f}%)"

