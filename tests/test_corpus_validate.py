"""One failing example per validator check, plus the checks that must stay quiet."""
from __future__ import annotations

import copy
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from rasid.corpus.jsonl import write_jsonl
from rasid.corpus.record import SourceDoc
from rasid.corpus.validate import check_corpus, check_record, near_duplicates, validate_paths

TEXT = "أعلنت سنتكوم (القيادة الوسطى) مقتل 14 عنصرًا من تنظيم الدولة في جنوب سوريا أمس."


@pytest.fixture(autouse=True)
def no_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("rasid.numbers")
    module.normalize = lambda text, type, reference_date=None, preceding="", following="": {}
    monkeypatch.setitem(sys.modules, "rasid.numbers", module)


def span(ann_id: str, ann_type: str, surface: str, text: str = TEXT, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return {"id": ann_id, "type": ann_type, "text": surface, "start": start, "end": start + len(surface)}


def good() -> dict[str, Any]:
    kill = span("E1", "KILL", "مقتل")
    return {"id": "d1", "text": TEXT, "date": "2025-11-30",
            "entities": [span("T1", "ORG", "سنتكوم"), span("T2", "ORG", "القيادة الوسطى"),
                         span("T3", "QUANTITY", "14 عنصرًا"), span("T4", "ORG", "تنظيم الدولة"),
                         span("T5", "LOC", "جنوب سوريا"), span("T6", "DATE", "أمس")],
             "events": [{"id": "E1", "type": "KILL", "trigger": {k: kill[k] for k in ("text", "start", "end")},
                         "arguments": [{"role": "AGENT", "entity": "T1"}, {"role": "TARGET", "entity": "T4"},
                                       {"role": "QUANTITY", "entity": "T3"}, {"role": "LOCATION", "entity": "T5"},
                                       {"role": "TIME", "entity": "T6"}]}],
             "relations": [{"type": "PARTNER_OF", "head": "T1", "tail": "T2"}]}


def problems(record: dict[str, Any]) -> list[str]:
    return [p.reason for p in check_record(SourceDoc("x.jsonl", 1, record))]


def test_good_record_has_no_problems() -> None:
    assert problems(good()) == []


def test_trigger_inside_an_entity_is_not_an_overlap() -> None:
    text = "نفذت 80 عملية"
    rec = {"id": "d", "text": text, "entities": [span("T1", "QUANTITY", "80 عملية", text)],
           "events": [{"id": "E1", "type": "OPERATION", "arguments": [],
                       "trigger": {"text": "عملية", "start": 8, "end": 13}}], "relations": []}
    assert problems(rec) == []


def mutate(change) -> list[str]:
    rec = copy.deepcopy(good())
    change(rec)
    return problems(rec)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda r: r["entities"][0].update(start=1), "does not match its offsets"),
    (lambda r: r["entities"][0].update(end=10_000), "outside the text"),
    (lambda r: r["entities"][4].update(span("T5", "LOC", "سوري")), "word boundaries"),
    (lambda r: r["entities"][1].update(span("T2", "ORG", "(القيادة الوسطى)")), "punctuation that stays outside"),
    (lambda r: r["entities"].append(span("T9", "LOC", "سوريا")), "entity spans overlap: T9"),
    (lambda r: r["events"].append({"id": "E2", "type": "KILL", "arguments": [],
                                   "trigger": {"text": "مقتل 14", "start": r["events"][0]["trigger"]["start"],
                                               "end": r["events"][0]["trigger"]["end"] + 3}}),
     "trigger spans overlap"),
    (lambda r: r["entities"][0].update(type="GPE"), "unknown entity type 'GPE'"),
    (lambda r: r["events"][0].update(type="BOMB"), "unknown event type 'BOMB'"),
    (lambda r: r["events"][0]["arguments"].append({"role": "VICTIM", "entity": "T4"}), "unknown role 'VICTIM'"),
    (lambda r: r["relations"].append({"type": "ALLY_OF", "head": "T1", "tail": "T2"}), "unknown relation type"),
    (lambda r: r["events"][0]["arguments"].append({"role": "AGENT", "entity": "T99"}), "AGENT=T99 points to no entity"),
    (lambda r: r["events"][0]["arguments"].append({"role": "AGENT", "entity": "E1"}), "an event, not an entity"),
    (lambda r: r["relations"].append({"type": "PART_OF", "head": "T1", "tail": "T42"}), "T42 points to no entity"),
    (lambda r: r["events"][0]["arguments"].append({"role": "AGENT", "entity": "T6"}), "AGENT=T6 is DATE"),
    (lambda r: r["events"][0]["arguments"].append({"role": "LOCATION", "entity": "T4"}), "LOCATION takes LOC"),
    (lambda r: r["events"][0]["arguments"].append({"role": "TIME", "entity": "T5"}), "TIME takes DATE"),
    (lambda r: r["events"][0]["arguments"].append({"role": "QUANTITY", "entity": "T1"}), "QUANTITY takes QUANTITY"),
    (lambda r: r["relations"].append({"type": "LOCATED_IN", "head": "T1", "tail": "T4"}), "T4 is ORG, expected LOC"),
    (lambda r: r["relations"].append({"type": "AFFILIATED_WITH", "head": "T1", "tail": "T4"}),
     "T1 is ORG, expected PER"),
    (lambda r: r["relations"].append({"type": "PART_OF", "head": "T1", "tail": "T5"}), "T5 is LOC, expected ORG"),
    (lambda r: r["relations"].append({"type": "PARTNER_OF", "head": "T3", "tail": "T1"}),
     "T3 is QUANTITY, expected LOC/ORG"),
    (lambda r: r["relations"].append({"type": "PART_OF", "head": "T1", "tail": "T1"}), "to itself"),
    (lambda r: r["entities"][1].update(id="T1"), "id T1 is used 2 times"),
    (lambda r: r["events"][0].update(id="T3"), "id T3 is used 2 times"),
    (lambda r: r.update(date="2025-13-01"), "not YYYY-MM-DD"),
    (lambda r: r.update(score=0.5), "unexpected key 'score'"),
    (lambda r: r["entities"][0].pop("end"), "entity #1 lacks or mistypes end"),
    (lambda r: r["entities"][0].update(start=True), "lacks or mistypes start"),
    (lambda r: r.update(events={}), "events must be a list"),
])
def test_each_check_fails_on_its_example(change, expected: str) -> None:
    found = mutate(change)
    assert any(expected in p for p in found), found


def test_relation_types_accept_their_documented_ends() -> None:
    text = "قال أحمد من الجيش في درعا بسوريا"
    rec = {"id": "d", "text": text,
           "entities": [span("T1", "PER", "أحمد", text), span("T2", "ORG", "الجيش", text),
                        span("T3", "LOC", "درعا", text), span("T4", "LOC", "بسوريا", text)],
           "events": [], "relations": [{"type": "AFFILIATED_WITH", "head": "T1", "tail": "T2"},
                                       {"type": "LOCATED_IN", "head": "T2", "tail": "T3"},
                                       {"type": "LOCATED_IN", "head": "T3", "tail": "T4"},
                                       {"type": "PARTNER_OF", "head": "T4", "tail": "T2"}]}
    assert problems(rec) == []


def test_problem_names_file_line_and_document() -> None:
    rec = copy.deepcopy(good())
    rec["entities"][0]["type"] = "GPE"
    problem = check_record(SourceDoc("corpus/train.jsonl", 7, rec))[0]
    assert str(problem) == "corpus/train.jsonl:7: [d1] T1 has unknown entity type 'GPE'"


def docs(*texts: str, ids: tuple[str, ...] | None = None) -> list[SourceDoc]:
    ids = ids or tuple(f"d{i}" for i in range(len(texts)))
    return [SourceDoc("c.jsonl", i + 1, {"id": d, "text": t, "entities": [], "events": [], "relations": []})
            for i, (d, t) in enumerate(zip(ids, texts))]


def test_duplicate_document_ids_across_the_corpus() -> None:
    found = check_corpus(docs("نص أول مختلف", "نص ثان آخر تماما", ids=("a", "a")))
    assert [(p.doc_id, p.line, p.reason) for p in found] == [("a", 2, "document id is already used at c.jsonl:1")]


def test_duplicate_text_is_reported_on_the_later_document() -> None:
    found = check_corpus(docs(TEXT, TEXT))
    assert len(found) == 1 and found[0].doc_id == "d1" and "the same text as [d0]" in found[0].reason


NEWS = ("أعلنت وزارة الداخلية العراقية اليوم الأحد أنها اعتقلت خمسة عناصر من تنظيم داعش في محافظة نينوى "
        "خلال عملية أمنية نفذتها قوات الشرطة بالتعاون مع الجيش بعد معلومات استخبارية دقيقة عن تحركاتهم")


def test_near_duplicate_pair_is_reported_with_its_jaccard() -> None:
    words = NEWS.split()
    edited = " ".join(words[:-3] + ["وأضافت", "أن", "التحقيقات", "مستمرة"])  # the tail changed
    (pair,) = near_duplicates([NEWS, edited])
    assert pair[:2] == (0, 1) and 0.5 <= pair[2] < 1
    found = check_corpus(docs(NEWS, edited))
    assert len(found) == 1 and "near-duplicate (Jaccard" in found[0].reason and "[d0]" in found[0].reason


def test_diacritics_and_punctuation_do_not_hide_a_copy() -> None:
    vocalized = NEWS.replace("أعلنت", "أعْلَنَت،").replace("عناصر", "عناصرَ.")
    assert near_duplicates([NEWS, vocalized])[0][2] == 1.0


def test_different_documents_are_not_near_duplicates() -> None:
    words = NEWS.split()
    half = " ".join(words[:12] + ["ثم"] + list(reversed(words[12:])))  # shares well under half of its 5-grams
    assert near_duplicates([NEWS, half]) == []
    assert near_duplicates([NEWS, TEXT]) == []


def test_validate_paths_reads_both_formats_and_compares_within_each(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("@doc d1\nأعلنت [T1:ORG سنتكوم] [E1:KILL مقتل] [T2:QUANTITY 14 عنصرًا].\n@E1 AGENT=T2\n@end\n"
                   "@doc d2\nنص [T1:ORG ناقص\n@end\n", encoding="utf-8")
    good_record = copy.deepcopy(good())
    write_jsonl(tmp_path / "c.jsonl", [good_record])
    found = validate_paths([tmp_path])  # d1 in both formats: no duplicate-id or duplicate-text problem
    assert [(Path(p.path).name, p.line, p.doc_id) for p in found] == [("a.txt", 2, "d1"), ("a.txt", 6, "d2")]
    assert "AGENT=T2 is QUANTITY" in found[0].reason and "not closed" in found[1].reason


def test_malformed_jsonl_line_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x", "entities": [], "events": [], "relations": []}\n{oops\n',
                    encoding="utf-8")
    found = validate_paths([path])
    assert [(p.line, "not JSON" in p.reason) for p in found] == [(2, True)]
