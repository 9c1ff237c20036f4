"""Agreement on hand-computed cases: items are matched by what they denote, not by id."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rasid.corpus.agree import compare, read_agreement, score, update_agreement

TEXT = "قتل الجيش 5 عناصر من داعش في درعا بسوريا أمس"


def ent(ann_id: str, ann_type: str, surface: str) -> dict[str, Any]:
    start = TEXT.index(surface)
    return {"id": ann_id, "type": ann_type, "text": surface, "start": start, "end": start + len(surface)}


def record(entities, events=(), relations=(), doc_id="d", text=TEXT) -> dict[str, Any]:
    return {"id": doc_id, "text": text, "entities": list(entities), "events": list(events),
            "relations": list(relations)}


def kill(event_id: str, *args: tuple[str, str]) -> dict[str, Any]:
    return {"id": event_id, "type": "KILL", "trigger": {"text": "قتل", "start": 0, "end": 3},
            "arguments": [{"role": r, "entity": e} for r, e in args]}


A = record([ent("T1", "ORG", "الجيش"), ent("T2", "QUANTITY", "5 عناصر"), ent("T3", "ORG", "داعش"),
            ent("T4", "LOC", "درعا"), ent("T5", "LOC", "بسوريا")],
           [kill("E1", ("AGENT", "T1"), ("TARGET", "T3"), ("QUANTITY", "T2"))],
           [{"type": "LOCATED_IN", "head": "T4", "tail": "T5"}, {"type": "PARTNER_OF", "head": "T1", "tail": "T3"}])
# B uses other ids, types «درعا» as ORG, misses «بسوريا», adds «أمس», gives the KILL one wrong role,
# writes the symmetric PARTNER_OF the other way round and LOCATED_IN reversed (wrong).
B = record([ent("X9", "ORG", "الجيش"), ent("X8", "QUANTITY", "5 عناصر"), ent("X7", "ORG", "داعش"),
            ent("X6", "ORG", "درعا"), ent("X5", "DATE", "أمس")],
           [kill("K1", ("AGENT", "X9"), ("AGENT", "X7"), ("QUANTITY", "X8"))],
           [{"type": "PARTNER_OF", "head": "X7", "tail": "X9"}, {"type": "PART_OF", "head": "X6", "tail": "X9"}])


def test_score_by_hand() -> None:
    assert score(5, 5, 3) == {"a": 5, "b": 5, "matched": 3, "precision": 0.6, "recall": 0.6, "f1": 0.6}
    assert score(4, 2, 2) == {"a": 4, "b": 2, "matched": 2, "precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert score(0, 0, 0)["f1"] is None and score(3, 0, 0)["precision"] is None


def test_compare_hand_computed() -> None:
    result = compare([A], [B])
    assert result["documents"] == 1
    # entities: الجيش, 5 عناصر, داعش match; درعا differs in type; بسوريا and أمس unmatched -> 3 of 5 vs 5
    assert result["entities"] == {"a": 5, "b": 5, "matched": 3, "precision": 0.6, "recall": 0.6, "f1": 0.6,
                                  "by_label": result["entities"]["by_label"]}
    assert result["entities"]["by_label"]["LOC"] == {"a": 2, "b": 0, "matched": 0, "precision": None,
                                                     "recall": 0.0, "f1": 0.0}
    assert result["entities"]["by_label"]["ORG"]["f1"] == pytest.approx(2 * 2 / (2 + 3), abs=1e-4)
    assert result["triggers"]["f1"] == 1.0
    # arguments: AGENT=الجيش and QUANTITY=5 عناصر match; TARGET=داعش vs AGENT=داعش do not -> 2 of 3 each side
    assert (result["arguments"]["matched"], result["arguments"]["f1"]) == (2, 0.6667)
    # relations: PARTNER_OF matches reversed (symmetric); LOCATED_IN vs PART_OF do not -> 1 of 2 each side
    assert (result["relations"]["matched"], result["relations"]["f1"]) == (1, 0.5)


def test_identical_versions_agree_perfectly_and_non_shared_docs_are_listed() -> None:
    other = record([], doc_id="only-a")
    result = compare([A, other], [A, record([], doc_id="only-b")])
    assert all(result[layer]["f1"] == 1.0 for layer in ("entities", "triggers", "arguments", "relations"))
    assert result["only_in_a"] == ["only-a"] and result["only_in_b"] == ["only-b"]


def test_documents_with_different_text_are_not_scored() -> None:
    changed = dict(A, text=TEXT + ".")
    result = compare([A], [changed])
    assert result["text_differs"] == ["d"] and result["documents"] == 0 and result["entities"]["a"] == 0


def test_non_symmetric_relation_reversed_does_not_match() -> None:
    a = record([ent("T4", "LOC", "درعا"), ent("T5", "LOC", "بسوريا")],
               relations=[{"type": "LOCATED_IN", "head": "T4", "tail": "T5"}])
    b = record(a["entities"], relations=[{"type": "LOCATED_IN", "head": "T5", "tail": "T4"}])
    assert compare([a], [b])["relations"]["matched"] == 0


def test_agreement_file_is_updated_per_pair(tmp_path: Path) -> None:
    path = tmp_path / "agreement.json"
    update_agreement(path, "a", "b", compare([A], [B]))
    update_agreement(path, "a", "c", compare([A], [A]))
    update_agreement(path, "a", "b", compare([A], [A]))
    comparisons = read_agreement(path)
    assert [(c["a"], c["b"], c["entities"]["f1"]) for c in comparisons] == [("a", "b", 1.0), ("a", "c", 1.0)]
    assert json.loads(path.read_text(encoding="utf-8"))["comparisons"] == comparisons
