"""Which encoder layers can be int8 without losing F1: make every linear layer `rasid.quantize.Int8Linear`
except those whose name matches a pattern (kept in fp32, the rest of the encoder too), then tag a CoNLL test file
and report micro-F1 and tagging time.

    python eval/quantize_layers.py --model runs/anercorp-ft/model-epoch4 '.' 'layer\\.\\d+\\.output\\.dense' 'layer\\.(0|1)\\.'

The pattern '.' matches every layer, so it measures the fp32 baseline.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from rasid.extractor import Extractor
from rasid.features import GoldDoc, word_tags
from rasid.io import read_conll
from rasid.quantize import int8_linears
from rasid.scoring import score_tags

TEST = Path(__file__).resolve().parent.parent.parent / "shared/benchmarks/anercorp_camellab/ANERCorp_CamelLab_test.txt"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--conll", default=str(TEST))
    p.add_argument("keep_fp32", nargs="+", help="regular expressions of layer names to keep in fp32")
    args = p.parse_args(argv)
    gold = GoldDoc.from_tags(*read_conll(args.conll))
    gold_tags = word_tags(len(gold.doc.words), gold.entities)
    sents = gold.doc.sentences
    print("| kept in fp32 | micro-F1 | seconds |\n|---|---|---|")
    for pattern in args.keep_fp32:
        ex = Extractor.from_pretrained(args.model, device="cpu")  # LoRA already merged
        int8_linears(ex.model.encoder, keep=pattern)
        start = time.perf_counter()
        (tags,) = ex.tag_documents([gold.doc], 32)
        elapsed = time.perf_counter() - start
        f1 = score_tags([gold_tags[a:b] for a, b in sents], [tags[a:b] for a, b in sents])["entities"]["micro"]["f1"]
        print(f"| `{pattern}` | {100 * f1:.2f} | {elapsed:.1f} |", flush=True)


if __name__ == "__main__":
    main()
