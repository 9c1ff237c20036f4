"""Score a rasid model on public, human-annotated Arabic NER sets it was not trained on.

The shipped model learns from rasid's own corpus, written for the project; this benchmark asks how its names
carry over to text written by others: ANERcorp's test file (newswire), the public Wojood sample (news and
social media, outermost layer of the nested tags) and AQMAR (Arabic Wikipedia, 28 articles). Each set's types
are mapped onto the three that every scheme shares, PER, LOC and ORG (`rasid.labels.PUBLIC_NAME_TYPES`:
Wojood's GPE counts as LOC, as rasid's guidelines put countries and cities under LOC); everything else — MISC,
NORP, FAC, dates, numbers — becomes O on both sides, so a model is neither rewarded nor punished for types the
other scheme lacks. Scores are seqeval micro-F1 over sentences, with conlleval's reading of an I- after O, as in
`eval/anercorp.py`. A model trained with `--ner-data` on one of these sets is no longer scored blind on it.

    python eval/public_ner.py --model model/default -o runs/public-ner-default.json
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rasid.extractor import Extractor
from rasid.features import GoldDoc
from rasid.io import read_conll
from rasid.labels import public_name_tag
from rasid.scoring import score_tags

BENCHMARKS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
SETS = {
    "anercorp-test": ["anercorp_camellab/ANERCorp_CamelLab_test.txt"],
    "wojood-sample": [f"wojood_sample/{split}.txt" for split in ("train", "val", "test")],
    "aqmar": ["aqmar/articles/*.txt"],
}


def sentence_tags(extractor: Extractor, files: list[Path], batch_size: int) -> tuple[list, list, list]:
    """Words, gold tags and predicted tags (both in PER/LOC/ORG) per sentence of the files, one document per
    file. Of several tag columns (Wojood's nested layers) the first, the outermost, is read."""
    read = [read_conll(f, column=1, tag_map=public_name_tag) for f in files]
    golds = [GoldDoc.from_tags(tokens, tags) for tokens, tags in read]
    predicted = extractor.tag_documents([g.doc for g in golds], batch_size)
    words, gold_tags, pred_tags = [], [], []
    for (tokens, sentences), gold, tags in zip(read, golds, predicted, strict=True):
        words.extend(tokens)
        gold_tags.extend(sentences)
        pred_tags.extend([public_name_tag(t) for t in tags[a:b]] for a, b in gold.doc.sentences)
    return words, gold_tags, pred_tags


def evaluate(extractor: Extractor, files: list[Path], batch_size: int) -> dict:
    """Scores over all the files' sentences together."""
    _, gold_tags, pred_tags = sentence_tags(extractor, files, batch_size)
    metrics = score_tags(gold_tags, pred_tags)["entities"]
    metrics["sentences"] = len(gold_tags)
    metrics["tokens"] = sum(len(s) for s in gold_tags)
    return metrics


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--benchmarks", type=Path, default=BENCHMARKS, help="folder holding the public sets")
    p.add_argument("--sets", nargs="+", choices=sorted(SETS), default=list(SETS))
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--quantize", choices=["bf16", "int8"])
    p.add_argument("-o", "--output", type=Path, help="write the scores as JSON here")
    args = p.parse_args(argv)

    extractor = Extractor.from_pretrained(args.model, device="cpu", quantize=args.quantize)
    results = {"model": args.model or "shipped default"}
    for name in args.sets:
        files = sorted(f for pattern in SETS[name] for f in args.benchmarks.glob(pattern))
        if not files:
            raise FileNotFoundError(f"{name}: no files match {SETS[name]} under {args.benchmarks}")
        start = time.perf_counter()
        metrics = evaluate(extractor, files, args.batch_size)
        metrics["seconds"] = round(time.perf_counter() - start, 1)
        results[name] = metrics
        by_type = " · ".join(f"{t} {metrics[t]['f1'] * 100:.1f}" for t in ("PER", "LOC", "ORG") if t in metrics)
        print(f"{name}: micro-F1 {metrics['micro']['f1'] * 100:.1f} (P {metrics['micro']['precision'] * 100:.1f}"
              f" R {metrics['micro']['recall'] * 100:.1f}) · {by_type} · {metrics['sentences']} sentences,"
              f" {metrics['seconds']} s")
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
