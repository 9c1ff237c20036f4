"""Score an ensemble of ANERcorp models: average their per-word tag probabilities, decode once, score with seqeval.

    python eval/ensemble.py runs/a runs/b runs/c [--top 3 5] -o runs/ensemble.json

Each argument is a run directory of eval/anercorp.py (its `model/` is loaded) or a model directory. Members are
ranked by their own dev F1 (the last 10% of the train file, as in training); `--top K` scores the ensemble of the
K best on dev, so choosing the members never looks at the test file. Every member's single-model dev and test F1
is reported beside the ensembles.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from rasid.decode import tags_from_log_probs
from rasid.extractor import Extractor
from rasid.heads import JointModel
from rasid.scoring import score_conll
from rasid.train import hold_out, load_gold

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "anercorp_camellab"


def mean_log_probs(members: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Per document, the log of the members' mean probability (averaging probabilities, not log-probabilities,
    so one confident member cannot veto the others)."""
    return [np.log(np.mean(np.exp(np.stack(docs)), axis=0) + 1e-12) for docs in zip(*members, strict=True)]


def mean_transitions(members: list[np.ndarray | None], n_labels: int) -> np.ndarray | None:
    """The members' mean CRF transition scores (a member without a CRF counts as all zeros); None if none has one."""
    if all(t is None for t in members):
        return None
    return np.mean([np.zeros((n_labels, n_labels)) if t is None else t for t in members], axis=0)


def micro(metrics: dict) -> float:
    return round(100 * metrics["entities"]["micro"]["f1"], 2)


def per_type(metrics: dict) -> dict[str, float]:
    return {k: round(100 * v["f1"], 1) for k, v in metrics["entities"].items()
            if k not in ("micro", "macro", "weighted")}


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("runs", nargs="+", type=Path)
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--dev-fraction", type=float, default=0.1)
    p.add_argument("--top", type=int, nargs="*", default=[], help="also score the K best members on dev")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("-o", "--output", type=Path)
    args = p.parse_args(argv)
    train_docs, _ = load_gold([str(args.data / "ANERCorp_CamelLab_train.txt")])
    _, dev_docs = hold_out(train_docs, args.dev_fraction)
    test_docs, _ = load_gold([str(args.data / "ANERCorp_CamelLab_test.txt")])
    splits = {"dev": dev_docs, "test": test_docs}
    labels = None
    scores: dict[str, dict[str, list[np.ndarray]]] = {}
    transitions: dict[str, np.ndarray | None] = {}
    members = []
    for run in args.runs:
        path = run / "model" if (run / "model").is_dir() else run
        model, tokenizer = JointModel.load(path)
        if labels is not None and model.spec.entity_labels != labels:
            raise ValueError(f"{path}: entity labels {model.spec.entity_labels} differ from the first member's")
        labels = model.spec.entity_labels
        extractor = Extractor(model.to(args.device), tokenizer, args.device, numeric_values=False)
        scores[str(run)] = {name: extractor.entity_log_probs([d.doc for d in docs], args.batch_size)
                            for name, docs in splits.items()}
        transitions[str(run)] = extractor.entity_transitions
        single = {name: score_conll(docs, [tags_from_log_probs(d.doc, lp, labels, extractor.entity_transitions)
                                           for d, lp in zip(docs, scores[str(run)][name], strict=True)])
                  for name, docs in splits.items()}
        members.append({"run": str(run), "dev_f1": micro(single["dev"]), "test_f1": micro(single["test"])})
        print(json.dumps(members[-1]), flush=True)
        del model, extractor
    ranked = sorted(members, key=lambda m: -m["dev_f1"])
    groups = {"all": [m["run"] for m in members]}
    groups.update({f"top{k}": [m["run"] for m in ranked[:k]] for k in args.top if k <= len(members)})
    ensembles = {}
    for name, runs in groups.items():
        result = {"members": runs}
        trans = mean_transitions([transitions[r] for r in runs], len(labels))
        for split, docs in splits.items():
            averaged = mean_log_probs([scores[r][split] for r in runs])
            metrics = score_conll(docs, [tags_from_log_probs(d.doc, lp, labels, trans)
                                         for d, lp in zip(docs, averaged, strict=True)])
            result[f"{split}_f1"] = micro(metrics)
            if split == "test":
                result["test_per_type_f1"] = per_type(metrics)
        ensembles[name] = result
    summary = {"members": members, "ensembles": ensembles}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.output:
        args.output.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


if __name__ == "__main__":
    main()
