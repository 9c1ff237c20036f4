"""A fixed train/dev/test split by document, stored in annotations/splits.json (doc id -> split).

A document never changes split once assigned, so scores stay comparable as the corpus grows. New documents are
placed one at a time in the order of a hash of their id (deterministic, independent of file order): first where
they bring a label (entity type, event type, role, relation type) that a split still lacks, then where the split
is furthest below its target share (70/15/15), ties going to the split the hash points at.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from .errors import CorpusError
from .record import Record
from .repo import SPLITS

TARGETS = {"train": 0.70, "dev": 0.15, "test": 0.15}


def labels_of(record: Record) -> set[str]:
    """The labels a document shows, as `entity:ORG`, `event:KILL`, `role:AGENT`, `relation:PART_OF`."""
    labels = {f"entity:{e['type']}" for e in record["entities"]}
    for event in record["events"]:
        labels.add(f"event:{event['type']}")
        labels.update(f"role:{a['role']}" for a in event["arguments"])
    labels.update(f"relation:{r['type']}" for r in record["relations"])
    return labels


def read_splits(path: Path) -> dict[str, str]:
    """The stored assignment (empty when the file does not exist yet)."""
    if not path.exists():
        return {}
    try:
        splits = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusError(path, exc.lineno, None, f"not JSON: {exc.msg}") from None
    if not isinstance(splits, dict):
        raise CorpusError(path, None, None, "must be a JSON object {doc id: split}")
    for doc_id, split in splits.items():
        if split not in SPLITS:
            raise CorpusError(path, None, doc_id, f"split {split!r} is not one of {', '.join(SPLITS)}")
    return splits


def write_splits(path: Path, splits: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(sorted(splits.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def assign(records: list[Record], splits: dict[str, str]) -> dict[str, str]:
    """The stored assignment plus a split for every document id not in it yet (ids no longer present are kept,
    so a document that comes back returns to its split)."""
    result = dict(splits)
    labels = {r["id"]: labels_of(r) for r in records}
    covered: dict[str, set[str]] = {s: set() for s in SPLITS}
    counts: Counter[str] = Counter()
    for doc_id, doc_labels in labels.items():
        if doc_id in result:
            covered[result[doc_id]] |= doc_labels
            counts[result[doc_id]] += 1
    for doc_id in sorted((d for d in labels if d not in result), key=_hash):
        total = sum(counts.values()) + 1
        preferred = _bucket(doc_id)

        def priority(split: str) -> tuple[int, float, bool]:
            return (len(labels[doc_id] - covered[split]), TARGETS[split] * total - counts[split],
                    split == preferred)

        split = max(SPLITS, key=priority)
        result[doc_id] = split
        covered[split] |= labels[doc_id]
        counts[split] += 1
    return result


def _hash(doc_id: str) -> int:
    return int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:8], "big")


def _bucket(doc_id: str) -> str:
    """The split a document's hash points at, in proportion to the targets."""
    u = _hash(doc_id) / 2**64
    edge = 0.0
    for split in SPLITS:
        edge += TARGETS[split]
        if u < edge:
            return split
    return SPLITS[-1]
