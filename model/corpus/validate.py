"""Check annotated documents (authoring files or canonical JSONL) against the schema and the guidelines.

Every check yields a `Problem` naming file, line (when known), document id and reason; nothing stops at the first
problem, so one run lists everything. Cross-document checks (duplicate ids, duplicate and near-duplicate texts)
run within each format separately: the compiled JSONL is a copy of the authoring files, and comparing the two
would flag every document.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from rasid.labels import ENTITY_TYPES, EVENT_TYPES, RELATION_ENDS, RELATIONS, ROLE_FILLERS, ROLES
from rasid.text import normalize, word_spans

from .errors import CorpusError, locate
from .record import Record, SourceDoc
from .repo import load_all

# GUIDELINES 0: these marks stay outside spans even when glued to the word.
OUTSIDE_MARKS = frozenset("،,.:؛;؟?!()«»\"'")
SHINGLE = 5
NEAR_DUPLICATE_JACCARD = 0.5
# Reports a problem about the annotation with the given id (None: the document).
Report = Callable[..., None]
_RECORD_KEYS = frozenset({"id", "text", "date", "entities", "events", "relations"})


@dataclass
class Problem:
    """One finding; `source` is the document it belongs to (None for a file-level problem)."""

    path: str | None
    line: int | None
    doc_id: str | None
    reason: str
    source: SourceDoc | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return locate(self.path, self.line, self.doc_id, self.reason)


def validate_paths(paths: Iterable[str | Path]) -> list[Problem]:
    """Every problem in the documents under `paths` (files or folders of .txt / .jsonl), including the documents
    that could not be read."""
    errors: list[CorpusError] = []
    docs = load_all(list(paths), errors)
    return validate_loaded(docs, errors)


def validate_loaded(docs: list[SourceDoc], errors: list[CorpusError]) -> list[Problem]:
    """Problems of loaded documents plus the errors met while loading them, in file and line order."""
    return ordered([Problem(e.path, e.line, e.doc_id, e.reason) for e in errors] + validate_documents(docs))


def validate_documents(docs: list[SourceDoc]) -> list[Problem]:
    """Per-document checks, then cross-document checks within each format (.txt vs .jsonl)."""
    problems = [p for doc in docs for p in check_record(doc)]
    groups: dict[str, list[SourceDoc]] = defaultdict(list)
    for doc in docs:
        groups[Path(doc.path).suffix].append(doc)
    for group in groups.values():
        problems += check_corpus(group)
    return problems


def ordered(problems: list[Problem]) -> list[Problem]:
    """Problems by file and line (stable, so one line's problems keep the order of the checks)."""
    return sorted(problems, key=lambda p: (p.path or "", p.line or 0))


def check_record(doc: SourceDoc) -> list[Problem]:
    """Shape, offsets, word boundaries, overlaps, types, references and ids of one document."""
    rec = doc.record
    out: list[Problem] = []

    def problem(reason: str, ann_id: object = None) -> None:
        out.append(Problem(doc.path, doc.line_of(ann_id), doc.doc_id, reason, doc))

    if not isinstance(rec.get("id"), str) or not rec["id"].strip():
        problem("document has no string id")
    if not isinstance(rec.get("text"), str):
        problem("document has no string text")
        return out
    text: str = rec["text"]
    for key in sorted(set(rec) - _RECORD_KEYS):
        problem(f"unexpected key {key!r}")
    if "date" in rec and not _is_date(rec["date"]):
        problem(f"date {rec['date']!r} is not YYYY-MM-DD")

    entities = _items(rec, "entities", problem)
    events = _items(rec, "events", problem)
    relations = _items(rec, "relations", problem)
    entities = [e for i, e in enumerate(entities) if _has(e, {"id": str, "type": str, "text": str, "start": int,
                                                              "end": int}, f"entity #{i + 1}", problem)]
    events = [e for i, e in enumerate(events)
              if _has(e, {"id": str, "type": str, "trigger": dict, "arguments": list}, f"event #{i + 1}", problem)
              and _has(e["trigger"], {"text": str, "start": int, "end": int}, f"trigger of {e['id']}", problem)]
    relations = [r for i, r in enumerate(relations)
                 if _has(r, {"type": str, "head": str, "tail": str}, f"relation #{i + 1}", problem)]

    starts = {s for s, _ in word_spans(text)}
    ends = {e for _, e in word_spans(text)}
    triggers = [{"id": e["id"], **e["trigger"]} for e in events]
    for span in entities + triggers:
        _check_span(span, text, starts, ends, problem)
    for layer, spans in (("entity", entities), ("trigger", triggers)):
        _check_overlaps(layer, spans, text, problem)

    counts = Counter(x["id"] for x in entities + events)
    for ann_id in sorted(i for i, n in counts.items() if n > 1):
        problem(f"id {ann_id} is used {counts[ann_id]} times", ann_id)
    for e in entities:
        if e["type"] not in ENTITY_TYPES:
            problem(f"{e['id']} has unknown entity type {e['type']!r}", e["id"])
    _check_links(entities, events, relations, problem)
    return out


def _check_links(entities: list[Record], events: list[Record], relations: list[Record], problem: Report) -> None:
    """Event and relation types, roles, and whether each argument and relation end is an entity of a fitting type."""
    entity_types = {e["id"]: e["type"] for e in entities}
    event_ids = {e["id"] for e in events}
    for event in events:
        eid = event["id"]
        if event["type"] not in EVENT_TYPES:
            problem(f"{eid} has unknown event type {event['type']!r}", eid)
        for arg in event["arguments"]:
            if not _has(arg, {"role": str, "entity": str}, f"an argument of {eid}", problem, eid):
                continue
            role, filler = arg["role"], arg["entity"]
            if role not in ROLES:
                problem(f"{eid} has unknown role {role!r}", eid)
            if filler not in entity_types:
                what = "an event, not an entity" if filler in event_ids else "no entity"
                problem(f"{eid} {role}={filler} points to {what}", eid)
            elif role in ROLES and entity_types[filler] not in ROLE_FILLERS[role]:
                problem(f"{eid} {role}={filler} is {entity_types[filler]}; {role} takes "
                        f"{'/'.join(sorted(ROLE_FILLERS[role]))}", eid)
    for rel in relations:
        rtype, head, tail = rel["type"], rel["head"], rel["tail"]
        name = f"relation {rtype} {head} {tail}"
        if rtype not in RELATIONS:
            problem(f"{name}: unknown relation type", head)
        if head == tail:
            problem(f"{name} joins an entity to itself", head)
        for end, allowed in zip((head, tail), RELATION_ENDS.get(rtype, (None, None))):
            if end not in entity_types:
                problem(f"{name}: {end} points to {'an event' if end in event_ids else 'no entity'}", head)
            elif allowed is not None and entity_types[end] not in allowed:
                problem(f"{name}: {end} is {entity_types[end]}, expected {'/'.join(sorted(allowed))}", head)


def check_corpus(docs: list[SourceDoc]) -> list[Problem]:
    """Duplicate document ids, and duplicate or near-duplicate texts (word 5-gram Jaccard >= 0.5).

    The later document of a pair carries the problem, so that compile can keep the first one.
    """
    out: list[Problem] = []
    first: dict[str, SourceDoc] = {}
    for doc in docs:
        if doc.doc_id is None:
            continue
        if doc.doc_id in first:
            other = first[doc.doc_id]
            out.append(Problem(doc.path, doc.line, doc.doc_id,
                               f"document id is already used at {other.path}:{other.line}", doc))
        else:
            first[doc.doc_id] = doc
    texts = [d.record["text"] if isinstance(d.record.get("text"), str) else "" for d in docs]
    for i, j, jaccard in near_duplicates(texts):
        a, b = docs[i], docs[j]
        kind = "the same text as" if texts[i] == texts[j] else f"a near-duplicate (Jaccard {jaccard:.2f}) of"
        out.append(Problem(b.path, b.line, b.doc_id, f"{kind} [{a.doc_id}] at {a.path}:{a.line}", b))
    return out


def near_duplicates(texts: list[str], threshold: float = NEAR_DUPLICATE_JACCARD) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) whose word 5-gram shingle sets have Jaccard similarity >= threshold.

    Words are compared without diacritics and tatweel and without punctuation, so that re-punctuated or
    re-vocalized copies are still caught. An inverted index keeps this far below all-pairs cost.
    """
    shingle_sets = [shingles(t) for t in texts]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, sh in enumerate(shingle_sets):
        for s in sh:
            index[s].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in index.values():
        shared.update(combinations(holders, 2))
    pairs = []
    for (i, j), inter in sorted(shared.items()):
        jaccard = inter / (len(shingle_sets[i]) + len(shingle_sets[j]) - inter)
        if jaccard >= threshold:
            pairs.append((i, j, jaccard))
    return pairs


def shingles(text: str) -> set[tuple[str, ...]]:
    """Word 5-grams of a text (a text shorter than five words is one shingle)."""
    plain = normalize(text).text
    words = [plain[s:e] for s, e in word_spans(plain)]
    words = [w for w in words if any(c.isalnum() for c in w)]
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[k:k + SHINGLE]) for k in range(len(words) - SHINGLE + 1)}


def _check_span(span: Record, text: str, starts: set[int], ends: set[int], problem: Report) -> None:
    sid, start, end, surface = span["id"], span["start"], span["end"], span["text"]
    if not 0 <= start < end <= len(text):
        problem(f"{sid} offsets {start}:{end} are outside the text (length {len(text)}) or empty", sid)
        return
    if text[start:end] != surface:
        problem(f"{sid} text {surface!r} does not match its offsets {start}:{end} ({text[start:end]!r})", sid)
        return
    if start not in starts or end not in ends:
        problem(f"{sid} {surface!r} does not start and end on word boundaries "
                f"(the words there are {_words_around(text, start, end)!r})", sid)
    elif surface[0] in OUTSIDE_MARKS or surface[-1] in OUTSIDE_MARKS:
        problem(f"{sid} {surface!r} includes punctuation that stays outside spans (GUIDELINES 0)", sid)


def _check_overlaps(layer: str, spans: list[Record], text: str, problem: Report) -> None:
    ordered = sorted((s for s in spans if 0 <= s["start"] < s["end"] <= len(text)),
                     key=lambda s: (s["start"], -s["end"]))
    widest: Record | None = None
    for span in ordered:
        if widest is not None and span["start"] < widest["end"]:
            problem(f"{layer} spans overlap: {span['id']} {span['text']!r} and {widest['id']} {widest['text']!r}",
                    span["id"])
        if widest is None or span["end"] > widest["end"]:
            widest = span


def _words_around(text: str, start: int, end: int) -> str:
    """The whole words touched by start:end, to show the annotator where the boundary should be."""
    touched = [(s, e) for s, e in word_spans(text) if s < end and e > start]
    return text[touched[0][0]:touched[-1][1]] if touched else text[start:end]


def _items(rec: Record, key: str, problem: Report) -> list[Any]:
    value = rec.get(key, [])
    if not isinstance(value, list):
        problem(f"{key} must be a list")
        return []
    return value


def _has(obj: Any, fields: dict[str, type], what: str, problem: Report, ann_id: object = None) -> bool:
    """Whether obj is a dict with these keys of these types (bools are not ints); reports what is wrong."""
    if not isinstance(obj, dict):
        problem(f"{what} is not an object", ann_id)
        return False
    bad = [k for k, t in fields.items() if not isinstance(obj.get(k), t) or (t is int and isinstance(obj[k], bool))]
    if bad:
        problem(f"{what} lacks or mistypes {', '.join(bad)}", obj.get("id") if isinstance(obj.get("id"), str)
                else ann_id)
    return not bad


def _is_date(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
