"""ANERcorp benchmark (CAMeL Lab split): train on the train file (last 10% held out as dev, epoch picked on dev),
score the test file with seqeval micro-F1 per type, and report wall time and peak memory.

    python eval/anercorp.py --output-dir runs/anercorp [--epochs 8 --learning-rate 1e-4 --lora-r 0 ...]

`--limit N` keeps the first N sentences of each file (the smoke version CI runs). Results are printed and
written to OUTPUT_DIR/metrics.json; copy the figures with the command into eval/BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path

from rasid.train import TrainConfig, train

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "anercorp_camellab"


def _head(src: Path, dst: Path, sentences: int) -> str:
    blocks = src.read_text(encoding="utf-8").strip("\n").split("\n\n")[:sentences]
    dst.write_text("\n\n".join(blocks), encoding="utf-8")
    return str(dst)


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--output-dir", default="runs/anercorp")
    p.add_argument("--limit", type=int, help="first N sentences of each file (smoke test)")
    p.add_argument("--encoder")
    p.add_argument("--epochs", type=float, default=8)
    p.add_argument("--max-steps", type=int, default=-1)
    p.add_argument("--learning-rate", type=float, default=1e-4)
    p.add_argument("--head-learning-rate", type=float, default=1e-3)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--lora-r", type=int, default=0)
    p.add_argument("--layer-decay", type=float, default=1.0, help="layer-wise learning-rate decay")
    p.add_argument("--warmup-ratio", type=float, default=0.1)
    p.add_argument("--precision", default="auto", help="auto (bf16 where native), fp32, bf16, fp16")
    p.add_argument("--patience", type=int, default=3, help="early-stopping patience in epochs")
    p.add_argument("--mention-replacement", type=float, default=0.0,
                   help="add a copy of the training data with this share of names swapped (0 = off)")
    p.add_argument("--ema", type=float, default=0.0, help="decay of the weight average selected on dev (0 = off)")
    p.add_argument("--rdrop", type=float, default=0.0,
                   help="weight of the R-Drop consistency term between two dropout passes (0 = off)")
    p.add_argument("--encoder-dropout", type=float, help="dropout inside the encoder (default: its own, 0.1)")
    p.add_argument("--label-all-subwords", action="store_true", help="loss on every subword, not only the first")
    p.add_argument("--crf", action="store_true", help="entity tags trained through a CRF")
    p.add_argument("--gazetteer", nargs="+", default=[], metavar="SOURCE",
                   help="name lists read as a feature (countries, cities, gold .jsonl, TYPE<TAB>name files)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--no-dev", action="store_true",
                   help="train on the whole training file for the set epochs and keep the last weights "
                        "(the epoch count chosen on a dev run; how the published anchors train)")
    p.add_argument("--resume", action="store_true", help="continue from the last checkpoint in OUTPUT_DIR")
    args = p.parse_args(argv)
    train_file = args.data / "ANERCorp_CamelLab_train.txt"
    test_file = args.data / "ANERCorp_CamelLab_test.txt"
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = [str(train_file), str(test_file)]
    if args.limit:
        files = [_head(train_file, out / "train.txt", args.limit), _head(test_file, out / "test.txt", args.limit)]
    cfg = TrainConfig(train=[files[0]], test=[files[1]], dev_fraction=0.0 if args.no_dev else 0.1, no_dev=args.no_dev,
                      output_dir=str(out), epochs=args.epochs,
                      max_steps=args.max_steps, learning_rate=args.learning_rate,
                      head_learning_rate=args.head_learning_rate, batch_size=args.batch_size,
                      max_length=args.max_length, lora_r=args.lora_r, seed=args.seed,
                      layer_decay=args.layer_decay, warmup_ratio=args.warmup_ratio, precision=args.precision,
                      early_stopping_patience=args.patience, ema=args.ema, rdrop=args.rdrop,
                      mention_replacement=args.mention_replacement, label_all_subwords=args.label_all_subwords,
                      crf=args.crf, gazetteer=args.gazetteer, resume=args.resume,
                      encoder_dropout=args.encoder_dropout, **({"encoder": args.encoder} if args.encoder else {}))
    result = train(cfg)
    test = result["test"]["entities"]
    types = {k: v for k, v in test.items() if k not in ("micro", "macro", "weighted")}
    dev = result["dev"]["entities"]["micro"]["f1"] if "dev" in result else None
    summary = {"test_micro_f1": round(100 * test["micro"]["f1"], 2),
               "dev_micro_f1": None if dev is None else round(100 * dev, 2),
               "per_type_f1": {k: round(100 * v["f1"], 1) for k, v in types.items()},
               "precision": result["precision"], "wall_seconds": result["wall_seconds"],
               "peak_rss_mb": result["peak_rss_mb"],
               "machine": f"{platform.machine()} {platform.processor() or ''} cores={os.cpu_count()}".strip()}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return summary


if __name__ == "__main__":
    main()
