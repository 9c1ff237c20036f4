"""`rasid train`: fine-tune the joint model with the Hugging Face Trainer.

The Trainer brings devices, mixed precision, multi-GPU (`torchrun`/`accelerate launch`), checkpoints, resume and
the progress bar. We add data made of our windows (optionally with a mention-replaced copy, `rasid.augment`), a
dev evaluation that decodes whole documents exactly as `rasid predict` does, so early stopping selects on the
metric users care about, and an optional moving average of the weights that is what gets selected.
"""
from __future__ import annotations

import json
import random
import re
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import torch
from transformers import TrainerCallback

from .align import Document
from .augment import augmented
from .features import GoldDoc, collate, window_features
from .gazetteer import Gazetteer
from .heads import DEFAULT_ENCODER, JointModel, ModelSpec, trainable_summary
from .io import read_conll, read_jsonl
from .labels import ENTITY_TYPES, EVENT_TYPES, RELATIONS, ROLES, bio_tags, public_name_tag
from .quantize import native_cpu_bf16


@dataclass
class TrainConfig:
    """Every knob of a run; a JSON file in `training/` sets them and command-line flags override."""

    train: list[str] = field(default_factory=list)
    dev: list[str] = field(default_factory=list)
    test: list[str] = field(default_factory=list)
    dev_fraction: float = 0.0
    no_dev: bool = False
    output_dir: str = "runs/rasid"
    encoder: str = DEFAULT_ENCODER
    init_from: str = ""
    epochs: float = 10.0
    max_steps: int = -1
    learning_rate: float = 1e-4
    head_learning_rate: float = 1e-3
    batch_size: int = 16
    gradient_accumulation: int = 1
    max_length: int = 256
    layer_decay: float = 1.0
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    dropout: float = 0.1
    encoder_dropout: float | None = None
    precision: str = "auto"
    seed: int = 42
    lora_r: int = 0
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    early_stopping_patience: int = 3
    ema: float = 0.0
    rdrop: float = 0.0
    mention_replacement: float = 0.0
    label_all_subwords: bool = False
    crf: bool = False
    pair_context: bool = False
    gazetteer: list[str] = field(default_factory=list)
    ner_data: list[str] = field(default_factory=list)
    ner_data_fraction: float = 1.0
    eval_batch_size: int = 32
    logging_steps: int = 20
    resume: bool = False

    @classmethod
    def from_file(cls, path: str | Path, **overrides) -> TrainConfig:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"{path}: unknown training options {sorted(unknown)}")
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {self.precision!r}")
        if not 0 < self.layer_decay <= 1:
            raise ValueError(f"layer_decay must be in (0, 1], not {self.layer_decay}")
        if not 0 <= self.mention_replacement <= 1:
            raise ValueError(f"mention_replacement must be in [0, 1], not {self.mention_replacement}")
        if self.encoder_dropout is not None and not 0 <= self.encoder_dropout < 1:
            raise ValueError(f"encoder_dropout must be in [0, 1), not {self.encoder_dropout}")
        if self.crf and self.label_all_subwords:
            raise ValueError("crf reads one chain of first subwords: it does not combine with label_all_subwords")
        if self.ner_data and self.crf:
            raise ValueError("ner_data trains words on sets of allowed tags, which the CRF does not score")
        if not 0 < self.ner_data_fraction <= 1:
            raise ValueError(f"ner_data_fraction must be in (0, 1], not {self.ner_data_fraction}")
        if not 0 <= self.ema < 1:
            raise ValueError(f"ema must be in [0, 1) (0 = off), not {self.ema}")
        if self.rdrop < 0:
            raise ValueError(f"rdrop must be ≥ 0 (0 = off), not {self.rdrop}")


PRECISIONS = ("auto", "fp32", "bf16", "fp16")


def mixed_precision(precision: str) -> str:
    """The precision a run uses: "auto" takes bf16 where the hardware computes it natively (recent GPUs, CPUs
    with AVX512-BF16 or AMX, where it put ~1.4x more windows per second through 2 cores), fp16 on older GPUs,
    fp32 elsewhere."""
    if precision != "auto":
        return precision
    if torch.cuda.is_available():
        return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return "bf16" if native_cpu_bf16() else "fp32"


def encoder_layer(name: str, num_layers: int) -> int:
    """Depth of an encoder parameter for layer-wise decay: 0 = embeddings, 1..L = transformer layers."""
    match = re.search(r"\.layers?\.(\d+)\.", name)
    if match:
        return int(match.group(1)) + 1
    return 0 if "embed" in name else num_layers


def parameter_groups(model: JointModel, cfg: TrainConfig) -> list[dict]:
    """Optimizer groups: heads at `head_learning_rate`; encoder layer l at `learning_rate * layer_decay**(L-l)`,
    so the lower layers, which hold general language knowledge, move less than the top ones."""
    num_layers = getattr(model.encoder.config, "num_hidden_layers", 12)
    groups: dict[int, list] = {}
    heads = []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        if name.startswith("encoder."):
            groups.setdefault(encoder_layer(name, num_layers), []).append(param)
        else:
            heads.append(param)
    return [{"params": ps, "lr": cfg.learning_rate * cfg.layer_decay ** (num_layers - depth)}
            for depth, ps in sorted(groups.items())] + [{"params": heads, "lr": cfg.head_learning_rate}]


class WeightAverage(TrainerCallback):
    """Exponential moving average of the trainable weights, updated after every optimizer step.

    Small-data fine-tuning wanders from epoch to epoch while the learning rate is high; the average of the
    recent iterates is smoother (on ANERcorp it gave the best dev score but no test gain, see
    eval/BENCHMARKS.md). The decay ramps up as (1 + n) / (10 + n) over the first steps so the average is not
    anchored to the pretrained weights. The average lives in memory (fp32) and is not part of the Trainer's
    checkpoints: a resumed run starts a new one from the restored weights.
    """

    def __init__(self, decay: float):
        self.decay = decay
        self.steps = 0
        self.params: list[torch.nn.Parameter] = []
        self.shadow: list[torch.Tensor] = []
        self.best: list[torch.Tensor] | None = None

    def on_step_end(self, args, state, control, model=None, **kwargs):
        if not self.shadow:
            self.params = [p for p in model.parameters() if p.requires_grad]
            self.shadow = [p.detach().float().clone() for p in self.params]
            return
        self.steps += 1
        decay = min(self.decay, (1 + self.steps) / (10 + self.steps))
        with torch.no_grad():
            for s, p in zip(self.shadow, self.params):
                s.lerp_(p.detach().float(), 1 - decay)

    @contextmanager
    def swapped_in(self):
        """The model holds the averaged weights inside the block and its own ones again after it."""
        with torch.no_grad():
            saved = [p.detach().clone() for p in self.params]
            for p, s in zip(self.params, self.shadow):
                p.copy_(s)
            try:
                yield
            finally:
                for p, v in zip(self.params, saved):
                    p.copy_(v)

    def keep_as_best(self) -> None:
        self.best = [s.clone() for s in self.shadow]

    def load_best(self) -> None:
        """Put the best-on-dev average into the model for good (after the Trainer reloaded its best checkpoint)."""
        with torch.no_grad():
            for p, s in zip(self.params, self.best if self.best is not None else self.shadow):
                p.copy_(s)


def rdrop_divergence(first: torch.Tensor, second: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Symmetric KL between two dropout samples' tag distributions over the labelled words (R-Drop, Liang et al.
    2021): the penalty for predictions that change with the dropout mask, a regularizer against memorising names."""
    keep = labels >= 0
    if not keep.any():
        return first.sum() * 0
    p, q = first[keep].float().log_softmax(-1), second[keep].float().log_softmax(-1)
    kl = torch.nn.functional.kl_div
    return (kl(p, q, log_target=True, reduction="batchmean") + kl(q, p, log_target=True, reduction="batchmean")) / 2


def is_conll(path: str) -> bool:
    return not path.endswith(".jsonl")


def load_gold(paths: list[str]) -> tuple[list[GoldDoc], list[dict] | None]:
    """Gold documents from canonical JSONL or CoNLL files (not both in one run); records for JSONL."""
    kinds = {is_conll(p) for p in paths}
    if len(kinds) > 1:
        raise ValueError("mix of CoNLL and JSONL data in one run: " + ", ".join(paths))
    if kinds == {True}:
        return [GoldDoc.from_tags(*read_conll(p)) for p in paths], None
    records = [r for p in paths for r in read_jsonl(p)]
    return [GoldDoc.from_record(r) for r in records], records


def load_ner_data(paths: list[str]) -> list[GoldDoc]:
    """Public NER sets (CoNLL; of nested tag columns the first, outermost) as names-only documents, their
    PER/LOC/ORG names in rasid's types (ANERcorp's PERS, Wojood's GPE ...); names of other types keep theirs, so
    their words are skipped in training."""
    docs = []
    for path in paths:
        tokens, tags = read_conll(path, column=1, tag_map=lambda t: public_name_tag(t, keep_others=True))
        gold = GoldDoc.from_tags(tokens, tags)
        gold.names_only = True
        docs.append(gold)
    return docs


def conll_entity_types(docs: list[GoldDoc]) -> list[str]:
    return sorted({e.type for d in docs for e in d.entities})


def hold_out(docs: list[GoldDoc], fraction: float) -> tuple[list[GoldDoc], list[GoldDoc]]:
    """Split the last `fraction` of sentences (CoNLL) off as a dev document."""
    if len(docs) != 1:
        raise ValueError("--dev-fraction takes exactly one CoNLL training file; give --dev for several")
    (doc,) = docs
    cut = round(len(doc.doc.sentences) * (1 - fraction))
    return [_sentence_slice(doc, 0, cut)], [_sentence_slice(doc, cut, len(doc.doc.sentences))]


def _sentence_slice(gold: GoldDoc, s0: int, s1: int) -> GoldDoc:
    sents = gold.doc.sentences[s0:s1]
    w0, w1 = sents[0][0], sents[-1][1]
    c0 = gold.doc.words[w0][0]
    words = [(a - c0, b - c0) for a, b in gold.doc.words[w0:w1]]
    doc = Document(gold.doc.text[c0 : gold.doc.words[w1 - 1][1]], words, [(a - w0, b - w0) for a, b in sents])
    ents = [type(e)(e.first - w0, e.end - w0, e.type) for e in gold.entities if w0 <= e.first and e.end <= w1]
    return GoldDoc(doc, ents, [], [], [])


def build_spec(cfg: TrainConfig, conll: bool, docs: list[GoldDoc]) -> ModelSpec:
    lora = None
    if cfg.lora_r:
        lora = {"r": cfg.lora_r, "lora_alpha": cfg.lora_alpha, "lora_dropout": cfg.lora_dropout,
                "target_modules": ["query", "key", "value", "dense"]}
    if conll:
        return ModelSpec(encoder=cfg.encoder, entity_labels=bio_tags(conll_entity_types(docs)),
                         max_length=cfg.max_length, dropout=cfg.dropout, lora=lora, crf=cfg.crf)
    return ModelSpec(encoder=cfg.encoder, entity_labels=bio_tags(ENTITY_TYPES), trigger_labels=bio_tags(EVENT_TYPES),
                     roles=list(ROLES), relations=list(RELATIONS), max_length=cfg.max_length, dropout=cfg.dropout,
                     lora=lora, crf=cfg.crf, pair_context=cfg.pair_context)


def warm_start(cfg: TrainConfig, data_spec: ModelSpec) -> tuple[JointModel, object]:
    """A trained model to go on training (the shipped one on a user's own annotations, or a model on a grown
    corpus): a few epochs from it cost a fraction of a run from the bare encoder. Its own spec (encoder, adapters,
    heads, gazetteer) is kept; the data must use its label sets, and architecture options that would change it are
    refused rather than ignored."""
    model, tokenizer = JointModel.load(cfg.init_from)
    spec = model.spec
    for name in ("entity_labels", "trigger_labels", "roles", "relations"):
        if getattr(spec, name) != getattr(data_spec, name):
            raise ValueError(f"{cfg.init_from}: the model's {name} {getattr(spec, name)} are not the data's "
                             f"{getattr(data_spec, name)}")
    conflicts = [f"{opt} (the model has {have})" for opt, asked, have in (
        ("encoder", cfg.encoder != DEFAULT_ENCODER and cfg.encoder != spec.encoder, spec.encoder),
        ("lora_r", bool(cfg.lora_r) and cfg.lora_r != (spec.lora or {}).get("r"), (spec.lora or {}).get("r")),
        ("crf", cfg.crf and not spec.crf, spec.crf),
        ("pair_context", cfg.pair_context and not spec.pair_context, spec.pair_context),
        ("gazetteer", bool(cfg.gazetteer), spec.gazetteer or "none"),
    ) if asked]
    if conflicts:
        raise ValueError(f"init_from {cfg.init_from} keeps that model's architecture; drop " + ", ".join(conflicts))
    print(f"starting from {cfg.init_from} ({spec.encoder}, "
          f"{'LoRA r' + str(spec.lora['r']) if spec.lora else 'full fine-tune'})", flush=True)
    return model.train(), tokenizer


def evaluate_model(model: JointModel, tokenizer, docs: list[GoldDoc], records: list[dict] | None,
                   batch_size: int = 32) -> dict:
    """Decode gold documents like `rasid predict` does and score them."""
    from .extractor import Extractor
    from .scoring import score, score_conll

    was_training = model.training
    device = next(model.parameters()).device
    extractor = Extractor(model, tokenizer, device, numeric_values=False)  # scores ignore values
    try:
        if records is not None:
            inputs = [{"id": r["id"], "text": r["text"], "date": r.get("date")} for r in records]
            return score(records, extractor.extract(inputs, batch_size=batch_size), values=False)
        return score_conll(docs, extractor.tag_documents([d.doc for d in docs], batch_size))
    finally:
        model.train(was_training)


def train(cfg: TrainConfig) -> dict:
    """Run one training job; returns the metrics also written to `output_dir/metrics.json`."""
    from transformers import EarlyStoppingCallback, Trainer, TrainingArguments, set_seed

    from .scoring import headline, markdown

    set_seed(cfg.seed)
    started = time.time()
    conll = all(is_conll(p) for p in cfg.train)
    train_docs, _ = load_gold(cfg.train)
    if cfg.no_dev:  # the epoch count was chosen on a dev run; now every annotated document trains
        if cfg.dev or cfg.dev_fraction or cfg.ema:
            raise ValueError("no_dev trains on everything for a fixed number of epochs and keeps the last weights: "
                             "it takes no dev set, dev fraction or weight average (which is selected on dev)")
        dev_docs, dev_records = [], None
    elif cfg.dev:
        dev_docs, dev_records = load_gold(cfg.dev)
    elif cfg.dev_fraction and conll:
        train_docs, dev_docs = hold_out(train_docs, cfg.dev_fraction)
        dev_records = None
    else:
        raise ValueError("a dev set is needed for early stopping: give --dev, or --dev-fraction for CoNLL data")
    spec = build_spec(cfg, conll, train_docs + dev_docs)
    if cfg.mention_replacement:
        train_docs = train_docs + augmented(train_docs, cfg.mention_replacement, cfg.seed)
    if cfg.init_from:
        model, tokenizer = warm_start(cfg, spec)
        spec, gazetteer = model.spec, model.gazetteer
    else:
        gazetteer = Gazetteer.from_sources(cfg.gazetteer) if cfg.gazetteer else None
        if gazetteer is not None:
            spec.gazetteer = gazetteer.types
            print(f"gazetteer: {len(gazetteer.names)} names ({', '.join(gazetteer.types)}) from {cfg.gazetteer}",
                  flush=True)
        model, tokenizer = JointModel.create(spec)
        model.gazetteer = gazetteer
    if cfg.encoder_dropout is not None:  # training-time only, so nothing of it needs saving
        for module in model.encoder.modules():
            if isinstance(module, torch.nn.Dropout):
                module.p = cfg.encoder_dropout
    print(trainable_summary(model), flush=True)

    from datasets import Dataset, concatenate_datasets

    train_ds = Dataset.from_list([f for d in train_docs
                                  for f in window_features(d, tokenizer, spec, cfg.label_all_subwords, gazetteer)])
    if cfg.ner_data:
        if conll:
            raise ValueError("ner_data adds names to rasid's own JSONL data; for CoNLL data give the files as --train")
        names = [f for d in load_ner_data(cfg.ner_data)
                 for f in window_features(d, tokenizer, spec, gazetteer=gazetteer)]
        keep = sorted(random.Random(cfg.seed).sample(range(len(names)), round(len(names) * cfg.ner_data_fraction)))
        print(f"{len(train_ds)} windows of {', '.join(cfg.train)} + {len(keep)} of {len(names)} names-only windows"
              f" of {', '.join(cfg.ner_data)}", flush=True)
        train_ds = train_ds.map(lambda f: {"entity_choices": [0] * len(f["input_ids"])})
        train_ds = concatenate_datasets([train_ds, Dataset.from_list([names[i] for i in keep])])
    dev_ds = Dataset.from_list([f for d in dev_docs
                                for f in window_features(d, tokenizer, spec, gazetteer=gazetteer)])
    out = Path(cfg.output_dir)
    precision = mixed_precision(cfg.precision)
    args = TrainingArguments(
        output_dir=str(out / "checkpoints"), num_train_epochs=cfg.epochs, max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size, per_device_eval_batch_size=cfg.eval_batch_size,
        gradient_accumulation_steps=cfg.gradient_accumulation, learning_rate=cfg.learning_rate,
        weight_decay=cfg.weight_decay, warmup_steps=cfg.warmup_ratio, lr_scheduler_type="linear",
        eval_strategy="no" if cfg.no_dev else "epoch", save_strategy="epoch", save_total_limit=2,
        load_best_model_at_end=not cfg.no_dev,
        metric_for_best_model="f1", greater_is_better=True, logging_steps=cfg.logging_steps, seed=cfg.seed,
        bf16=precision == "bf16", fp16=precision == "fp16", use_cpu=not torch.cuda.is_available(),
        remove_unused_columns=False, report_to=[], dataloader_num_workers=0,
        train_sampling_strategy="group_by_length", length_column_name="length",
    )
    train_ds = train_ds.map(lambda f: {"length": len(f["input_ids"])})

    optimizer = torch.optim.AdamW(parameter_groups(model, cfg), weight_decay=cfg.weight_decay)
    history: list[dict] = []

    average = WeightAverage(cfg.ema) if cfg.ema else None
    best_f1 = [float("-inf")]

    class DevTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
            if not (cfg.rdrop and model.training):
                return super().compute_loss(model, inputs, return_outputs, **kwargs)
            first, second = model(**inputs), model(**inputs)
            loss = (first["loss"] + second["loss"]) / 2 + cfg.rdrop * rdrop_divergence(
                first["entity_logits"], second["entity_logits"], inputs["entity_labels"])
            return (loss, first) if return_outputs else loss

        def evaluate(self, eval_dataset=None, ignore_keys=None, metric_key_prefix="eval"):
            metrics = evaluate_model(self.model, tokenizer, dev_docs, dev_records, cfg.eval_batch_size)
            flat = {}
            if average is not None and average.shadow:
                flat[f"{metric_key_prefix}_raw_f1"] = headline(metrics)
                with average.swapped_in():
                    metrics = evaluate_model(self.model, tokenizer, dev_docs, dev_records, cfg.eval_batch_size)
                if headline(metrics) > best_f1[0]:
                    best_f1[0] = headline(metrics)
                    average.keep_as_best()
            flat.update({f"{metric_key_prefix}_f1": headline(metrics),
                         f"{metric_key_prefix}_entity_f1": metrics["entities"]["micro"]["f1"]})
            for layer in ("triggers", "arguments", "relations"):
                if layer in metrics:
                    flat[f"{metric_key_prefix}_{layer[:-1]}_f1"] = metrics[layer]["micro"]["f1"]
            history.append({"epoch": self.state.epoch, **flat})
            self.log(flat)
            self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, flat)
            return flat

    trainer = DevTrainer(
        model=model, args=args, train_dataset=train_ds, eval_dataset=dev_ds,
        data_collator=lambda b: collate(b, tokenizer.pad_token_id or 0), optimizers=(optimizer, None),
        callbacks=([] if cfg.no_dev else [EarlyStoppingCallback(cfg.early_stopping_patience)])
        + ([average] if average else []),
    )
    resume = cfg.resume and any((out / "checkpoints").glob("checkpoint-*"))
    trainer.train(resume_from_checkpoint=True if resume else None)
    if average is not None and average.shadow:
        average.load_best()
    model.save(out / "model")
    result = {"config": asdict(cfg), "precision": precision, "spec": asdict(spec), "history": history}
    if dev_docs:
        result["dev"] = evaluate_model(model, tokenizer, dev_docs, dev_records, cfg.eval_batch_size)
    if cfg.test:
        test_docs, test_records = load_gold(cfg.test)
        result["test"] = evaluate_model(model, tokenizer, test_docs, test_records, cfg.eval_batch_size)
    result["wall_seconds"] = round(time.time() - started, 1)
    result["peak_rss_mb"] = _peak_rss_mb()
    (out / "metrics.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "metrics.md").write_text("\n".join(f"## {split}\n\n{markdown(result[split])}"
                                              for split in ("dev", "test") if split in result), encoding="utf-8")
    return result


def _peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
