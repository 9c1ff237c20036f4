"""The real corpus: annotations/src validates, and annotations/corpus is what compile produces from it now."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.corpus.compiler import compile_corpus
from rasid.corpus.repo import SPLITS, corpus_dir, source_files, splits_path, src_dir
from rasid.corpus.split import read_splits
from rasid.corpus.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent


def test_real_corpus_is_valid_and_compiled_corpus_is_current() -> None:
    if not source_files(REPO):
        pytest.skip("annotations/src has no files yet")
    problems = validate_paths([src_dir(REPO)])
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(map(str, problems[:40]))
    compiled = compile_corpus(REPO)
    stale = "is stale: run `rasid annotations compile` (or python -m rasid.corpus.cli annotations compile)"
    for split in SPLITS:
        path = corpus_dir(REPO) / f"{split}.jsonl"
        on_disk = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        if on_disk != compiled.lines(split):
            pytest.fail(f"{path} {stale}")
    if read_splits(splits_path(REPO)) != compiled.splits:
        pytest.fail(f"{splits_path(REPO)} {stale}")
