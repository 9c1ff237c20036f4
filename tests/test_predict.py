"""The shipped default model on the seed article: a schema-valid record with exact offsets and normalized values."""
import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from rasid.align import Document
from rasid.cli import main
from rasid.corpus.record import SourceDoc
from rasid.corpus.validate import check_record
from rasid.decode import (COUNTED_TYPES, DANGLING, build_record, carries_number, tags_from_log_probs,
                          trim_dangling)
from rasid.extractor import _extend_over_glued
from rasid.labels import NUMERIC_TYPES

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "seed-article.txt"


@pytest.fixture(scope="module")
def seed_record(tmp_path_factory, encoder_dir):
    out = tmp_path_factory.mktemp("predict") / "seed.jsonl"
    assert main(["predict", str(SEED), "-o", str(out), "--quiet", "--reference-date", "2025-12-10"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_seed_record_validates_against_the_schema(seed_record, seed_text):
    assert seed_record["id"] == "seed-article" and seed_record["text"] == seed_text
    assert "error" not in seed_record
    gold_shape = {k: v for k, v in seed_record.items() if k in ("id", "text", "entities", "events", "relations")}
    for e in gold_shape["entities"]:
        assert 0.0 <= e.pop("score") <= 1.0
    for r in gold_shape["relations"]:
        assert 0.0 <= r.pop("score") <= 1.0
    for ev in gold_shape["events"]:
        assert 0.0 <= ev.pop("score") <= 1.0
    problems = check_record(SourceDoc("seed.jsonl", 1, gold_shape))
    assert problems == [], [str(p) for p in problems]


def test_seed_spans_are_exact_and_numbers_carry_values(seed_record, seed_text):
    ents = seed_record["entities"]
    for span in ents + [ev["trigger"] for ev in seed_record["events"]]:
        assert seed_text[span["start"]:span["end"]] == span["text"]
    numeric = [e for e in ents if e["type"] in NUMERIC_TYPES]
    assert numeric and all("value" in e for e in numeric)
    # the model finds the report's core facts
    texts = {e["text"] for e in ents}
    assert "سنتكوم" in texts or "القيادة الوسطى الأمريكية" in texts
    assert {"ORG", "LOC", "QUANTITY", "DATE"} <= {e["type"] for e in ents}
    assert seed_record["events"], "no event found in the seed report"
    assert not [e["text"] for e in ents if e["text"].split()[-1] in DANGLING]  # «تنظيم الدولة في» before the fix
    counted = [e for e in ents if e["type"] in COUNTED_TYPES]
    assert counted and not [e["text"] for e in counted if e["value"] is None and "min" not in e]  # «مخابئ» before


def test_an_entity_never_ends_on_a_bare_preposition():
    doc = Document.from_text("ضد تنظيم الدولة في سوريا منذ الساعة 04:30 من فجر اليوم في")
    spans = [(1, 4, "ORG", 0.9), (4, 5, "LOC", 0.8), (6, 11, "DATE", 0.7), (13, 14, "LOC", 0.5)]
    assert trim_dangling(doc, spans) == [(1, 3, "ORG", 0.9), (4, 5, "LOC", 0.8), (6, 10, "DATE", 0.7)]


def test_an_entity_never_starts_on_a_conjunction_written_apart():
    doc = Document.from_text("تعمل بنظام و لينكس و ويندوز ف داعش ووزارة الدفاع")
    spans = [(2, 4, "ORG", 0.9), (4, 5, "ORG", 0.8), (5, 6, "ORG", 0.7), (6, 8, "ORG", 0.6), (8, 10, "ORG", 0.5)]
    assert trim_dangling(doc, spans) == [(3, 4, "ORG", 0.9), (5, 6, "ORG", 0.7), (7, 8, "ORG", 0.6),
                                         (8, 10, "ORG", 0.5)]


@pytest.mark.parametrize("text, typ, kept", [
    ("مخابئ", "QUANTITY", False), ("على الأقل", "QUANTITY", False), ("نصفهم تقريبا", "PERCENT", False),
    ("ليرة", "MONEY", False), ("مخابئ", "LOC", True), ("الفترة ذاتها", "DATE", True),
    ("صاروخين", "QUANTITY", True), ("عشرات الدول", "QUANTITY", True), ("130 صاروخا", "QUANTITY", True),
    ("مليار ليرة", "MONEY", True), ("30 في المئة", "PERCENT", True),
])
def test_a_count_amount_or_percentage_without_a_number_is_dropped(text, typ, kept):
    doc = Document.from_text(text)
    assert carries_number(doc, (0, len(doc.words), typ, 0.9)) is kept


def test_predict_streams_jsonl_and_reports_bad_lines(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "قتل 3 مسلحين في درعا أمس.", "date": "2025-03-02", "url": "u"}\nnot json\n'
                   '{"id": "c", "text": "ضبطت الشرطة 20 كيلوغراما من الحشيش."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["predict", str(src), "-o", str(out), "--quiet"]) == 0
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["a", f"{src}:2", "c"]
    assert recs[0]["url"] == "u" and "error" not in recs[0]
    assert recs[1]["error"].startswith(f"{src}:2")
    assert f"{src}:2" in capsys.readouterr().err
    assert main(["predict", str(src), "-o", str(out), "--quiet", "--strict"]) == 1


def test_a_span_takes_in_a_glued_percent_sign_but_not_a_sentence_full_stop():
    doc = Document.from_text("ارتفع بنسبة 31% في عام 2024. وقال")
    assert [doc.text[a:b] for a, b in doc.words] == ["ارتفع", "بنسبة", "31", "%", "في", "عام", "2024", ".", "وقال"]
    unseen = {3, 7}  # the tokenizer read «31%» and «2024.» as one piece each: no subword starts at «%» or «.»
    window = SimpleNamespace(first_token={w: w for w in range(len(doc.words)) if w not in unseen})
    spans = [(2, 3, "PERCENT", 0.9), (5, 7, "DATE", 0.9)]
    assert _extend_over_glued(doc, [(window, {})], spans) == [(2, 4, "PERCENT", 0.9), (5, 7, "DATE", 0.9)]


def test_a_word_of_punctuation_alone_is_never_a_span_edge():
    doc = Document.from_text("نظام جنو / لينكس . ثم 35 %")
    spans = [(1, 3, "ORG", 0.9), (3, 4, "ORG", 0.8), (4, 5, "PER", 0.7), (6, 8, "PERCENT", 0.6)]
    assert trim_dangling(doc, spans) == [(1, 2, "ORG", 0.9), (3, 4, "ORG", 0.8), (6, 8, "PERCENT", 0.6)]


def test_conll_tags_are_trimmed_as_extract_trims_spans():
    doc = Document.from_text("و لينكس في")
    labels = ["O", "B-ORG", "I-ORG"]
    log_probs = np.log(np.array([[0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.1, 0.1, 0.8]]))
    assert tags_from_log_probs(doc, log_probs, labels) == ["O", "B-ORG", "O"]


def _money_record(text: str, amounts: list[str]) -> dict:
    doc = Document.from_text(text)
    spans = []
    for amount in amounts:
        start = text.index(amount)
        first, end = doc.word_index(start, start + len(amount))
        spans.append((first, end, "MONEY", 1.0))
    return build_record(doc, spans, [], {}, {})


def test_a_month_after_since_is_resolved_in_the_past():
    text = "اعتقلت الشرطة 40 شخصا منذ يناير، وتنتهي الحملة في يناير."
    doc = Document.from_text(text)
    spans = [doc.word_index(k, k + len("يناير")) for k in (text.index("يناير"), text.rindex("يناير"))]
    record = build_record(doc, [(a, b, "DATE", 1.0) for a, b in spans], [], {}, {}, dt.date(2025, 11, 20))
    assert [e["value"] for e in record["entities"]] == ["2025-01", "2026-01"]


def test_a_partitive_count_takes_its_unit_from_the_noun_after_the_span():
    text = "قتلت القوات خمسة من عناصر التنظيم واعتقلت ثلاثة منهم."
    doc = Document.from_text(text)
    spans = [doc.word_index(text.index(w), text.index(w) + len(w)) for w in ("خمسة", "ثلاثة")]
    record = build_record(doc, [(a, b, "QUANTITY", 1.0) for a, b in spans], [], {}, {})
    assert [(e["value"], e.get("unit")) for e in record["entities"]] == [(5, "عنصر"), (3, None)]


def test_a_bare_currency_word_takes_the_currency_the_document_names_for_it():
    text = "ضبطت الشرطة 3 ملايين جنيه مصري، ثم 500 ألف جنيه و20 ألف دولار."
    ents = _money_record(text, ["3 ملايين جنيه مصري", "500 ألف جنيه", "و20 ألف دولار"])["entities"]
    assert [e["currency"] for e in ents] == ["EGP", "EGP", "USD"]


def test_a_bare_currency_word_stays_open_when_the_document_names_two_currencies_for_it():
    text = "قدرت الخسائر بمليون جنيه مصري و2 مليون جنيه سوداني، وصودر 500 ألف جنيه."
    ents = _money_record(text, ["بمليون جنيه مصري", "و2 مليون جنيه سوداني", "500 ألف جنيه"])["entities"]
    assert [e["currency"] for e in ents] == ["EGP", "SDG", None]


def _record_with_places(text: str, amounts: list[str], places: list[str]) -> dict:
    doc = Document.from_text(text)
    spans = []
    for words, typ in [(a, "MONEY") for a in amounts] + [(p, "LOC") for p in places]:
        start = text.index(words)
        first, end = doc.word_index(start, start + len(words))
        spans.append((first, end, typ, 1.0))
    return build_record(doc, sorted(spans), [], {}, {})


@pytest.mark.parametrize("text, amount, places, currency", [
    ("عمان - بترا: ضبطت الجمارك الأردنية بضائع قيمتها 40 ألف دينار.", "40 ألف دينار", ["عمان"], "JOD"),
    ("مسقط: غرمت المحكمة في عمان المتهم 500 ريال.", "500 ريال", ["مسقط", "عمان"], "OMR"),
    ("الكويت - كونا: صودر مبلغ 180 ألف دينار في العراق والكويت.", "180 ألف دينار", ["الكويت", "العراق", "والكويت"],
     "KWD"),
    ("ضبطت الشرطة بمحافظة القليوبية 300 ألف جنيه.", "300 ألف جنيه", ["بمحافظة القليوبية"], "EGP"),
    ("صودر مبلغ 180 ألف دينار في باريس.", "180 ألف دينار", ["باريس"], None),
    ("صودر مبلغ 180 ألف دينار.", "180 ألف دينار", [], None),
])
def test_a_bare_currency_word_takes_the_currency_of_the_country_the_document_is_about(text, amount, places, currency):
    record = _record_with_places(text, [amount], places)
    assert [e.get("currency") for e in record["entities"] if e["type"] == "MONEY"] == [currency]


def test_an_anaphoric_date_is_resolved_against_the_latest_earlier_date_of_the_document():
    text = "اعتقلت الشرطة 40 شخصا في عام 2024، مقابل 30 في العام السابق، و12 في مارس من العام نفسه."
    doc = Document.from_text(text)
    spans = [doc.word_index(text.index(w), text.index(w) + len(w)) for w in
             ("عام 2024", "العام السابق", "مارس من العام نفسه")]
    record = build_record(doc, [(a, b, "DATE", 1.0) for a, b in spans], [], {}, {}, dt.date(2025, 6, 1))
    assert [e["value"] for e in record["entities"]] == ["2024", "2023", "2023-03"]
