"""The split: stable for existing ids, deterministic for new ones, balanced, and covering every label."""
from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rasid.corpus.errors import CorpusError
from rasid.corpus.split import assign, labels_of, read_splits, write_splits


def doc(doc_id: str, entity: str = "ORG", event: str | None = None, role: str | None = None,
        relation: str | None = None) -> dict[str, Any]:
    entities = [{"id": "T1", "type": entity, "text": "x", "start": 0, "end": 1},
                {"id": "T2", "type": "LOC", "text": "y", "start": 2, "end": 3}]
    events = [{"id": "E1", "type": event, "trigger": {"text": "z", "start": 4, "end": 5},
               "arguments": [{"role": role, "entity": "T1"}] if role else []}] if event else []
    relations = [{"type": relation, "head": "T1", "tail": "T2"}] if relation else []
    return {"id": doc_id, "text": "x y z", "entities": entities, "events": events, "relations": relations}


def corpus(n: int, seed: int = 0) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [doc(f"doc-{i:03d}", rng.choice(["ORG", "PER", "DATE"]), rng.choice([None, "KILL", "ARREST"]),
                rng.choice([None, "AGENT"]), rng.choice([None, None, "PART_OF"])) for i in range(n)]


def test_labels_of() -> None:
    assert labels_of(doc("a", "PER", "KILL", "AGENT", "AFFILIATED_WITH")) == {
        "entity:PER", "entity:LOC", "event:KILL", "role:AGENT", "relation:AFFILIATED_WITH"}


def test_existing_ids_never_move_and_new_ids_are_added() -> None:
    first = assign(corpus(60), {})
    grown = corpus(60) + [doc(f"new-{i}", "MONEY", "SEIZE", "QUANTITY", "LOCATED_IN") for i in range(10)]
    second = assign(grown, first)
    assert {k: second[k] for k in first} == first
    assert set(second) == set(first) | {f"new-{i}" for i in range(10)}


def test_assignment_is_deterministic_and_independent_of_order() -> None:
    docs = corpus(50)
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    assert assign(docs, {}) == assign(shuffled, {})


def test_sizes_follow_70_15_15() -> None:
    sizes = Counter(assign(corpus(200), {}).values())
    assert sizes["train"] == pytest.approx(140, abs=6)
    assert sizes["dev"] == pytest.approx(30, abs=5) and sizes["test"] == pytest.approx(30, abs=5)


def test_every_split_covers_every_label_when_possible() -> None:
    docs = corpus(40) + [doc(f"rare-{i}", "PERCENT", "DESTROY", "LOCATION", "PARTNER_OF") for i in range(3)]
    splits = assign(docs, {})
    assert {splits[f"rare-{i}"] for i in range(3)} == {"train", "dev", "test"}
    everything = set().union(*map(labels_of, docs))
    for split in ("train", "dev", "test"):
        assert set().union(*(labels_of(d) for d in docs if splits[d["id"]] == split)) == everything


def test_stored_ids_of_removed_documents_are_kept() -> None:
    assert assign([doc("a")], {"gone": "test"})["gone"] == "test"


def test_splits_file_round_trip_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "splits.json"
    assert read_splits(path) == {}
    write_splits(path, {"b": "dev", "a": "train"})
    assert path.read_text(encoding="utf-8").index('"a"') < path.read_text(encoding="utf-8").index('"b"')
    assert read_splits(path) == {"a": "train", "b": "dev"}
    path.write_text(json.dumps({"a": "validation"}), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"\[a\] split 'validation'"):
        read_splits(path)
