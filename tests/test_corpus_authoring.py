"""The authoring-format parser: offsets, nesting, escapes, paragraphs, values, and errors that point at lines."""
from __future__ import annotations

import datetime as dt
import json
import sys
import types

import pytest

from rasid.corpus.authoring import AnnotationError, parse_authoring
from rasid.corpus.jsonl import dumps

CALLS: list[tuple[str, str, dt.date | None, str, str]] = []


@pytest.fixture(autouse=True)
def fake_numbers(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """A stand-in for rasid.numbers, so these tests do not depend on the real normalizer's outputs."""
    module = types.ModuleType("rasid.numbers")

    def normalize(text: str, type: str, reference_date: dt.date | None = None, preceding: str = "",
                  following: str = "") -> dict:
        CALLS.append((text, type, reference_date, preceding, following))
        return {"value": len(text), "approximate": False, "unit": "x"}

    module.normalize = normalize
    monkeypatch.setitem(sys.modules, "rasid.numbers", module)
    CALLS.clear()
    return module


def parse_one(content: str) -> dict:
    docs = parse_authoring(content, "t.txt")
    assert len(docs) == 1
    return docs[0].record


GUIDELINES_EXAMPLE = """\
@doc sana-2025-0412
@date 2025-11-30
وذكرت [T1:ORG سنتكوم] أن [E1:OPERATION العمليات] التي نفذت خلال [T2:DATE الشهر الماضي] بالتعاون مع [T5:ORG القوات السورية] أدت إلى [E2:DESTROY تدمير] [T3:QUANTITY حوالي 130 صاروخًا] في [T4:LOC جنوب سوريا].
@E1 AGENT=T1 AGENT=T5 TIME=T2
@E2 AGENT=T1 QUANTITY=T3 LOCATION=T4
@R PARTNER_OF T1 T5
@end
"""


def test_guidelines_example_offsets_and_links() -> None:
    rec = parse_one(GUIDELINES_EXAMPLE)
    text = rec["text"]
    assert text.startswith("وذكرت سنتكوم أن العمليات") and text.endswith("في جنوب سوريا.")
    assert "[" not in text and rec["date"] == "2025-11-30"
    for ent in rec["entities"]:
        assert text[ent["start"]:ent["end"]] == ent["text"]
    for ev in rec["events"]:
        assert text[ev["trigger"]["start"]:ev["trigger"]["end"]] == ev["trigger"]["text"]
    assert [e["id"] for e in rec["entities"]] == ["T1", "T2", "T5", "T3", "T4"]  # text order
    by_id = {e["id"]: e for e in rec["entities"]}
    assert by_id["T3"]["text"] == "حوالي 130 صاروخًا"
    assert rec["events"][0]["arguments"] == [{"role": "AGENT", "entity": "T1"}, {"role": "AGENT", "entity": "T5"},
                                             {"role": "TIME", "entity": "T2"}]
    assert rec["relations"] == [{"type": "PARTNER_OF", "head": "T1", "tail": "T5"}]
    assert list(rec) == ["id", "text", "date", "entities", "events", "relations"]


def test_values_come_from_normalizer_with_document_date_and_overrides_win() -> None:
    rec = parse_one("@doc d\n@date 2025-11-30\n[T1:QUANTITY ثلاثة صواريخ] و[T2:ORG الجيش]\n"
                    '@T1 {"value": 3, "unit": null}\n@end\n')
    t1 = rec["entities"][0]
    assert t1 == {"id": "T1", "type": "QUANTITY", "text": "ثلاثة صواريخ", "start": 0, "end": 12,
                  "value": 3, "approximate": False}  # unit removed by null, value overridden
    assert CALLS == [("ثلاثة صواريخ", "QUANTITY", dt.date(2025, 11, 30), "", " والجيش")]  # only numeric types
    assert "value" not in rec["entities"][1]


def test_the_normalizer_is_told_the_text_around_the_span() -> None:
    parse_one("@doc d\n@date 2025-11-30\nقتل 3 منذ [T1:DATE يناير] و[T2:QUANTITY خمسة] من عناصره\n@end\n")
    assert CALLS == [("يناير", "DATE", dt.date(2025, 11, 30), "قتل 3 منذ ", " وخمسة من عناصره"),  # a past January
                     ("خمسة", "QUANTITY", dt.date(2025, 11, 30), "قتل 3 منذ يناير و", " من عناصره")]  # the unit


def test_value_null_is_kept() -> None:
    rec = parse_one('@doc d\n[T1:QUANTITY بين 10 و20]\n@T1 {"value": null, "min": 10}\n@end\n')
    assert rec["entities"][0]["value"] is None and rec["entities"][0]["min"] == 10


def test_nesting_trigger_inside_entity_and_entity_inside_entity() -> None:
    rec = parse_one("@doc d\nنفذت [T7:QUANTITY 80 [E3:OPERATION عملية]] في [T1:LOC [T2:LOC ريف] دمشق]\n@end\n")
    text = rec["text"]
    assert text == "نفذت 80 عملية في ريف دمشق"
    spans = {e["id"]: (e["start"], e["end"], e["text"]) for e in rec["entities"]}
    assert spans["T7"] == (5, 13, "80 عملية")
    assert spans["T1"] == (17, 25, "ريف دمشق") and spans["T2"] == (17, 20, "ريف")
    assert rec["events"][0]["trigger"] == {"text": "عملية", "start": 8, "end": 13}


def test_escaped_brackets_are_literal_and_shift_offsets_correctly() -> None:
    rec = parse_one("@doc d\nنص \\[مقتبس\\] ثم [T1:LOC دمشق] و\\\\ خط\n@end\n")
    assert rec["text"] == "نص [مقتبس] ثم دمشق و\\\\ خط"
    ent = rec["entities"][0]
    assert rec["text"][ent["start"]:ent["end"]] == "دمشق"


def test_paragraphs_directives_and_outer_blank_lines() -> None:
    content = "@doc d\n\n\nسطر أول [E1:KILL مقتل]\n@E1 AGENT=T1\n\nسطر [T1:ORG ثان]\n@E1 TIME=T2\n  \n\n@end\n"
    rec = parse_one(content)
    assert rec["text"] == "سطر أول مقتل\n\nسطر ثان"
    assert [a["role"] for a in rec["events"][0]["arguments"]] == ["AGENT", "TIME"]  # @E lines concatenate
    assert rec["entities"][0]["start"] == rec["text"].index("ثان")


def test_several_documents_and_deterministic_output() -> None:
    content = GUIDELINES_EXAMPLE + "\n@doc second\nنص [T1:LOC حلب]\n@end\n"
    first = [dumps(d.record) for d in parse_authoring(content, "t.txt")]
    second = [dumps(d.record) for d in parse_authoring(content, "t.txt")]
    assert first == second and len(first) == 2
    assert json.loads(first[1]) == {"id": "second", "text": "نص حلب",
                                    "entities": [{"id": "T1", "type": "LOC", "text": "حلب", "start": 3, "end": 6}],
                                    "events": [], "relations": []}


def test_id_lines_point_at_the_marking_line() -> None:
    doc = parse_authoring("@doc d\nأ\n[T1:LOC حلب]\n@end\n", "t.txt")[0]
    assert doc.line == 1 and doc.id_lines == {"T1": 3}


@pytest.mark.parametrize(("content", "line", "doc", "reason"), [
    ("@doc d\nنص [T1:ORG سنتكوم\n@end\n", 2, "d", "not closed"),
    ("@doc d\nنص سنتكوم] آخر\n@end\n", 2, "d", "closes no span"),
    ("@doc d\nنص [سنتكوم]\n@end\n", 2, "d", "does not open a span"),
    ("@doc d\nنص [T1:ORG]\n@end\n", 2, "d", "empty"),
    ("@doc d\n[T1:ORG أ]\n[T1:LOC ب]\n@end\n", 3, "d", "already used on line 2"),
    ("@doc d\n[T1:ORG أ]\n@E1 AGENT=T1\n@end\n", 3, "d", "no trigger"),
    ("@doc d\n[E1:KILL أ]\n@E1 AGENT:T1\n@end\n", 3, "d", "not ROLE=ID"),
    ("@doc d\n@date 2025-02-30\nنص\n@end\n", 2, "d", "not a date"),
    ("@doc d\n@date 30/11/2025\nنص\n@end\n", 2, "d", "YYYY-MM-DD"),
    ("@doc d\n@date 2025-01-01\n@date 2025-01-02\n@end\n", 3, "d", "second @date"),
    ("@doc d\n[T1:QUANTITY 5]\n@T1 {value: 5}\n@end\n", 3, "d", "JSON object"),
    ("@doc d\n[T1:QUANTITY 5]\n@T1 [5]\n@end\n", 3, "d", "JSON object"),
    ("@doc d\n[T1:QUANTITY 5]\n@T1 {\"start\": 5}\n@end\n", 3, "d", "cannot override start"),
    ("@doc d\n[T1:ORG أ]\n@T1 {\"value\": 5}\n@end\n", 3, "d", "not ORG"),
    ("@doc d\n[T1:QUANTITY 5]\n@T2 {\"value\": 5}\n@end\n", 3, "d", "no entity"),
    ("@doc d\nنص\n@R PART_OF T1\n@end\n", 3, "d", "TYPE HEAD TAIL"),
    ("@doc d\nنص\n@X foo\n@end\n", 3, "d", "unknown directive"),
    ("@doc d\nنص\n@end extra\n", 3, "d", "nothing after"),
    ("@doc d\nنص\n", 1, "d", "no @end"),
    ("@doc d\nنص\n@doc e\nنص\n@end\n", 1, "d", "no @end before the @doc on line 3"),
    ("نص بلا وثيقة\n", 1, None, "outside a document"),
    ("@end\n", 1, None, "without an open @doc"),
    ("@doc\n", 1, None, "exactly one document id"),
])
def test_errors_name_file_line_document_and_reason(content: str, line: int, doc: str | None, reason: str) -> None:
    with pytest.raises(AnnotationError) as caught:
        parse_authoring(content, "src/x.txt")
    err = caught.value
    assert (err.path, err.line, err.doc_id) == ("src/x.txt", line, doc)
    assert reason in err.reason
    assert str(err).startswith(f"src/x.txt:{line}: ") and reason in str(err)
    if doc:
        assert f"[{doc}]" in str(err)


def test_collecting_errors_keeps_the_good_documents() -> None:
    content = "@doc bad\n[T1:ORG أ\n@end\n@doc good\n[T1:LOC حلب]\n@end\n@doc bad2\n@E1 X=T1\n@end\n"
    errors: list[AnnotationError] = []
    docs = parse_authoring(content, "t.txt", errors)
    assert [d.doc_id for d in docs] == ["good"]
    assert [(e.doc_id, e.line) for e in errors] == [("bad", 2), ("bad2", 8)]


def test_all_problems_of_a_document_are_reported() -> None:
    errors: list[AnnotationError] = []
    parse_authoring("@doc d\n[T1:ORG أ\nب]\n@end\n", "t.txt", errors)
    assert [e.line for e in errors] == [2, 3]


def test_missing_normalizer_fills_only_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rasid.numbers", None)  # import of rasid.numbers fails as if absent
    with pytest.warns(UserWarning, match="rasid.numbers is missing"):
        rec = parse_one('@doc d\n[T1:QUANTITY 5 صواريخ] [T2:DATE أمس]\n@T1 {"value": 5}\n@end\n')
    assert rec["entities"][0]["value"] == 5 and set(rec["entities"][1]) == {"id", "type", "text", "start", "end"}


def test_normalizer_failure_is_an_annotation_error(fake_numbers: types.ModuleType) -> None:
    def broken(text: str, type: str, reference_date: dt.date | None = None, preceding: str = "",
               following: str = "") -> dict:
        raise ValueError("cannot parse")

    fake_numbers.normalize = broken
    with pytest.raises(AnnotationError, match="normalize failed on '5'.*cannot parse") as caught:
        parse_authoring("@doc d\n\n[T1:QUANTITY 5]\n@end\n", "t.txt")
    assert caught.value.line == 3


def test_a_document_without_end_is_reported_and_left_out() -> None:
    errors: list[AnnotationError] = []
    docs = parse_authoring("@doc a\nنص\n@doc b\nنص\n@end\n@doc c d\nسطر\nسطر\n@end\n", "t.txt", errors)
    assert [d.doc_id for d in docs] == ["b"]
    assert [(e.line, e.reason) for e in errors] == [(1, "no @end before the @doc on line 3"),
                                                    (6, "@doc takes exactly one document id")]
