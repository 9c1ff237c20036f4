"""Which names of a public NER set one model finds and another misses, and what the other tagged instead.

A micro-F1 that falls says that a model got worse, not where; this lists the gold names (exact span and type)
that model A finds and model B misses, with B's spans over the same words, so a convention that leaked in from
training data shows up as a pattern («جريدة [فلسطين]» instead of «[جريدة فلسطين]»). A precision that falls is
the other side: it also counts the spans B tags that neither the gold nor A has (B's new false positives) and
the ones only A had, most frequent first. Sets, type mapping and the reading of the files are
`eval/public_ner.py`'s.

    python eval/name_diff.py --against runs/default-names4/model --set wojood-sample --type ORG
"""
from __future__ import annotations

import argparse
import collections
from pathlib import Path

from public_ner import BENCHMARKS, SETS, sentence_tags
from seqeval.metrics.sequence_labeling import get_entities

from rasid.extractor import Extractor

def compare(words: list[list[str]], gold: list[list[str]], tags_a: list[list[str]], tags_b: list[list[str]],
            typ: str | None = None) -> tuple[collections.Counter, list[tuple[str, str, list[tuple[str, str]]]]]:
    """Per sentence, each gold name (of `typ`, or all) counted by (found by A, found by B); and for each name A
    finds and B misses: its type, its text and B's (type, text) spans that overlap it."""
    counts: collections.Counter = collections.Counter()
    lost = []
    for w, g, a, b in zip(words, gold, tags_a, tags_b, strict=True):
        found_a, found_b = set(get_entities(a)), set(get_entities(b))
        for span in get_entities(g):
            if typ and span[0] != typ:
                continue
            counts[(span in found_a, span in found_b)] += 1
            if span in found_a and span not in found_b:
                over = [(t, " ".join(w[s:e + 1])) for t, s, e in sorted(found_b, key=lambda x: x[1])
                        if s <= span[2] and e >= span[1]]
                lost.append((span[0], " ".join(w[span[1]:span[2] + 1]), over))
    return counts, lost


def added_false_positives(words: list[list[str]], gold: list[list[str]], tags_a: list[list[str]],
                          tags_b: list[list[str]],
                          typ: str | None = None) -> tuple[collections.Counter, collections.Counter]:
    """Texts of the spans (of `typ`, or all) that B tags and neither the gold nor A has, and of those only A has."""
    only_b: collections.Counter = collections.Counter()
    only_a: collections.Counter = collections.Counter()
    for w, g, a, b in zip(words, gold, tags_a, tags_b, strict=True):
        found_g, found_a, found_b = set(get_entities(g)), set(get_entities(a)), set(get_entities(b))
        for counter, spans in ((only_b, found_b - found_a - found_g), (only_a, found_a - found_b - found_g)):
            counter.update(" ".join(w[s:e + 1]) for t, s, e in spans if not typ or t == typ)
    return only_b, only_a


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", help="model A (default: the shipped model)")
    p.add_argument("--against", required=True, help="model B")
    p.add_argument("--set", choices=sorted(SETS), default="wojood-sample")
    p.add_argument("--type", choices=["PER", "LOC", "ORG"], help="only names of this type")
    p.add_argument("--examples", type=int, default=40, help="how many lost names to print")
    p.add_argument("--benchmarks", type=Path, default=BENCHMARKS)
    p.add_argument("--batch-size", type=int, default=16)
    args = p.parse_args(argv)

    files = sorted(f for pattern in SETS[args.set] for f in args.benchmarks.glob(pattern))
    if not files:
        raise FileNotFoundError(f"{args.set}: no files match {SETS[args.set]} under {args.benchmarks}")
    words, gold, tags_a = sentence_tags(Extractor.from_pretrained(args.model, device="cpu"), files, args.batch_size)
    _, _, tags_b = sentence_tags(Extractor.from_pretrained(args.against, device="cpu"), files, args.batch_size)
    counts, lost = compare(words, gold, tags_a, tags_b, args.type)
    print(f"{args.set}, {args.type or 'all'} names: {sum(counts.values())}; both find {counts[(True, True)]},"
          f" only A {counts[(True, False)]}, only B {counts[(False, True)]}, neither {counts[(False, False)]}")
    for typ, text, over in lost[:args.examples]:
        shown = ", ".join(f"{t} «{s}»" for t, s in over) or "nothing"
        print(f"  A finds {typ} «{text}»; B tags {shown}")
    only_b, only_a = added_false_positives(words, gold, tags_a, tags_b, args.type)
    for who, counter in (("B", only_b), ("A", only_a)):
        common = ", ".join(f"«{text}» {n}" for text, n in counter.most_common(args.examples))
        print(f"false positives only {who} tags: {sum(counter.values())}; {common}")


if __name__ == "__main__":
    main()
