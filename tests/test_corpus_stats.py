"""STATS.md contents and the consistency report, on small hand-made corpora."""
from __future__ import annotations

from typing import Any

import pytest

from rasid.corpus.consistency import report
from rasid.corpus.stats import NUMBER_FORMATS, _Mention, country_of, render_stats


def doc(doc_id: str, text: str, spans: list[tuple[str, str]], events: list[tuple[str, str]] = ()) -> dict[str, Any]:
    """A record whose entities (type, surface) and triggers are found in order in the text."""
    def find(surface: str, after: int) -> int:
        return text.index(surface, after)

    entities, pos = [], 0
    for i, (etype, surface) in enumerate(spans, start=1):
        pos = find(surface, pos)
        entities.append({"id": f"T{i}", "type": etype, "text": surface, "start": pos, "end": pos + len(surface)})
        pos += len(surface)
    evs = []
    for i, (etype, surface) in enumerate(events, start=1):
        start = text.index(surface)
        evs.append({"id": f"E{i}", "type": etype, "trigger": {"text": surface, "start": start,
                                                             "end": start + len(surface)},
                    "arguments": [{"role": "AGENT", "entity": "T1"}]})
    return {"id": doc_id, "text": text, "entities": entities, "events": evs,
            "relations": [{"type": "PARTNER_OF", "head": "T1", "tail": "T2"}] if len(entities) > 1 else []}


CORPUS = {
    "train": [doc("a", "قال الجيش إن العملية في وسوريا والعراق انتهت. وقتل 5 عناصر.",
                  [("ORG", "الجيش"), ("LOC", "وسوريا"), ("LOC", "والعراق"), ("QUANTITY", "5 عناصر")],
                  [("OPERATION", "العملية")])],
    "dev": [doc("b", "دخلت قوات إلى للعراق أمس.", [("LOC", "للعراق"), ("DATE", "أمس")])],
    "test": [],
}


def section(text: str, title: str) -> str:
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_tables_count_per_split_and_total() -> None:
    text = render_stats(CORPUS, [])
    size = section(text, "Size")
    assert "| documents | 1 | 1 | 0 | 2 |" in size
    assert "| sentences | 2 | 1 | 0 | 3 |" in size
    assert "| words | 11 | 5 | 0 | 16 |" in size  # punctuation is not a word
    assert "| LOC | 2 | 1 | 0 | 3 |" in section(text, "Entity mentions by type")
    assert "| PERCENT | 0 | 0 | 0 | 0 |" in section(text, "Entity mentions by type")  # every schema type listed
    assert "| OPERATION | 1 | 0 | 0 | 1 |" in section(text, "Event triggers by type")
    assert "| AGENT | 1 | 0 | 0 | 1 |" in section(text, "Arguments by role")
    assert "| PARTNER_OF | 1 | 1 | 0 | 2 |" in section(text, "Relations by type")


def test_places_and_countries() -> None:
    text = section(render_stats(CORPUS, []), "Organizations and places")
    assert "distinct organizations (by surface): 1" in text and "distinct places (by surface): 3" in text
    assert "countries covered: 2 in 3 LOC mentions" in text and "العراق (2)" in text


@pytest.mark.parametrize(("surface", "country"), [
    ("سوريا", "سوريا"), ("وسورية", "سوريا"), ("للعراق", "العراق"), ("بالأردن", "الأردن"),
    ("الولايات المتحدة الأمريكية", "الولايات المتحدة"), ("وأمريكا", "الولايات المتحدة"),
    ("جنوب سوريا", None), ("عمان", None), ("سلطنة عمان", "عمان"), ("دمشق", None),
])
def test_country_names_with_clitics_and_variants(surface: str, country: str | None) -> None:
    assert country_of(surface) == country


def formats(etype: str, surface: str) -> set[str]:
    mention = _Mention({"type": etype, "text": surface})
    return {label.split(" (")[0] for label, test in NUMBER_FORMATS if test(mention)}


@pytest.mark.parametrize(("etype", "surface", "expected"), [
    ("QUANTITY", "حوالي 130 صاروخًا", {"ASCII digits", "approximators"}),
    ("QUANTITY", "١٤ عنصراً", {"Arabic-Indic digits"}),
    ("QUANTITY", "خمسة", {"number words"}),
    ("QUANTITY", "صاروخين", {"duals"}),
    ("QUANTITY", "عشرات الدول", {"vague quantities"}),
    ("QUANTITY", "ثلاثة آلاف", {"number words"}),
    ("QUANTITY", "أكثر من 15 مخزنًا", {"ASCII digits", "bounds"}),
    ("QUANTITY", "بين 10 و20 مسلحا", {"ASCII digits", "ranges"}),
    ("QUANTITY", "ثلاث أو أربع دول", {"number words", "ranges"}),
    ("DATE", "رمضان 1445 هـ", {"ASCII digits", "Hijri dates"}),
    ("DATE", "15 تموز/يوليو 2024", {"ASCII digits", "Gregorian month names", "Syriac month names",
                                    "both month systems in one date"}),
    ("DATE", "الشهر الماضي", {"relative dates"}),
    ("DATE", "يوم الاثنين", {"relative dates"}),
    ("DATE", "الأشهر الستة الماضية", {"number words", "relative dates", "durations"}),
    ("DATE", "24 ساعة", {"ASCII digits", "durations"}),
    ("DATE", "عامين", {"duals", "durations"}),
])
def test_number_formats(etype: str, surface: str, expected: set[str]) -> None:
    assert formats(etype, surface) == expected


def test_agreement_section() -> None:
    comparison = {"a": "v1", "b": "v2", "documents": 3,
                  **{layer: {"a": 4, "b": 2, "matched": 2, "precision": 1.0, "recall": 0.5, "f1": 0.6667}
                     for layer in ("entities", "triggers", "arguments")},
                  "relations": {"a": 0, "b": 0, "matched": 0, "precision": None, "recall": None, "f1": None}}
    text = section(render_stats(CORPUS, [comparison]), "Inter-annotator agreement")
    assert "### v1 vs v2" in text and "3 documents compared" in text
    assert "| entities | 4 | 2 | 2 | 100.0 | 50.0 | 66.7 |" in text
    assert "| relations | 0 | 0 | 0 | n/a | n/a | n/a |" in text
    assert "No comparison yet" in section(render_stats(CORPUS, []), "Inter-annotator agreement")


def test_consistency_report() -> None:
    docs = [doc("a", "هاجم داعش مواقع في سوريا.", [("ORG", "داعش"), ("LOC", "سوريا")], [("OPERATION", "هاجم")]),
            doc("b", "أعلن داعش مسؤوليته عن الهجوم في جنوب سوريا وسوريا.", [("LOC", "داعش"), ("LOC", "جنوب سوريا")]),
            doc("c", "قال مسؤول إن داعش هاجم سوريا.", [])]
    text = report(docs)
    mixed = text.split("## Entities: same string, different types")[1].split("##")[0]
    assert "«داعش»: LOC ×1 (b); ORG ×1 (a)" in mixed
    missed = text.split("## Entities: annotated in one place, not in another")[1].split("##")[0]
    # «سوريا» in c is unannotated; inside «جنوب سوريا» it is covered, «وسوريا» is another word
    assert "«سوريا» annotated LOC ×1; unannotated ×1: [c] …قال مسؤول إن داعش هاجم **سوريا**.…" in missed
    assert "«داعش» annotated LOC ×1, ORG ×1; unannotated ×1: [c]" in missed
    triggers = text.split("## Triggers: annotated in one place, not in another")[1]
    assert "«هاجم» annotated OPERATION ×1; unannotated ×1: [c]" in triggers
    assert text.split("## Triggers: same string, different types")[1].split("##")[0].strip() == "None."
