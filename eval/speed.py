"""Inference speed and accuracy of rasid's paths on the same data: fp32 with length-sorted batches (the
default), fp32 in input order, and the two reduced-precision paths of `--quantize` (bf16 and int8).

    python eval/speed.py --model DIR --gold annotations/corpus/test.jsonl [--threads 2]
    python eval/speed.py --model runs/anercorp/model \
        --conll ../shared/benchmarks/anercorp_camellab/ANERCorp_CamelLab_test.txt

Every path is loaded and warmed up first; then the timed passes go round robin (one pass of each path per
round, `--repeats` rounds), so a slow spell of a shared machine hits every path alike. The table gives the median
rate, the median over rounds of each path's rate divided by fp32's in the same round, and the entity micro-F1
that the same predictions score, so a faster path can never hide an accuracy loss.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

import torch

from rasid.extractor import Extractor
from rasid.features import GoldDoc
from rasid.io import read_conll, read_jsonl
from rasid.scoring import score, score_conll


def _run_jsonl(ex: Extractor, gold: list[dict], batch_size: int, sort: bool) -> tuple[float, float]:
    inputs = [{"id": g["id"], "text": g["text"]} for g in gold]
    if not sort:
        ex._score_windows = _unsorted(ex)
    start = time.perf_counter()
    pred = ex.extract(inputs, batch_size=batch_size)
    elapsed = time.perf_counter() - start
    return len(gold) / elapsed, score(gold, pred)["entities"]["micro"]["f1"]


def _run_conll(ex: Extractor, gold: GoldDoc, batch_size: int, sort: bool) -> tuple[float, float]:
    if not sort:
        ex._score_windows = _unsorted(ex)
    start = time.perf_counter()
    predicted = ex.tag_documents([gold.doc], batch_size)
    elapsed = time.perf_counter() - start
    return len(gold.doc.sentences) / elapsed, score_conll([gold], predicted)["entities"]["micro"]["f1"]


def _unsorted(ex: Extractor):
    """The same scoring in input order: what length sorting saves is the padding this path pays."""
    original = type(ex)._score_windows

    def score_in_order(windows, batch_size):
        results = []
        for s in range(0, len(windows), batch_size):
            results += original(ex, windows[s : s + batch_size], batch_size)
        return results

    return score_in_order


# (option name, row label, --quantize value, length-sorted batches); the first is the baseline
PATHS = (("fp32", "fp32, sorted by length", None, True), ("unsorted", "fp32, input order", None, False),
         ("bf16", "bf16, sorted", "bf16", True), ("int8", "int8, sorted", "int8", True))


def main(argv: list[str] | None = None) -> list[dict]:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--gold", help="canonical JSONL")
    src.add_argument("--conll", help="CoNLL BIO file")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--limit", type=int, help="first N records (JSONL only)")
    p.add_argument("--repeats", type=int, default=3,
                   help="rounds of timed passes (one per path each); medians are reported")
    p.add_argument("--paths", nargs="+", choices=[name for name, *_ in PATHS], default=[name for name, *_ in PATHS],
                   help="paths to time (fp32 sorted always runs: the others are divided by it)")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    gold = read_jsonl(args.gold)[: args.limit] if args.gold else GoldDoc.from_tags(*read_conll(args.conll))
    run, unit = (_run_jsonl, "docs/s") if args.gold else (_run_conll, "sentences/s")
    paths = {}
    for key, name, quantize, sort in PATHS:
        if key != "fp32" and key not in args.paths:
            continue
        ex = Extractor.from_pretrained(args.model, device="cpu", quantize=quantize)
        run(ex, gold, args.batch_size, sort)  # warm-up pass
        paths[name] = (ex, sort)
    timed: dict[str, list[tuple[float, float]]] = {name: [] for name in paths}
    for _ in range(args.repeats):  # round robin, so a slow spell of the machine hits every path alike
        for name, (ex, sort) in paths.items():
            timed[name].append(run(ex, gold, args.batch_size, sort))
    base = [r for r, _ in next(iter(timed.values()))]
    rows = []
    for name, runs in timed.items():
        rates = [r for r, _ in runs]
        rows.append({"path": name, unit: round(statistics.median(rates), 2), "runs": [round(r, 2) for r in rates],
                     "vs_fp32": round(statistics.median(r / b for r, b in zip(rates, base)), 2),
                     "entity_micro_f1": round(100 * runs[0][1], 2)})
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    print(f"\n| path | {unit} | × fp32 sorted (median of paired rounds) | entity micro-F1 |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r['path']} | {r[unit]} | {r['vs_fp32']} | {r['entity_micro_f1']} |")
    return rows


if __name__ == "__main__":
    main()
