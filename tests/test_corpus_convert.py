"""Converters: JSONL -> format -> JSONL keeps exactly what each format can carry."""
from __future__ import annotations

import copy
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from rasid.corpus import convert
from rasid.corpus.authoring import parse_authoring
from rasid.corpus.convert import FormatError
from rasid.corpus.record import ENTITY_CORE_KEYS
from rasid.text import word_spans

SOURCE = """\
@doc doc-1
@date 2025-11-30
وذكرت [T1:ORG سنتكوم] أن [E1:OPERATION العمليات] خلال [T2:DATE الشهر الماضي] بالتعاون مع [T5:ORG القوات السورية] أدت إلى [E2:DESTROY تدمير] [T3:QUANTITY حوالي 130 صاروخًا] في [T4:LOC جنوب سوريا]. ونفذت [T7:QUANTITY 80 [E3:OPERATION عملية]] منذ [T8:DATE حزيران/يونيو].

وقال [T9:PER أحمد] إن [T10:ORG الشرطة] [E4:ARREST اعتقلت] [T11:QUANTITY عنصرين] (من [T12:ORG داعش]).
@E1 AGENT=T1 AGENT=T5 TIME=T2
@E2 AGENT=T1 QUANTITY=T3 LOCATION=T4
@E4 AGENT=T10 TARGET=T12 QUANTITY=T11
@R PARTNER_OF T1 T5
@R AFFILIATED_WITH T9 T10
@end

@doc doc-2
في [T1:LOC دمشق] [E1:KILL مقتل] [T2:QUANTITY 3 عناصر].
@E1 LOCATION=T1 QUANTITY=T2
@end
"""


@pytest.fixture(autouse=True)
def fake_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("rasid.numbers")
    module.normalize = lambda text, type, reference_date=None, preceding="", following="": {"value": 1, "approximate": False}
    monkeypatch.setitem(sys.modules, "rasid.numbers", module)


@pytest.fixture
def records() -> list[dict[str, Any]]:
    return [d.record for d in parse_authoring(SOURCE, "t.txt")]


def without_values(rec: dict[str, Any]) -> dict[str, Any]:
    rec = copy.deepcopy(rec)
    rec["entities"] = [{k: e[k] for k in ENTITY_CORE_KEYS} for e in rec["entities"]]
    return rec


def renumbered(rec: dict[str, Any]) -> dict[str, Any]:
    """Ids as a reader that cannot keep them assigns them: T1.. and E1.. in text order."""
    rec = without_values(rec)
    new = {e["id"]: f"T{i}" for i, e in enumerate(rec["entities"], start=1)}
    new.update({e["id"]: f"E{i}" for i, e in enumerate(rec["events"], start=1)})
    for ent in rec["entities"]:
        ent["id"] = new[ent["id"]]
    for ev in rec["events"]:
        ev["id"] = new[ev["id"]]
        for arg in ev["arguments"]:
            arg["entity"] = new[arg["entity"]]
    for rel in rec["relations"]:
        rel["head"], rel["tail"] = new[rel["head"]], new[rel["tail"]]
    return rec


def round_trip(fmt: str, records: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, Any]]:
    out = tmp_path / ("out" if fmt == "brat" else f"out.{fmt}")
    convert.write(fmt, records, out)
    return convert.read(fmt, out)


def test_jsonl_round_trip_is_identity(records, tmp_path) -> None:
    assert round_trip("jsonl", records, tmp_path) == records


def test_labelstudio_keeps_everything_but_values(records, tmp_path) -> None:
    assert round_trip("labelstudio", records, tmp_path) == [without_values(r) for r in records]


def test_brat_keeps_everything_but_date_and_values(records, tmp_path) -> None:
    back = round_trip("brat", records, tmp_path)
    expected = [without_values(r) for r in records]
    for rec in expected:
        rec.pop("date", None)
    assert back == expected


def test_doccano_rel_keeps_structure_with_new_ids(records, tmp_path) -> None:
    assert round_trip("doccano-rel", records, tmp_path) == [renumbered(r) for r in records]


def test_doccano_keeps_spans_and_types(records, tmp_path) -> None:
    expected = [renumbered(r) for r in records]
    for rec in expected:
        rec["relations"] = []
        for ev in rec["events"]:
            ev["arguments"] = []
    assert round_trip("doccano", records, tmp_path) == expected


def conll_view(rec: dict[str, Any]) -> tuple[Any, ...]:
    """What CoNLL carries: id, date, the words, and each entity as (type, first word, last word)."""
    words = word_spans(rec["text"])
    first = {s: i for i, (s, _) in enumerate(words)}
    last = {e: i for i, (_, e) in enumerate(words)}
    return (rec["id"], rec.get("date"), [rec["text"][s:e] for s, e in words],
            [(e["type"], first[e["start"]], last[e["end"]]) for e in rec["entities"]])


def test_conll_keeps_words_entities_id_and_date(records, tmp_path) -> None:
    back = round_trip("conll", records, tmp_path)
    assert [conll_view(r) for r in back] == [conll_view(r) for r in records]
    assert back[0]["events"] == [] and back[0]["relations"] == []
    assert convert.to_conll(back) == convert.to_conll(records)  # a fixed point after one trip


def test_conll_layout() -> None:
    rec = {"id": "x", "text": "قتل 3 عناصر في دمشق. وانتهى.", "date": "2025-01-02",
           "entities": [{"id": "T1", "type": "QUANTITY", "text": "3 عناصر", "start": 4, "end": 11},
                        {"id": "T2", "type": "LOC", "text": "دمشق", "start": 15, "end": 19}],
           "events": [], "relations": []}
    assert convert.to_conll([rec]) == ("# id = x\n# date = 2025-01-02\nقتل O\n3 B-QUANTITY\nعناصر I-QUANTITY\n"
                                       "في O\nدمشق B-LOC\n. O\n\nوانتهى O\n. O\n\n")


def test_conll_merges_sentences_an_entity_would_cross() -> None:
    rec = {"id": "x", "text": "وصل أ. ب إلى هنا", "entities": [
        {"id": "T1", "type": "PER", "text": "أ. ب", "start": 4, "end": 8}], "events": [], "relations": []}
    assert "\n\n" not in convert.to_conll([rec]).rstrip("\n")


def test_brat_files(records, tmp_path) -> None:
    convert.write("brat", records[1:], tmp_path)
    assert (tmp_path / "doc-2.txt").read_text(encoding="utf-8") == records[1]["text"]
    assert (tmp_path / "doc-2.ann").read_text(encoding="utf-8").splitlines() == [
        "T1\tLOC 3 7\tدمشق", "T2\tQUANTITY 13 20\t3 عناصر", "T3\tKILL 8 12\tمقتل",
        "E1\tKILL:T3 LOCATION:T1 QUANTITY:T2"]


def test_brat_repeated_role_is_numbered(records, tmp_path) -> None:
    convert.write("brat", records[:1], tmp_path)
    ann = (tmp_path / "doc-1.ann").read_text(encoding="utf-8")
    assert "AGENT:T1 AGENT2:T5 TIME:T2" in ann and "R1\tPARTNER_OF Arg1:T1 Arg2:T5" in ann


def test_labelstudio_shape(records) -> None:
    task = convert.to_labelstudio(records[1:])[0]
    assert task["data"] == {"text": records[1]["text"], "doc_id": "doc-2"}
    result = task["annotations"][0]["result"]
    assert result[0]["value"] == {"start": 3, "end": 7, "text": "دمشق", "labels": ["LOC"]}
    assert {"type": "relation", "from_id": "E1", "to_id": "T1", "direction": "right",
            "labels": ["LOCATION"]} in result


def test_doccano_shape(records) -> None:
    line = convert.to_doccano(records[1:])[0]
    assert line == {"id": "doc-2", "text": records[1]["text"], "label": [[3, 7, "LOC"], [8, 12, "KILL"],
                                                                         [13, 20, "QUANTITY"]]}
    rel = convert.to_doccano_rel(records[1:])[0]
    assert rel["relations"] == [{"id": 1, "from_id": 3, "to_id": 1, "type": "LOCATION"},
                                {"id": 2, "from_id": 3, "to_id": 2, "type": "QUANTITY"}]


def test_readers_report_bad_input(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("abc def", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tORG 0 3;4 7\tabc def\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"a\.ann:1: \[a\] .*fragments"):
        convert.read("brat", tmp_path)
    conll = tmp_path / "x.conll"
    conll.write_text("# id = d\nكلمة O\nكلمة أخرى B-ORG\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"x\.conll:3: \[d\] expected 'word TAG'"):
        convert.read("conll", conll)
    studio = tmp_path / "ls.json"
    studio.write_text(json.dumps({"not": "a list"}), encoding="utf-8")
    with pytest.raises(FormatError, match="list of tasks"):
        convert.read("labelstudio", studio)


def test_writers_refuse_what_the_format_cannot_hold(records, tmp_path) -> None:
    bad = copy.deepcopy(records[1])
    bad["entities"][0]["end"] -= 1  # not on a word boundary
    with pytest.raises(FormatError, match="word boundaries"):
        convert.to_conll([bad])
    bad = copy.deepcopy(records[1])
    bad["id"] = "../escape"
    with pytest.raises(FormatError, match="file name"):
        convert.write("brat", [bad], tmp_path)
