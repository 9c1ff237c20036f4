"""rasid.numbers: the hand-written case table, the public API's contract, and property tests.

The table (tests/data/numbers_cases.tsv) is written from Arabic grammar, news phrasing and the schema's
conventions; its expected values were never produced by the code under test.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid import numbers

CASES = Path(__file__).parent / "data" / "numbers_cases.tsv"
KEYS = {
    "QUANTITY": {"value", "unit", "approximate", "min", "max"},
    "MONEY": {"value", "currency", "approximate", "min", "max"},
    "PERCENT": {"value", "approximate", "min", "max"},
    "DATE": {"value", "calendar", "approximate", "min", "max"},
}


def _load_cases() -> list:
    rows = []
    with CASES.open(encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        for lineno, row in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
            ref = dt.date.fromisoformat(row["reference_date"]) if row["reference_date"] else None
            expected = json.loads(row["expected"])
            case_id = f"{row['type']}:{row['text'] or '<empty>'}" + (f"@{ref}" if ref else "")
            rows.append(pytest.param(row["type"], ref, row["text"], expected, id=case_id))
    return rows


CASE_ROWS = _load_cases()


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """Internal errors fail the tests instead of being absorbed by the API's never-raise safety net."""
    monkeypatch.setattr(numbers, "_STRICT", True)


def test_table_is_well_formed() -> None:
    assert len(CASE_ROWS) >= 420
    ids = [p.id for p in CASE_ROWS]
    assert len(ids) == len(set(ids)), "duplicate case"
    for p in CASE_ROWS:
        kind, _, _, expected = p.values
        assert kind in KEYS
        assert "value" in expected and set(expected) <= KEYS[kind], p.id
        assert expected.get("approximate", True) is True and expected.get("calendar", "hijri") == "hijri", p.id


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009"])
def test_thousands_grouped_with_any_space(space: str) -> None:
    assert numbers.parse_quantity(f"40{space}000 جندي") == {"value": 40000, "unit": "جندي"}
    assert numbers.parse_money(f"2{space}500{space}000 دولار")["value"] == 2500000
    assert numbers.parse_quantity(f"2015{space}300")["value"] == 2015  # a four-digit first group is no group


@pytest.mark.parametrize(("kind", "ref", "text", "expected"), CASE_ROWS)
def test_case(kind: str, ref: dt.date | None, text: str, expected: dict) -> None:
    got = numbers.normalize(text, kind, ref)
    assert got == expected
    for key in ("value", "min", "max"):  # integers come back as int, not 3.0
        if isinstance(expected.get(key), int):
            assert type(got[key]) is int


def test_dispatcher_matches_the_parsers() -> None:
    ref = dt.date(2025, 12, 1)
    assert numbers.normalize("حوالي 130 صاروخًا", "QUANTITY") == numbers.parse_quantity("حوالي 130 صاروخًا")
    assert numbers.normalize("5 ملايين دولار", "MONEY") == numbers.parse_money("5 ملايين دولار")
    assert numbers.normalize("30 في المئة", "PERCENT") == numbers.parse_percent("30 في المئة")
    assert numbers.normalize("الشهر الماضي", "DATE", ref) == numbers.parse_date("الشهر الماضي", ref)


@pytest.mark.parametrize("bad", ["PER", "LOC", "", "NUMBER", None])
def test_unknown_type_is_a_programmer_error(bad) -> None:
    with pytest.raises(ValueError):
        numbers.normalize("5", bad)


@pytest.mark.parametrize(("text", "value"), [
    ("ثلاثة آلاف وخمسمئة", 3500), ("2.5 مليار", 2500000000), ("١٫٥ مليون", 1500000), ("7ر2", 7.2),
    ("١٬٥٠٠", 1500), ("-40", -40), ("وعشرين", 20), ("مئتان وخمسون ألفا", 250000), ("حوالي 130", None),
    ("عشرات", None), ("", None), ("صاروخ", None),
])
def test_parse_number(text: str, value) -> None:
    got = numbers.parse_number(text)
    assert got == value and type(got) is type(value)


def test_reference_date_as_datetime_or_string() -> None:
    assert numbers.parse_date("أمس", dt.datetime(2025, 12, 1, 23, 59)) == {"value": "2025-11-30"}
    assert numbers.parse_date("أمس", "2025-12-01") == {"value": "2025-11-30"}  # type: ignore[arg-type]
    assert numbers.parse_date("أمس", "not a date") == {"value": None}  # type: ignore[arg-type]


@pytest.mark.parametrize("preceding, value", [
    ("", "2026-01"), ("اعتقل منذ ", "2025-01"), ("ومنذ «", "2025-01"), ("فمنذ\n", "2025-01"),
    ("منذ 3 أيام في ", "2026-01"), ("حتى ", "2026-01"),
])
def test_a_date_after_since_has_already_come(preceding: str, value: str) -> None:
    assert numbers.normalize("يناير", "DATE", dt.date(2025, 11, 20), preceding) == {"value": value}
    assert numbers.parse_date("يناير وحتى مارس", dt.date(2025, 11, 20), preceding)["value"] == f"{value}/{value[:4]}-03"


@pytest.mark.parametrize("preceding, text, typ, bound", [
    ("تحويل مبالغ تجاوزت ", "780 مليون درهم", "MONEY", {"min": 780_000_000}),
    ("كلفة الوحدة لا تتجاوز ", "45 ألف ريال", "MONEY", {"max": 45_000}),
    ("مكافأة مالية تصل إلى ", "مليون ريال", "MONEY", {"max": 1_000_000}),
    ("في زيادة تقارب ", "38 في المئة", "PERCENT", {"approximate": True}),
    ("وتقل عن ", "5%", "PERCENT", {"max": 5}),
    ("أن عدد الأسرى يتجاوز «", "10400 أسير", "QUANTITY", {"min": 10_400}),
    ("المضبوطات تزيد على ", "300 ألف قرص", "QUANTITY", {"min": 300_000}),
    ("مدة لا تقل عن ", "5 سنوات", "QUANTITY", {"min": 5}),
])
def test_a_verb_before_the_span_bounds_it(preceding: str, text: str, typ: str, bound: dict) -> None:
    out = numbers.normalize(text, typ, None, preceding)
    assert {k: out[k] for k in ("min", "max", "approximate") if k in out} == bound


@pytest.mark.parametrize("preceding, text, typ", [
    ("ارتفع العدد ليصل إلى ", "20 قتيلا", "QUANTITY"),  # the end point of a change, not «up to»
    ("بلغت ", "412 عملية", "QUANTITY"),
    ("تزيد ", "5%", "PERCENT"),  # «تزيد 5%»: grows by, no preposition
    ("لا تقارب ", "40 في المئة", "PERCENT"),
    ("تتجاوز ", "نحو 90 حبة", "QUANTITY"),  # the span's own approximator wins
])
def test_no_bound_from_other_verbs(preceding: str, text: str, typ: str) -> None:
    out = numbers.normalize(text, typ, None, preceding)
    assert not ({"min", "max"} & set(out)) and out.get("approximate") is (True if "نحو" in text else None)


@pytest.mark.parametrize("span, following, unit", [
    ("خمسة", " من عناصر التنظيم", "عنصر"), ("أربعة", " من أفرادها", "فرد"), ("اثنين", " من مسلحي الحركة", "مسلح"),
    ("ثلاثة", " من زملائه.", "زميل"), ("عشرات", " من المدنيين", "مدني"), ("ثلاثة", " من قادة الحركة", "قائد"),
    ("ثلاثة", " منهم", None), ("ثلاثة", " من أصل خمسة", None), ("واحد", " من أبرز قادته", None),
    ("ثلاثة", " من عائلة واحدة", None), ("ثلاثة", " من الشرطة", None), ("ثلاثة", " من بينهم", None),
    ("ثلاثة", " في عناصر", None), ("15 شخصا", " من عناصر الأمن", "شخص"),
    ("نحو 9500", " من مقاتليه", "مقاتل"), ("خمسة", " من وجهاء العشائر", "وجيه"), ("ثلاثة", " من ذويه", None),
    ("أكثر من ١٠٠٠", " من الكوادر الصحية", "كادر"), ("١١", " من قياداتها، بينهم", "قيادي"),
    ("ثلاثة", " من جنودنا في", "جندي"), ("اثنين", " من عناصرنا", "عنصر"),
    ("تسعة", " من كبار الممولين،", "ممول"), ("سبعة", " من قادتها.", "قائد"), ("و9", " من تجار المخدرات", "تاجر"),
])
def test_a_partitive_gives_the_unit(span: str, following: str, unit: str | None) -> None:
    """The schema: in «خمسة من عناصر التنظيم» the span is the number and the unit is the partitive noun."""
    assert numbers.normalize(span, "QUANTITY", None, "", following).get("unit") == unit
    assert "unit" not in numbers.normalize(span, "QUANTITY") or span == "15 شخصا"


def test_tabular_hijri_calendar_is_close_to_umm_al_qura() -> None:
    # 1 Ramadan 1445 was 11 March 2024 and 1 Muharram 1446 was 7 July 2024 (Umm al-Qura).
    assert abs((numbers.hijri_to_gregorian(1445, 9, 1) - dt.date(2024, 3, 11)).days) <= 1
    assert abs((numbers.hijri_to_gregorian(1446, 1, 1) - dt.date(2024, 7, 7)).days) <= 1
    day = dt.date(2025, 12, 1)
    assert numbers.hijri_to_gregorian(*numbers.gregorian_to_hijri(day)) == day


# ----------------------------------------------------------------------------------------- properties
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@st.composite
def written_integers(draw) -> tuple[int, str]:
    n = draw(st.integers(min_value=0, max_value=999_999_999))
    sep = draw(st.sampled_from(["", ",", "٬", "."]))
    text = _grouped(n, sep) if sep else str(n)
    script = draw(st.sampled_from(["ascii", "arabic", "persian"]))
    if script == "arabic":
        text = text.translate(ARABIC_INDIC)
    elif script == "persian":
        text = text.translate(PERSIAN)
    return n, text


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_integers())
def test_integers_round_trip(case: tuple[int, str]) -> None:
    n, text = case
    assert numbers.parse_number(text) == n
    got = numbers.parse_quantity(text)
    assert got == {"value": n} and type(got["value"]) is int


NUMBER_WORDS = ["واحد", "اثنين", "ثلاثة", "خمس", "عشرة", "عشر", "عشرين", "مئة", "مائتين", "ثلاثمائة", "ألف",
                "آلاف", "ألفين", "مليون", "ملايين", "مليار", "نصف", "ربع", "أرباع", "عشرات", "مئات", "بضعة",
                "عدة", "و", "ونصف", "الـ", "حوالي", "أكثر من", "بين", "إلى", "أو", "تقريبًا", "على الأقل",
                "دولار", "ريال سعودي", "ليرة", "$", "%", "٪", "في المئة", "بالمئة", "يوليو", "تموز", "/",
                "كانون الثاني", "رمضان", "ذي الحجة", "هـ", "م", "الماضي", "المقبل", "الأشهر", "الستة",
                "أمس", "اليوم", "الثلاثاء", "الساعة", "الواحدة", "فجرًا", "إلا", "ربعًا", "قبل", "بعد",
                "يومين", "سنوات", "ساعة", "عام", "الموافق", "الخامس", "عشر", "الحادي", "والعشرين", "منذ",
                "نهاية", "مطلع", "صاروخًا", "عنصرين", "آخرين", "ـ", "ً", "ّ", "-", "–", ":", "،", "(", ")"]
DIGITS = st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹.,٫٬ر-:/+", min_size=1, max_size=12)
ARABIC_LETTERS = st.text(alphabet=[chr(c) for c in range(0x0621, 0x0653)] + [" "], min_size=1, max_size=8)
MIXED = st.lists(st.one_of(st.sampled_from(NUMBER_WORDS), DIGITS, ARABIC_LETTERS), max_size=10).map(
    lambda parts: " ".join(parts))
GLUED = st.lists(st.one_of(st.sampled_from(NUMBER_WORDS), DIGITS), max_size=6).map("".join)
REFS = st.one_of(st.none(), st.dates(), st.just(dt.date.min), st.just(dt.date.max))


def _call_everything(text: str, ref) -> None:
    assert numbers.parse_number(text) is None or isinstance(numbers.parse_number(text), (int, float))
    for kind in KEYS:
        out = numbers.normalize(text, kind, ref)
        assert "value" in out and set(out) <= KEYS[kind]
    numbers.parse_quantity(text)
    numbers.parse_money(text)
    numbers.parse_percent(text)
    numbers.parse_date(text, ref)


@settings(max_examples=1500, deadline=None)
@given(st.text(), REFS)
def test_no_text_makes_it_raise(text: str, ref) -> None:
    _call_everything(text, ref)


@settings(max_examples=2500, deadline=None)
@given(st.one_of(MIXED, GLUED), REFS)
def test_no_arabic_number_soup_makes_it_raise(text: str, ref) -> None:
    _call_everything(text, ref)


def test_non_string_input_answers_null() -> None:
    assert numbers.parse_quantity(None) == {"value": None}  # type: ignore[arg-type]
    assert numbers.parse_date(b"2024") == {"value": None}  # type: ignore[arg-type]
    assert numbers.parse_number(42) is None  # type: ignore[arg-type]


def test_recognizers_spec_check_compares_values_and_range_bounds(tmp_path: Path) -> None:
    """eval/recognizers_specs.py's code path on a hand-made spec folder (the real specs live in shared/)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("recognizers_specs",
                                                  Path(__file__).parent.parent / "eval" / "recognizers_specs.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    (tmp_path / "Number").mkdir()

    def case(text: str, value: str, unsupported: bool = False) -> dict:
        out = {"Input": f"قال {text}", "Results": [{"Text": text, "Resolution": {"value": value}}]}
        return {**out, "NotSupported": "dotnet"} if unsupported else out

    files = {"NumberModel": [case("ستة عشر", "16"), case("٤ آلاف", "4000"), case("خمسة أثمان", "0.625", True)],
             "PercentModel": [case("١٠٠ في المئة", "100%")],
             "NumberRangeModel": [case("بين ٢٠ و٣٠", "[20,30)"), case("أكثر من ١٠", "(10,)"),
                                  case("أقل من ١٠", "(10,)")]}
    for name, cases in files.items():
        (tmp_path / "Number" / f"{name}.json").write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    report = check.main(["--specs", str(tmp_path), "-o", str(tmp_path / "report.json")])
    assert report["Number/NumberModel.json"]["agree"] == {"reference passes": {"agree": 2, "cases": 2},
                                                          "reference fails": {"agree": 0, "cases": 1}}
    assert report["Number/PercentModel.json"]["agree"]["reference passes"] == {"agree": 1, "cases": 1}
    ranges = report["Number/NumberRangeModel.json"]
    assert ranges["agree"]["reference passes"] == {"agree": 2, "cases": 3}
    assert [m["text"] for m in ranges["disagreements"]] == ["أقل من ١٠"]


@pytest.mark.parametrize("text, antecedent, value", [
    ("العام السابق", "2024", "2023"), ("العام الذي سبقه", "2024-05", "2023"), ("السنة التي قبلها", "2023", "2022"),
    ("اليوم التالي", "2024-05-03", "2024-05-04"), ("الشهر السابق", "2024-01", "2023-12"),
    ("مارس من العام نفسه", "2019-11", "2019-03"), ("19 آب من ذلك العام", "2017", "2017-08-19"),
    ("العام نفسه", "2024", None), ("الشهر التالي", "2024", None), ("العام الماضي", "2024", None),
    ("الفترة نفسها من العام الماضي", "2024", None), ("الأسبوع السابق", "2024-05-03", None),
    ("العام السابق", "P3Y", None),
])
def test_an_anaphoric_date_takes_its_value_from_the_date_it_points_back_to(text, antecedent, value):
    own = numbers.normalize(text, "DATE", dt.date(2025, 6, 1))["value"]
    assert numbers.resolve_anaphor(text, own, antecedent) == value
