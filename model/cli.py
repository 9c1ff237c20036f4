"""The `rasid` command: train, adapt, predict, evaluate, numbers, build-encoder, annotations."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TRAINING_DIR = Path(__file__).resolve().parent.parent / "training"


def _train(args: argparse.Namespace) -> int:
    from .train import TrainConfig, train

    overrides = {k: v for k, v in vars(args).items() if k not in ("func", "config", "command") and v is not None}
    cfg = TrainConfig.from_file(args.config, **overrides) if args.config else TrainConfig(**overrides)
    result = train(cfg)
    from .scoring import headline

    for split in ("dev", "test"):
        if split in result:
            print(f"{split}: entity micro-F1 {100 * result[split]['entities']['micro']['f1']:.2f}, "
                  f"headline {100 * headline(result[split]):.2f}")
    print(f"model saved to {Path(cfg.output_dir) / 'model'}; metrics in {Path(cfg.output_dir) / 'metrics.json'}")
    return 0


def _adapt(args: argparse.Namespace) -> int:
    from .adapt import AdaptConfig, adapt

    overrides = {k: v for k, v in vars(args).items() if k not in ("func", "command") and v is not None}
    result = adapt(AdaptConfig(**overrides))
    print(f"held-out masked-word loss {result['heldout_mlm_loss_before']} -> {result['heldout_mlm_loss_after']}; "
          f"encoder saved to {Path(args.output_dir or AdaptConfig.output_dir) / 'encoder'}")
    return 0


def _predict(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .extractor import Extractor
    from .io import iter_inputs, write_records

    extractor = Extractor.from_pretrained(args.model, device=args.device, quantize=args.quantize)
    inputs = iter_inputs(args.inputs or ["-"], lines=args.lines)
    records = extractor.stream(tqdm(inputs, desc="documents", unit="doc", file=sys.stderr, disable=args.quiet),
                               batch_size=args.batch_size, reference_date=args.reference_date)
    failed = 0

    def counted(stream):
        nonlocal failed
        for r in stream:
            if "error" in r:
                failed += 1
                print(f"rasid predict: {r['id']}: {r['error']}", file=sys.stderr)
            yield r

    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            n = write_records(counted(records), out)
    else:
        n = write_records(counted(records), sys.stdout)
    print(f"rasid predict: {n} records written, {failed} with errors", file=sys.stderr)
    return 1 if failed and args.strict else 0


def _evaluate(args: argparse.Namespace) -> int:
    from .extractor import Extractor
    from .scoring import markdown

    extractor = Extractor.from_pretrained(args.model, device=args.device, quantize=args.quantize)
    if args.gold.endswith(".jsonl"):
        from .io import read_jsonl
        from .scoring import score

        gold = read_jsonl(args.gold)
        pred = extractor.extract([{"id": g["id"], "text": g["text"], "date": g.get("date")} for g in gold],
                                 batch_size=args.batch_size)
        metrics = score(gold, pred)
    else:
        from .features import GoldDoc
        from .io import read_conll
        from .scoring import score_conll

        gold = GoldDoc.from_tags(*read_conll(args.gold))
        metrics = score_conll([gold], extractor.tag_documents([gold.doc], args.batch_size))
    text = markdown(metrics)
    print(text)
    if args.output:
        Path(args.output).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
        Path(args.output).with_suffix(".md").write_text(text, encoding="utf-8")
    return 0


def _numbers(args: argparse.Namespace) -> int:
    import datetime as dt

    from .numbers import normalize

    ref = dt.date.fromisoformat(args.reference_date) if args.reference_date else None
    for line in sys.stdin:
        if line.strip():
            print(json.dumps({"text": line.strip(), **normalize(line.strip(), args.type, ref)}, ensure_ascii=False))
    return 0


def _build_encoder(args: argparse.Namespace) -> int:
    from .encoder import build_encoder, default_encoder

    path = build_encoder(args.output, trim=not args.no_trim) if args.output else default_encoder()
    print(path)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rasid", description="Arabic security-news event extraction.")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="fine-tune a model on JSONL or CoNLL data")
    t.add_argument("--config", help=f"JSON config (see {TRAINING_DIR})")
    for name, typ in (("output-dir", str), ("encoder", str), ("epochs", float), ("max-steps", int),
                      ("learning-rate", float), ("head-learning-rate", float), ("batch-size", int),
                      ("max-length", int), ("seed", int), ("lora-r", int), ("dev-fraction", float),
                      ("early-stopping-patience", int), ("layer-decay", float), ("warmup-ratio", float),
                      ("precision", str), ("ema", float), ("rdrop", float), ("mention-replacement", float),
                      ("dropout", float), ("encoder-dropout", float), ("ner-data-fraction", float)):
        t.add_argument(f"--{name}", type=typ, dest=name.replace("-", "_"))
    t.add_argument("--base-model", dest="encoder", help="any Hugging Face encoder name or path (default: built e5)")
    t.add_argument("--init-from", metavar="MODEL_DIR",
                   help="go on training a trained model (e.g. model/default) instead of starting from the encoder")
    for name in ("train", "dev", "test"):
        t.add_argument(f"--{name}", nargs="+", help=f"{name} files (.jsonl canonical or CoNLL BIO)")
    t.add_argument("--ner-data", nargs="+", help="public NER sets (CoNLL) whose PER/LOC/ORG names are trained too")
    t.add_argument("--label-all-subwords", action="store_true", default=None,
                   help="train on every subword of a word, not only the first")
    t.add_argument("--crf", action="store_true", default=None,
                   help="train the entity tags through a CRF whose transition scores join decoding")
    t.add_argument("--pair-context", action="store_true", default=None,
                   help="argument and relation heads also read the mean of the tokens between the two spans")
    t.add_argument("--gazetteer", nargs="+", metavar="SOURCE",
                   help="name lists read as a per-word feature: countries, cities (babel's Arabic names), gold "
                        ".jsonl files (their ORG/LOC/PER names) or TYPE<TAB>name text files")
    t.add_argument("--no-dev", action="store_true", default=None,
                   help="train on all the data for the set epochs and keep the last weights (no dev, no early stop)")
    t.add_argument("--resume", action="store_true", default=None, help="continue from the last checkpoint")
    t.set_defaults(func=_train)

    ad = sub.add_parser("adapt", help="go on training the encoder's masked-language model on unlabelled text")
    ad.add_argument("texts", nargs="+", help=".jsonl files (a 'text' per line), CoNLL files or .txt files")
    for name, typ in (("output-dir", str), ("encoder", str), ("epochs", float), ("max-steps", int),
                      ("learning-rate", float), ("batch-size", int), ("max-length", int),
                      ("mlm-probability", float), ("precision", str), ("seed", int)):
        ad.add_argument(f"--{name}", type=typ, dest=name.replace("-", "_"))
    ad.set_defaults(func=_adapt)

    pr = sub.add_parser("predict", help="extract events from .txt/.jsonl files or stdin, one JSON record each")
    pr.add_argument("inputs", nargs="*", help="files (.txt: one document; .jsonl: {id, text, date?}); - for stdin")
    pr.add_argument("-o", "--output", help="output JSONL (default: stdout)")
    pr.add_argument("--lines", action="store_true", help="one document per line in .txt input")
    pr.add_argument("--reference-date", help="YYYY-MM-DD for relative dates when a record has no 'date'")
    pr.add_argument("--strict", action="store_true", help="exit 1 if any record failed")
    pr.add_argument("--quiet", action="store_true", help="no progress bar")
    pr.set_defaults(func=_predict)

    ev = sub.add_parser("evaluate", help="score a model on gold JSONL or CoNLL data")
    ev.add_argument("gold")
    ev.add_argument("-o", "--output", help="write metrics JSON here (and a .md beside it)")
    ev.set_defaults(func=_evaluate)

    for cmd in (pr, ev):
        cmd.add_argument("--model", help="model directory (default: the model shipped with rasid)")
        cmd.add_argument("--batch-size", type=int, default=16)
        cmd.add_argument("--device", help="cpu, cuda, cuda:1 … (default: cuda when available)")
        cmd.add_argument("--quantize", nargs="?", const="auto", choices=("auto", "bf16", "int8"),
                         help="reduced-precision CPU inference; auto (no value): int8 where the CPU has VNNI/AMX, "
                              "bf16 where it computes bf16 natively, else fp32")

    nu = sub.add_parser("numbers", help="normalize numeric expressions, one per stdin line, to JSON")
    nu.add_argument("--type", default="QUANTITY", choices=["QUANTITY", "MONEY", "PERCENT", "DATE"])
    nu.add_argument("--reference-date", help="YYYY-MM-DD for relative dates")
    nu.set_defaults(func=_numbers)

    be = sub.add_parser("build-encoder", help="build the offline e5 encoder (into the cache, or --output)")
    be.add_argument("--output")
    be.add_argument("--no-trim", action="store_true", help="keep the full 250k vocabulary")
    be.set_defaults(func=_build_encoder)

    from .corpus.cli import add_commands

    add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
