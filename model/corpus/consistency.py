"""A Markdown report of likely annotation inconsistencies, for a human to review (nothing here is an error).

Two kinds: a surface string annotated with different types in different places, and a string annotated somewhere
but left unannotated elsewhere. The second looks for whole-word occurrences (starting and ending on
rasid.text.word_spans boundaries) that no span of the same layer overlaps: «سوريا» inside an annotated
«جنوب سوريا» is covered, «وسوريا» is a different word. Surfaces are compared exactly as written.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rasid.text import word_spans

from .record import Record

EXAMPLES = 3
_CONTEXT = 30


@dataclass
class _Layer:
    """One span layer of the corpus: for each document, its spans as (start, end, type)."""

    name: str
    spans: dict[str, list[tuple[int, int, str]]]


def _layers(records: list[Record]) -> list[_Layer]:
    entities = {r["id"]: [(e["start"], e["end"], e["type"]) for e in r["entities"]] for r in records}
    triggers = {r["id"]: [(e["trigger"]["start"], e["trigger"]["end"], e["type"]) for e in r["events"]]
                for r in records}
    return [_Layer("entities", entities), _Layer("triggers", triggers)]


def report(records: list[Record]) -> str:
    """The review report for a set of documents."""
    texts = {r["id"]: r["text"] for r in records}
    boundaries = {}
    for doc_id, text in texts.items():
        words = word_spans(text)
        boundaries[doc_id] = ({s for s, _ in words}, {e for _, e in words})
    out = ["# Annotation consistency report", "",
           f"{len(records)} documents. Every item below is a candidate for review, not necessarily an error.", ""]
    for layer in _layers(records):
        annotated: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for doc_id, spans in layer.spans.items():
            for start, end, label in spans:
                annotated[texts[doc_id][start:end]][label].append(doc_id)

        out.extend([f"## {layer.name.capitalize()}: same string, different types", ""])
        mixed = {s: labels for s, labels in annotated.items() if len(labels) > 1}
        for surface in sorted(mixed):
            parts = [f"{label} ×{len(docs)} ({_docs(docs)})" for label, docs in sorted(mixed[surface].items())]
            out.append(f"- «{surface}»: " + "; ".join(parts))
        if not mixed:
            out.append("None.")
        out.append("")

        out.extend([f"## {layer.name.capitalize()}: annotated in one place, not in another", ""])
        rows = []
        for surface, labels in annotated.items():
            missed = [(doc_id, pos) for doc_id, text in texts.items()
                      for pos in _occurrences(text, surface, boundaries[doc_id])
                      if not any(s < pos + len(surface) and pos < e for s, e, _ in layer.spans[doc_id])]
            if missed:
                rows.append((surface, labels, missed))
        for surface, labels, missed in sorted(rows, key=lambda x: (-len(x[2]), x[0])):
            done = ", ".join(f"{label} ×{len(docs)}" for label, docs in sorted(labels.items()))
            examples = "; ".join(f"[{d}] …{_context(texts[d], p, len(surface))}…" for d, p in missed[:EXAMPLES])
            out.append(f"- «{surface}» annotated {done}; unannotated ×{len(missed)}: {examples}")
        if not rows:
            out.append("None.")
        out.append("")
    return "\n".join(out)


def _occurrences(text: str, surface: str, bounds: tuple[set[int], set[int]]) -> list[int]:
    """Start offsets of whole-word occurrences of `surface` in `text`."""
    starts, ends = bounds
    found, pos = [], text.find(surface)
    while pos >= 0:
        if pos in starts and pos + len(surface) in ends:
            found.append(pos)
        pos = text.find(surface, pos + 1)
    return found


def _context(text: str, pos: int, length: int) -> str:
    before = text[max(0, pos - _CONTEXT):pos]
    after = text[pos + length:pos + length + _CONTEXT]
    return " ".join(f"{before}**{text[pos:pos + length]}**{after}".split())


def _docs(doc_ids: list[str]) -> str:
    unique = sorted(set(doc_ids))
    return ", ".join(unique[:EXAMPLES]) + (", …" if len(unique) > EXAMPLES else "")
