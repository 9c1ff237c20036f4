"""Domain-adaptive pretraining: go on training an encoder's masked-language model on unlabelled news text.

The offline encoder was rebuilt from 4-bit weights of a model trained for sentence embeddings on many languages;
fine-tuning for tags then starts from representations that never had to predict Arabic words in context. A few
epochs of masked-word prediction on text like the text to be tagged (the user's own archive, the training
sentences of a benchmark) adapt the encoder before fine-tuning. The result is an ordinary Hugging Face encoder
directory that `rasid train --encoder DIR` and `eval/anercorp.py --encoder DIR` read like any other.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .heads import DEFAULT_ENCODER, resolve_encoder
from .corpus.jsonl import iter_jsonl
from .io import read_conll


@dataclass
class AdaptConfig:
    texts: list[str] = field(default_factory=list)  # .jsonl (a "text" per line), CoNLL files or .txt files
    encoder: str = DEFAULT_ENCODER
    output_dir: str = "runs/encoder-adapted"
    epochs: float = 3.0
    max_steps: int = -1
    learning_rate: float = 1e-4
    batch_size: int = 16
    max_length: int = 256
    mlm_probability: float = 0.15
    warmup_ratio: float = 0.06
    heldout_fraction: float = 0.02
    precision: str = "auto"
    seed: int = 42


def read_texts(paths: list[str]) -> list[str]:
    """Documents as plain text: a JSONL record's "text", a CoNLL file's sentences (tokens joined by spaces, one
    sentence per line) or a whole .txt file."""
    texts: list[str] = []
    for path in paths:
        if path.endswith(".jsonl"):
            for lineno, record in iter_jsonl(path):
                if not isinstance(record.get("text"), str):
                    raise ValueError(f"{path}:{lineno}: a line must hold a string 'text'")
                texts.append(record["text"])
        elif path.endswith(".txt") and not _looks_like_conll(content := Path(path).read_text(encoding="utf-8")):
            texts.append(content)
        else:
            tokens, _ = read_conll(path)
            texts.append("\n".join(" ".join(sentence) for sentence in tokens))
    if not any(t.strip() for t in texts):
        raise ValueError(f"no text in {paths}")
    return texts


def _looks_like_conll(content: str) -> bool:
    """True when the first non-blank lines all read `token TAG` with a BIO tag (ANERcorp's files are .txt)."""
    lines = [line.split() for line in content.splitlines()[:50] if line.strip()]
    return bool(lines) and all(len(p) == 2 and (p[1] == "O" or p[1][:2] in ("B-", "I-")) for p in lines)


def blocks(tokenizer, texts: list[str], max_length: int) -> list[list[int]]:
    """The texts' subwords run together (a separator between documents) and cut into windows of `max_length`,
    specials included, so that no subword is padding; a last piece under a quarter of a window is left out."""
    room = max_length - 2
    stream: list[int] = []
    for text in texts:
        stream.extend(tokenizer(text, add_special_tokens=False)["input_ids"])
        stream.append(tokenizer.sep_token_id)
    return [[tokenizer.cls_token_id] + stream[i:i + room] + [tokenizer.sep_token_id]
            for i in range(0, len(stream), room) if len(stream[i:i + room]) >= room // 4]


def masked_only_trainer():
    """A Trainer whose loss runs the prediction head on the masked positions only: the head's product with the
    whole vocabulary, at every position, costs more than the encoder itself on a CPU, and only the masked
    positions (15%) carry a label."""
    import torch.nn.functional as F
    from transformers import Trainer

    class MaskedOnlyTrainer(Trainer):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            labels = inputs.pop("labels")
            hidden = model.base_model(**inputs).last_hidden_state
            head = next(m for m in model.children() if m is not model.base_model)
            picked = labels != -100
            loss = F.cross_entropy(head(hidden[picked]).float(), labels[picked])
            return (loss, {}) if return_outputs else loss

    return MaskedOnlyTrainer


def adapt(cfg: AdaptConfig) -> dict:
    """Train the masked-language model on the texts; save the encoder and its tokenizer to OUTPUT_DIR/encoder and
    the held-out masked-word loss before and after to OUTPUT_DIR/metrics.json."""
    import random

    import torch
    from datasets import Dataset
    from transformers import AutoModelForMaskedLM, AutoTokenizer, DataCollatorForLanguageModeling, TrainingArguments

    from .train import mixed_precision

    started = time.time()
    random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    path = resolve_encoder(cfg.encoder)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForMaskedLM.from_pretrained(path)  # a new prediction transform where the encoder has none
    windows = blocks(tokenizer, read_texts(cfg.texts), cfg.max_length)
    random.shuffle(windows)
    n_held = max(1, round(len(windows) * cfg.heldout_fraction))
    held, train_windows = windows[:n_held], windows[n_held:]
    if not train_windows:
        raise ValueError(f"too little text: {len(windows)} window(s) of {cfg.max_length} subwords")
    train_ds = Dataset.from_dict({"input_ids": train_windows})
    held_ds = Dataset.from_dict({"input_ids": held})
    out = Path(cfg.output_dir)
    precision = mixed_precision(cfg.precision)
    args = TrainingArguments(
        output_dir=str(out / "checkpoints"), num_train_epochs=cfg.epochs, max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size, per_device_eval_batch_size=cfg.batch_size,
        learning_rate=cfg.learning_rate, warmup_steps=cfg.warmup_ratio, lr_scheduler_type="linear",
        weight_decay=0.01, save_strategy="no", eval_strategy="no", logging_steps=20, seed=cfg.seed,
        bf16=precision == "bf16", fp16=precision == "fp16", use_cpu=not torch.cuda.is_available(),
        report_to=[], dataloader_num_workers=0, prediction_loss_only=True,
    )
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=cfg.mlm_probability, seed=cfg.seed)
    trainer = masked_only_trainer()(model=model, args=args, train_dataset=train_ds, eval_dataset=held_ds,
                                    data_collator=collator)
    before = trainer.evaluate()["eval_loss"]
    trainer.train()
    after = trainer.evaluate()["eval_loss"]
    target = out / "encoder"
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    result = {"config": asdict(cfg), "precision": precision, "train_windows": len(train_windows),
              "heldout_windows": len(held), "heldout_mlm_loss_before": round(before, 4),
              "heldout_mlm_loss_after": round(after, 4), "wall_seconds": round(time.time() - started, 1)}
    (out / "metrics.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result
