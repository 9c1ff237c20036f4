"""annotations/src/*.txt -> annotations/corpus/{train,dev,test}.jsonl, with annotations/splits.json kept current.

A document with any problem (parse error, validation problem, a repeated id or text seen earlier in file order) is
left out of the corpus and reported, so the corpus a model trains on always validates; the caller exits
non-zero, so nothing is left out silently. Compiling twice gives the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError
from .jsonl import dumps
from .record import Record
from .repo import SPLITS, corpus_dir, load_all, source_files, splits_path
from .split import assign, read_splits, write_splits
from .validate import Problem, validate_loaded


@dataclass
class Compiled:
    """What compile would write: the full split assignment, each split's records, and what was left out."""

    splits: dict[str, str]
    corpus: dict[str, list[Record]]
    problems: list[Problem]

    def lines(self, split: str) -> list[str]:
        """The JSONL lines of one split file, as compile writes them."""
        return [dumps(r) for r in self.corpus[split]]


def compile_corpus(root: Path) -> Compiled:
    """Parse, validate and split the authoring files under `root` without writing anything."""
    errors: list[CorpusError] = []
    docs = load_all(list(source_files(root)), errors)
    problems = validate_loaded(docs, errors)
    bad = {id(p.source) for p in problems if p.source is not None}
    records = [d.record for d in docs if id(d) not in bad]
    splits = assign(records, read_splits(splits_path(root)))
    corpus: dict[str, list[Record]] = {s: [] for s in SPLITS}
    for record in sorted(records, key=lambda r: r["id"]):
        corpus[splits[record["id"]]].append(record)
    return Compiled(splits, corpus, problems)


def write_compiled(root: Path, compiled: Compiled) -> None:
    """Write the split files and the updated assignment."""
    out = corpus_dir(root)
    out.mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        (out / f"{split}.jsonl").write_text("".join(line + "\n" for line in compiled.lines(split)), encoding="utf-8")
    write_splits(splits_path(root), compiled.splits)
