"""Model scores → spans → the event-JSON record of the schema.

Tag sequences are decoded with Viterbi under BIO constraints (an I-X only continues a B-X/I-X), so the output
never holds a broken span. Spans are whole words and their offsets point into the original text. Two rules of
the guidelines the network sometimes misses are applied to its spans: none ends on a bare preposition, and every
count, amount and percentage carries a number.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from .align import Document
from .labels import FOLLOWING_CHARS, NUMERIC_TYPES, PRECEDING_CHARS, RELATION_ENDS, ROLE_FILLERS, SYMMETRIC_RELATIONS


def allowed_transitions(labels: list[str]) -> np.ndarray:
    """[from, to] mask of legal BIO transitions."""
    n = len(labels)
    ok = np.ones((n, n), dtype=bool)
    for j, to in enumerate(labels):
        if to.startswith("I-"):
            for i, fr in enumerate(labels):
                ok[i, j] = fr in (f"B-{to[2:]}", to)
    return ok


def viterbi(log_probs: np.ndarray, labels: list[str], transitions: np.ndarray | None = None) -> list[int]:
    """Best legal tag path for [n_words, n_labels] log-probabilities, plus learned [from, to] transition scores
    where the model has a CRF."""
    if len(log_probs) == 0:
        return []
    trans = np.where(allowed_transitions(labels), 0.0 if transitions is None else transitions, -np.inf)
    start = np.array([0.0 if not lab.startswith("I-") else -np.inf for lab in labels])
    score = log_probs[0] + start
    back = []
    for row in log_probs[1:]:
        cand = score[:, None] + trans
        back.append(cand.argmax(0))
        score = cand.max(0) + row
    path = [int(score.argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    return path[::-1]


def tag_spans(path: list[int], probs: np.ndarray, labels: list[str]) -> list[tuple[int, int, str, float]]:
    """(first word, end word, type, score) for each span of a legal tag path; score = mean tag probability."""
    spans: list[list] = []
    for w, k in enumerate(path):
        lab = labels[k]
        if lab.startswith("B-"):
            spans.append([w, w + 1, lab[2:], [probs[w, k]]])
        elif lab.startswith("I-") and spans and spans[-1][1] == w:
            spans[-1][1] = w + 1
            spans[-1][3].append(probs[w, k])
    return [(a, b, t, float(np.mean(p))) for a, b, t, p in spans]


COUNTED_TYPES = ("QUANTITY", "MONEY", "PERCENT")
DANGLING = frozenset("في من على إلى الى عن مع".split())
LEADING = frozenset("و ف".split())
UNIT_SIGNS = frozenset("%٪$€£")


def trim_dangling(doc: Document, spans: list) -> list:
    """Drop a bare preposition from the end of an entity («تنظيم الدولة في [سوريا]» → «تنظيم الدولة»), a
    conjunction written as a word of its own from its start («و [لينكس]», a spacing slip of newsrooms and the
    tokenization of public NER sets), and a word of punctuation alone from either edge («[جنو] /»; «[35 %]» keeps
    its sign): names that hold a preposition («الدولة الإسلامية في العراق والشام») never end on it, spans are whole
    words with the clitic inside («[وسوريا]»), and no gold span in the corpus starts or ends on any of these, but
    the model sometimes stops one word late or starts one word early. A span left empty is dropped."""
    def word(i: int) -> str:
        return doc.text[doc.words[i][0]:doc.words[i][1]]

    def bare(i: int) -> bool:
        return not any(ch.isalnum() or ch in UNIT_SIGNS for ch in word(i))

    out = []
    for first, end, typ, score in spans:
        while end > first and (word(end - 1) in DANGLING or bare(end - 1)):
            end -= 1
        while first < end and (word(first) in LEADING or bare(first)):
            first += 1
        if end > first:
            out.append((first, end, typ, score))
    return out


def tags_from_log_probs(doc: Document, log_probs: np.ndarray, labels: list[str],
                        transitions: np.ndarray | None = None) -> list[str]:
    """The best legal BIO tag sequence of a document's words, as label strings, with the span edges trimmed as
    `extract` trims them, so that a CoNLL score measures what users get."""
    tags = ["O"] * len(doc.words)
    path = viterbi(log_probs, labels, transitions)
    for first, end, typ, _ in trim_dangling(doc, tag_spans(path, np.exp(log_probs), labels)):
        tags[first:end] = [f"B-{typ}"] + [f"I-{typ}"] * (end - first - 1)
    return tags


def carries_number(doc: Document, span: tuple[int, int, str, float]) -> bool:
    """False for a count, amount or percentage that `rasid.numbers` reads no number from («مخابئ», «على
    الأقل»): the guidelines give every QUANTITY, MONEY and PERCENT a number, a dual or a vague plural, and a fact
    without a value is noise in the output. Dates are kept: «الفترة ذاتها» is a date with no value."""
    first, end, typ, _ = span
    if typ not in COUNTED_TYPES:
        return True
    from .numbers import normalize

    found = normalize(doc.text[doc.words[first][0]:doc.words[end - 1][1]], typ, None)
    return any(found.get(k) is not None for k in ("value", "min", "max"))


def numeric_values(text: str, typ: str, reference_date: dt.date | None, preceding: str = "",
                   following: str = "") -> dict:
    from .numbers import normalize

    return normalize(text, typ, reference_date, preceding, following)


def resolve_anaphoric_dates(entities: list[dict]) -> None:
    """A date that points back at another of the story («العام السابق», «مارس من العام نفسه», «اليوم ذاته») takes its
    value from the latest earlier date with a year (`rasid.numbers.resolve_anaphor`); entities in text order."""
    from .numbers import resolve_anaphor

    antecedent: str | None = None
    for ent in entities:
        if ent["type"] != "DATE":
            continue
        value = ent.get("value")
        if antecedent is not None:
            resolved = resolve_anaphor(ent["text"], value, antecedent)
            if resolved is not None:
                ent["value"] = value = resolved
        if isinstance(value, str) and value[:4].isdigit():
            antecedent = value


def lend_currencies(entities: list[dict]) -> None:
    """A MONEY span whose currency word does not say which currency («500 ألف جنيه») takes the one the same word
    names elsewhere in the document («3 ملايين جنيه مصري»), when the document names only one; else the currency of
    that name in the country whose places the document names most («دينار» in a story from Amman: JOD)."""
    from .numbers import currency_noun
    from .places import currency_from_places

    named: dict[str, set[str]] = defaultdict(set)
    bare = []
    for ent in entities:
        noun = currency_noun(ent["text"]) if ent["type"] == "MONEY" else None
        if noun is not None and ent.get("currency"):
            named[noun].add(ent["currency"])
        elif noun is not None and "currency" in ent:
            bare.append((ent, noun))
    places = [ent["text"] for ent in entities if ent["type"] == "LOC"]
    for ent, noun in bare:
        if len(named[noun]) == 1:
            ent["currency"] = next(iter(named[noun]))
        elif not named[noun]:
            ent["currency"] = currency_from_places(noun, places)


def build_record(doc: Document, entities: list[tuple[int, int, str, float]],
                 triggers: list[tuple[int, int, str, float]], arguments: dict[tuple[int, int], tuple[str, float]],
                 relations: dict[tuple[int, int], tuple[str, float]], reference_date: dt.date | None = None,
                 with_values: bool = True) -> dict:
    """Assemble the output record; links are keyed by (trigger index, entity index) / (head, tail) index."""

    def span(first: int, end: int) -> dict:
        start, stop = doc.words[first][0], doc.words[end - 1][1]
        return {"text": doc.text[start:stop], "start": start, "end": stop}

    ents = []
    for i, (a, b, typ, score) in enumerate(entities):
        ent = {"id": f"T{i + 1}", "type": typ, **span(a, b), "score": round(score, 4)}
        if with_values and typ in NUMERIC_TYPES:
            preceding = doc.text[max(0, ent["start"] - PRECEDING_CHARS):ent["start"]]  # «منذ يناير»: past
            following = doc.text[ent["end"]:ent["end"] + FOLLOWING_CHARS]  # «[خمسة] من عناصر»: the unit
            ent.update(numeric_values(ent["text"], typ, reference_date, preceding, following))
        ents.append(ent)
    if with_values:
        lend_currencies(ents)
        resolve_anaphoric_dates(ents)
    events = []
    for i, (a, b, typ, score) in enumerate(triggers):
        args = [{"role": role, "entity": ents[e]["id"]}
                for (t, e), (role, _) in sorted(arguments.items()) if t == i
                and ents[e]["type"] in ROLE_FILLERS[role]]
        events.append({"id": f"E{i + 1}", "type": typ, "trigger": span(a, b), "arguments": args,
                       "score": round(score, 4)})
    rels = []
    seen: set[tuple[str, int, int]] = set()
    for (h, t), (typ, p) in sorted(relations.items()):
        if typ in SYMMETRIC_RELATIONS:
            h, t = min(h, t), max(h, t)
        heads, tails = RELATION_ENDS[typ]
        if (typ, h, t) in seen or ents[h]["type"] not in heads or ents[t]["type"] not in tails:
            continue
        seen.add((typ, h, t))
        rels.append({"type": typ, "head": ents[h]["id"], "tail": ents[t]["id"], "score": round(p, 4)})
    return {"entities": ents, "relations": rels, "events": events}
