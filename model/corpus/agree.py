"""Inter-annotator agreement: strict-match F1 between two annotation versions of the same documents.

Annotators choose their own ids, so items are compared by what they denote, never by id: an entity or a trigger
by (start, end, type); an argument by (its trigger, role, its filler entity); a relation by (type, head entity,
tail entity), with the ends of a symmetric relation (PARTNER_OF) unordered. Version A is treated as the reference
(recall = matched / A, precision = matched / B); F1 is symmetric. Documents whose text differs between the
versions cannot be compared by offsets and are listed instead of scored.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from rasid.labels import SYMMETRIC_RELATIONS

from .errors import CorpusError
from .record import Record

LAYERS = ("entities", "triggers", "arguments", "relations")
Span = tuple[int, int, str]


def items(record: Record) -> dict[str, Counter[tuple[Any, ...]]]:
    """The comparable items of one document, per layer (a multiset: a doubled annotation counts twice)."""
    entities = {e["id"]: (e["start"], e["end"], e["type"]) for e in record["entities"]}
    out: dict[str, Counter[tuple[Any, ...]]] = {layer: Counter() for layer in LAYERS}
    out["entities"].update(entities.values())
    for event in record["events"]:
        trigger: Span = (event["trigger"]["start"], event["trigger"]["end"], event["type"])
        out["triggers"][trigger] += 1
        out["arguments"].update((trigger, a["role"], entities.get(a["entity"])) for a in event["arguments"])
    for rel in record["relations"]:
        ends = (entities.get(rel["head"]), entities.get(rel["tail"]))
        if rel["type"] in SYMMETRIC_RELATIONS:
            ends = tuple(sorted(ends, key=repr))
        out["relations"][(rel["type"], *ends)] += 1
    return out


def score(a: int, b: int, matched: int) -> dict[str, Any]:
    """Counts with precision, recall and F1 (None where undefined: nothing to divide by)."""
    return {"a": a, "b": b, "matched": matched,
            "precision": round(matched / b, 4) if b else None,
            "recall": round(matched / a, 4) if a else None,
            "f1": round(2 * matched / (a + b), 4) if a + b else None}


def compare(version_a: list[Record], version_b: list[Record]) -> dict[str, Any]:
    """Agreement over the documents both versions have, overall and per label for entities and triggers."""
    by_a = {r["id"]: r for r in version_a}
    by_b = {r["id"]: r for r in version_b}
    common = sorted(set(by_a) & set(by_b))
    differs = [d for d in common if by_a[d]["text"] != by_b[d]["text"]]
    totals = {layer: [Counter(), Counter()] for layer in LAYERS}
    for doc_id in common:
        if doc_id in differs:
            continue
        for side, record in enumerate((by_a[doc_id], by_b[doc_id])):
            for layer, counter in items(record).items():
                totals[layer][side].update({(doc_id, key): n for key, n in counter.items()})
    result: dict[str, Any] = {"documents": len(common) - len(differs),
                              "only_in_a": sorted(set(by_a) - set(by_b)),
                              "only_in_b": sorted(set(by_b) - set(by_a)),
                              "text_differs": differs}
    for layer, (ca, cb) in totals.items():
        result[layer] = score(sum(ca.values()), sum(cb.values()), sum((ca & cb).values()))
        if layer in ("entities", "triggers"):
            labels = sorted({key[1][2] for key in ca | cb})
            result[layer]["by_label"] = {
                label: score(*(sum(n for k, n in c.items() if k[1][2] == label) for c in (ca, cb, ca & cb)))
                for label in labels}
    return result


def update_agreement(path: Path, name_a: str, name_b: str, result: dict[str, Any]) -> None:
    """Store one comparison in agreement.json, replacing an earlier comparison of the same pair."""
    comparisons = read_agreement(path)
    comparisons = [c for c in comparisons if (c["a"], c["b"]) != (name_a, name_b)]
    comparisons.append({"a": name_a, "b": name_b, **result})
    comparisons.sort(key=lambda c: (c["a"], c["b"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"comparisons": comparisons}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_agreement(path: Path) -> list[dict[str, Any]]:
    """The stored comparisons (none when the file does not exist)."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusError(path, exc.lineno, None, f"not JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("comparisons"), list):
        raise CorpusError(path, None, None, 'expected {"comparisons": [...]}')
    return data["comparisons"]
