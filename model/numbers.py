"""Normalized values for numeric entities (QUANTITY, MONEY, PERCENT, DATE) in Arabic news.

The input is the text of one annotated entity span («حوالي 130 صاروخًا», «5 ملايين دولار», «30 في المئة»,
«شهر يوليو الماضي»); the output is the dict of normalized keys that the schema
(shared/spec/schema.md, "Normalized values on numeric entities") puts on the entity. Pure standard library, no
model, and no input string makes a public function raise: what cannot be resolved comes back as
``{"value": None}`` plus whatever could be read (a unit, a currency, bounds).

Keys are present only when they apply: ``approximate`` appears only as ``True``; ``min``/``max`` only for
bounds, ranges and vague plurals; ``unit`` only when a counted noun follows (singular where its plural is sound or
listed in PLURAL_SINGULAR: «5 صواريخ» → صاروخ), or, given the text after the span, when a plural follows a
partitive «من» («[خمسة] من عناصر التنظيم» → عنصر); ``currency`` only when a currency
word, symbol or ISO code is present (``None`` when that word does not say which currency); ``calendar`` only as
``"hijri"``. Whole numbers come back as ``int``, others as ``float``. A DATE that is a length of time takes
``approximate``/``min``/``max`` like a count, the bounds as ISO-8601 durations («أكثر من ثلاثة أسابيع» → value P3W,
min P3W); a clock time takes ``approximate`` («حوالي الساعة العاشرة»).

Conventions (decisions the schema leaves open):

* Bounds keep the number as ``value``: «أكثر من 15» → value 15, min 15; «حتى 49» → value 49, max 49. A number
  followed by «ونيف» / «أو أكثر» / «فأكثر» / «على الأقل» is a lower bound the same way; «أو أقل» / «على الأكثر»
  an upper bound.
* Ranges (بين 10 و20 · من 10 إلى 20 · 10-20 · ثلاثة أو أربعة) → value null, min, max. A scale word written only
  on the upper end is shared when that keeps the range increasing: «بين 2 و3 ملايين» → 2,000,000–3,000,000,
  but «بين 500 و3 آلاف» → 500–3,000.
* Vague quantities never get a made-up exact value: value null, approximate true, and min/max from
  ``count × unit`` where a bare plural counts 2–9 of its unit and بضع/بضعة/عدة count 3–9:
  عشرات 20–99 · مئات 200–999 · آلاف/ألوف 2,000–9,999 · ملايين 2,000,000–9,999,999 · مليارات 2e9–9,999,999,999 ·
  عشرات الآلاف 20,000–99,999 · مئات الآلاف 200,000–999,999 · عشرات الملايين 20,000,000–99,999,999 ·
  بضعة/عدة 3–9 · بضع مئات 300–999 · بضعة آلاف 3,000–9,999 · بضع عشرات 30–99 · بضعة عشر 13–19.
  «عدد من» / «العديد من» / «الكثير من» say nothing about size: value null, approximate true, no bounds.
* Thousands versus decimal marks. «٬» always groups thousands and «٫» is always decimal, as is the Egyptian «ر»
  between digits (7ر2 = 7.2). A comma groups thousands when every group after the first has exactly three
  digits (1,500 · 12,000,000); a single comma followed by other than three digits is decimal (2,5). A dot is
  decimal, except that it groups thousands when every group after the first has exactly three digits, the
  first group has one to three digits and does not start with 0, and nothing else marks it as decimal: no
  scale word follows («1.500» = 1500, «1.500.000» = 1,500,000, but «2.500 مليار» = 2.5 billion and
  «0.500» = 0.5). When a comma and a dot both occur, the last one is the decimal mark (1,234.5 · 1.234,5).
  PERCENT never reads a dot as a thousands mark (12.500% = 12.5).
* Duals. A span that is a lone noun in the dual is 2 of that noun: صاروخين، عنصرين، مسلحَين، طائرتان, and the
  construct dual that drops its nun (منصتي، وصاروخي، محطتا), also with an attached pronoun (شريكيه، شريكاه، عنصريها).
  The dual ending is stripped only when the noun stands alone (no number in the span), the stem must keep at least
  three letters, and a stem ending in ت gets back its taa marbuta (طائرتين → طائرة) unless it is a known ت-final noun
  (بيت، وقت، صوت …). A leading و/ف/ب/ل/ك is a clitic (وعنصرين، بصاروخين) unless the noun itself starts with that
  letter (a short list: وزير، بندقية، لغم …). Words that only look like duals are listed and never stripped (آخرين،
  سنين، جندي، مدني …); a nisba plural spelled like a dual (مدنيين) reads as a dual.
* The unit is the first word after the number (after a partitive «من»), in a light normal form: no
  diacritics or tatweel, no article, and the case alef of tanween dropped (صاروخًا → صاروخ, عنصراً → عنصر),
  except in the «ايا» plurals (ضحايا، خلايا); «متر مربع» keeps its adjective. Broken and sound plurals are
  kept as written (صواريخ، آخرين); only measure words are singularized (أطنان → طن، لترات → لتر،
  كيلوغرامات → كيلوغرام). A lone plural measure word is vague like any bare plural: «أطنان» → 2-9 طن.
  A clitic on the number is never carried into the unit.
* Currencies: bare دولار is USD, يورو/أورو EUR, روبية PKR, نايرا NGN, تاكا BDT; ريال، دينار، جنيه، ليرة، درهم، فرنك، شلن
  (also «فرنك أفريقي», XOF or XAF) name several currencies, so without a country adjective the currency is
  null. Subunits are converted: «50 سنتا» → 0.5 USD.
* Dates: ISO-8601-like strings; an unknown year is XXXX. A month name with «الماضي» resolves to the most recent such
  month strictly before the reference month, with «المقبل» to the next one strictly after, with «الجاري» to the
  reference year, and with nothing to the reference month itself, one of the next two months (four for the end of an
  interval), or else the most recent past one (fitted to the annotated corpus: «أبريل ويونيو» in a February article
  are coming, «مايو» in a January one and «مارس» in a November one are past). After «منذ» (the caller passes the
  text before the span, `rasid.labels.PRECEDING_CHARS` long) nothing lies ahead: «منذ يناير» in a November
  article is the past January. A bare weekday resolves to its latest occurrence on or before the reference date,
  «الماضي» strictly before, «المقبل» strictly after. Relative expressions without a reference date give null (a
  month name gives XXXX-MM). Anaphoric ones (السابق، التالي، نفسه، ذاته، الذي
  سبقه، ذلك) and a bare «الشهر» / «العام» point at a time of the story, not of the document: null here;
  `rasid predict` then places «العام السابق», «اليوم التالي» and «مارس من العام نفسه» from the latest earlier date
  of the document (`resolve_anaphor`). Weeks are ISO weeks
  (2025-W48). Durations are ISO 8601 (P6M, P3W, PT48H, P1Y6M); an unspecified count is X (PXM). Plural and dual
  periods with الماضية/المقبلة are durations (الأشهر الستة الماضية → P6M), singular ones are points (الشهر الماضي →
  2025-11). نهاية/مطلع/منتصف of a month or year give that month or year — of last month when the part of a bare
  «الشهر» begins after the reference date (منتصف الشهر on the 2nd); the first or last N months of a year are an
  interval (الأشهر التسعة الأولى من العام → 2025-01/2025-09, النصف الأول → 01/06), last year's when the reference
  date is in January–March and the interval has not begun (the season of yearly reviews). «يوم واحد» is P1D.
  Two dates joined by بين … و, من … إلى, a dash, or just «و» (24 و31 يناير، الأحد والثلاثاء) are written start/end,
  two hours too, a part of the day written on the upper end only shared with the lower one when the range stays
  increasing (4:00 و9:30 مساءً → T16:00/T21:30); two lengths of one unit are a range, min and max without a value
  (5 و10 سنوات، 3-5 أيام → P3D to P5D). A news agency dateline «3 - 6» with no month name is day 3 of month 6.
  Hijri months give the Hijri value with calendar hijri; they are resolved against the reference date with the
  arithmetical (tabular) Hijri calendar, which can differ from Umm al-Qura by a day or two. A bare year is Gregorian
  unless هـ / هجري / للهجرة or a Hijri month marks it. When a Hijri and a Gregorian date are given together («…
  الموافق …»), the Gregorian one is the value. A century is its two leading digits (القرن التاسع → 08, القرن الـ19 →
  18, القرن الرابع الهجري → 03 hijri), a decade three (ثمانينيات القرن الماضي → 198X); the weekdays of a night («ليل
  السبت الأحد») are written start/end.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from fractions import Fraction
from typing import Any, Iterator, NamedTuple

from .text import normalize as _normalize_text

__all__ = ["normalize", "parse_number", "parse_quantity", "parse_money", "parse_percent", "parse_date"]

TYPES = ("QUANTITY", "MONEY", "PERCENT", "DATE")

# Set by the tests: the public functions then let an internal error through instead of answering
# {"value": None}, so that the safety net is proven unnecessary rather than silently relied on.
_STRICT = False

# ---------------------------------------------------------------------------------------------- folding
# Matching folds the spelling variants news text mixes freely (hamza seats, alef maqsura, taa marbuta, Persian
# letters); units are reported from the unfolded text. The fold is one character to one character, so indices
# in the folded key are indices in the surface form.
_FOLD = {ord(a): b for a, b in {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ې": "ي", "ک": "ك", "ۀ": "ه",
    "ھ": "ه", "ە": "ه",
}.items()}
_FOLD.update({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})


def _fold(s: str) -> str:
    return s.translate(_FOLD)


def _folded(table: dict[str, Any]) -> dict[str, Any]:
    return {_fold(k): v for k, v in table.items()}


# ------------------------------------------------------------------------------------------------ tables
def _words(spec: dict[Any, str]) -> dict[str, Any]:
    """{value: "word word …"} → {folded word: value}; keeps the tables below readable."""
    out: dict[str, Any] = {}
    for value, words in spec.items():
        for w in words.split():
            out[_fold(w)] = value
    return out


# Number words: kind, value, form. Kinds: unit (0-9), ten10 (عشر/عشرة), tens (20-90), mia (a bare «مئة» that a
# unit before it can multiply), hund (a whole hundreds word), scale, frac, fracmul (أرباع: three quarters).
NUMBER_WORDS: dict[str, tuple[str, Fraction, str]] = {}


def _add_numbers(kind: str, spec: dict[Any, str], form: str = "") -> None:
    for word, value in _words(spec).items():
        NUMBER_WORDS[word] = (kind, Fraction(value), form)


_add_numbers("unit", {
    0: "صفر", 1: "واحد واحدة أحد إحدى",
    2: "اثنان اثنين اثنا اثني اثنتان اثنتين اثنتا اثنتي ثنتان ثنتين",
    3: "ثلاث ثلاثة", 4: "أربع أربعة", 5: "خمس خمسة", 6: "ست ستة", 7: "سبع سبعة", 8: "ثمان ثماني ثمانية",
    9: "تسع تسعة",
})
_add_numbers("ten10", {10: "عشر عشرة"})
_add_numbers("tens", {
    20: "عشرون عشرين", 30: "ثلاثون ثلاثين", 40: "أربعون أربعين", 50: "خمسون خمسين", 60: "ستون ستين",
    70: "سبعون سبعين", 80: "ثمانون ثمانين", 90: "تسعون تسعين",
})
_add_numbers("mia", {100: "مئة مائة مية ماية"})
_add_numbers("hund", {200: "مئتان مئتين مئتا مئتي مائتان مائتين مائتا مائتي ميتين"})
_HUNDRED_STEMS = {3: "ثلاث ثلث", 4: "أربع", 5: "خمس", 6: "ست", 7: "سبع", 8: "ثمان ثماني", 9: "تسع"}
_add_numbers("hund", {n * 100: " ".join(s + h for s in stems.split() for h in ("مئة", "مائة", "مية"))
                      for n, stems in _HUNDRED_STEMS.items()})
# Scale forms: s singular, d dual (2 × scale), a «ألفا / مليونا» (tamyeez accusative after a number; first in a
# span, a dual construct before its noun, else the accusative of one), p plural (× after 3-10; alone it is vague).
_add_numbers("scale", {1000: "ألف", 10**6: "مليون", 10**9: "مليار بليون", 10**12: "تريليون ترليون"}, "s")
_add_numbers("scale", {1000: "ألفا", 10**6: "مليونا", 10**9: "مليارا بليونا", 10**12: "تريليونا"}, "a")
_add_numbers("scale", {1000: "ألفان ألفين ألفي", 10**6: "مليونان مليونين مليوني",
                       10**9: "ملياران مليارين ملياري بليونين", 10**12: "تريليونين"}, "d")
_add_numbers("scale", {1000: "آلاف ألوف", 10**6: "ملايين", 10**9: "مليارات بلايين", 10**12: "تريليونات"}, "p")
_add_numbers("frac", {Fraction(1, 2): "نصف نص", Fraction(1, 4): "ربع", Fraction(1, 3): "ثلث",
                      Fraction(2, 3): "ثلثا ثلثي ثلثين ثلثان"})
_add_numbers("fracmul", {Fraction(1, 4): "أرباع", Fraction(1, 3): "أثلاث", Fraction(1, 5): "أخماس"})

# Vague quantities: a count range (بضع/عدة) and plural units that multiply it.
VAGUE_COUNTS = _words({(3, 9): "بضع بضعة عدة"})
VAGUE_PLURALS = _words({10: "عشرات", 100: "مئات", 1000: "آلاف آلافا ألوف", 10**6: "ملايين",
                        10**9: "مليارات بلايين"})

# Words before the number. Values: approx, min, max, between, from, vague (size unknown).
PREFIXES: dict[str, str] = {
    "حوالي": "approx", "نحو": "approx", "قرابة": "approx", "زهاء": "approx", "ما يقرب من": "approx",
    "يقرب من": "approx", "ما يقارب": "approx", "يقارب": "approx", "ما يناهز": "approx", "يناهز": "approx",
    "تقريبا": "approx", "في حدود": "approx", "حدود": "approx", "ما يقدر": "approx", "يقدر": "approx",
    "أكثر من": "min", "أكثر بقليل من": "min", "أكثر قليلا من": "min", "ما يزيد على": "min",
    "ما يزيد عن": "min", "يزيد على": "min", "يزيد عن": "min", "ما لا يقل عن": "min", "ما لا يقل على": "min",
    "لا يقل عن": "min", "على الأقل": "min", "أزيد من": "min", "ما يربو على": "min", "يربو على": "min",
    "ما يفوق": "min", "يفوق": "min", "ما فوق": "min", "فوق": "min", "بحد أدنى": "min", "كحد أدنى": "min",
    "ما يتجاوز": "min", "يتجاوز": "min", "أكبر من": "min", "أعلى من": "min", "لا أقل من": "min",
    # the same verbs agreeing with a feminine subject («نسبة … تتجاوز 40%»، «خسائر تناهز 750 مليون دولار»)
    "ما تقارب": "approx", "تقارب": "approx", "ما تناهز": "approx", "تناهز": "approx", "تقدر": "approx",
    "تزيد على": "min", "تزيد عن": "min", "لا تقل عن": "min", "تربو على": "min", "تفوق": "min", "تتجاوز": "min",
    "تصل إلى": "max", "لا تزيد على": "max", "لا تزيد عن": "max", "لا تتجاوز": "max",
    "أقل من": "max", "أقل بقليل من": "max", "حتى": "max", "ما يصل إلى": "max", "يصل إلى": "max",
    "لا يزيد على": "max", "لا يزيد عن": "max", "ما لا يزيد على": "max", "ما لا يزيد عن": "max",
    "ما لا يتجاوز": "max", "لا يتجاوز": "max", "ما دون": "max", "دون": "max", "بحد أقصى": "max",
    "كحد أقصى": "max", "على الأكثر": "max", "أصغر من": "max", "أدنى من": "max", "تحت": "max",
    "لا أكثر من": "max",
    "بين": "between", "ما بين": "between", "من": "from",
    "عدد من": "vague", "العديد من": "vague", "عدد كبير من": "vague", "الكثير من": "vague",
    "كثير من": "vague",
}
SUFFIXES: dict[str, str] = {
    "تقريبا": "approx", "بالتقريب": "approx", "على الأقل": "min", "أو أكثر": "min", "فأكثر": "min",
    "وأكثر": "min", "فما فوق": "min", "ونيف": "min", "و نيف": "min", "على الأكثر": "max", "أو أقل": "max",
    "فأقل": "max", "فما دون": "max", "فقط": "none", "عدة": "none",
}
# Words that are never a counted noun: after the number they end the search for a unit.
FUNCTION_WORDS = set(_words({0: "إلى الى أو في على عن حتى مع منذ خلال بين ثم قد كما التي الذي الذين منهم "
                                   "منها منهما منهن منكم منا"}))
RANGE_LINKS = _words({"to": "إلى الى حتى ل", "or": "أو"})
# Tokens that carry nothing before a number: a detached clitic (بـ 5 → «ب»), the article of «الـ24».
LEADING_CLITICS = set(_words({0: "و ب ل ف ك ال وال بال لل فال كال وب ول وبال ولل"}))

# Measure words: plural → singular, dual → singular. A lone plural measure word is vague like any bare plural
# (2-9 of its unit): «أطنان» → min 2, max 9, unit طن.
MEASURE_PLURALS = _folded({
    "أطنان": "طن", "لترات": "لتر", "ليترات": "ليتر", "كيلوغرامات": "كيلوغرام", "كيلوجرامات": "كيلوجرام",
    "غرامات": "غرام", "جرامات": "جرام", "أمتار": "متر", "كيلومترات": "كيلومتر", "أميال": "ميل",
    "براميل": "برميل", "أقدام": "قدم", "كيلوات": "كيلو", "هكتارات": "هكتار", "غالونات": "غالون",
    "أونصات": "أونصة", "قناطير": "قنطار",
})
MEASURE_DUALS = _folded({"طنين": "طن", "طنان": "طن", "لترين": "لتر", "مترين": "متر", "برميلين": "برميل",
                         "كيلوين": "كيلو", "كيلومترين": "كيلومتر", "ميلين": "ميل", "كيلوغرامين": "كيلوغرام",
                         "كيلوغرامان": "كيلوغرام", "كيلوجرامين": "كيلوجرام", "كيلوجرامان": "كيلوجرام",
                         "غرامين": "غرام", "جرامين": "جرام"})
MEASURE_SINGULAR = {**MEASURE_PLURALS, **MEASURE_DUALS}
# Plurals of the nouns counted in security news → their singular, the schema's unit («5 صواريخ» → صاروخ). Sound
# masculine plurals need no entry (``_singular`` strips «ين»/«ون»); a feminine «ات» plural does, because its
# singular may or may not end in «ة» (عبوات → عبوة, مستودعات → مستودع).
PLURAL_SINGULAR = _folded({
    "أشخاص": "شخص", "عناصر": "عنصر", "بنادق": "بندقية", "جنود": "جندي", "هواتف": "هاتف", "منازل": "منزل",
    "مخازن": "مخزن", "شبان": "شاب", "أطفال": "طفل", "نساء": "امرأة", "صواريخ": "صاروخ", "أحزمة": "حزام",
    "قطع": "قطعة", "بحارة": "بحار", "مخابئ": "مخبأ", "أنفاق": "نفق", "أجهزة": "جهاز", "قذائف": "قذيفة",
    "قنابل": "قنبلة", "مواقع": "موقع", "دول": "دولة", "زوارق": "زورق", "قرى": "قرية", "قوارب": "قارب",
    "أجانب": "أجنبي", "أفراد": "فرد", "معامل": "معمل", "رجال": "رجل", "عمال": "عامل", "أوكار": "وكر",
    "أسلحة": "سلاح", "جثث": "جثة", "قراصنة": "قرصان", "رهائن": "رهينة", "قتلى": "قتيل", "نقاط": "نقطة",
    "حواسيب": "حاسوب", "محال": "محل", "خلايا": "خلية", "صهاريج": "صهريج", "كهوف": "كهف", "مراكب": "مركب",
    "أبراج": "برج", "جرحى": "جريح", "سفن": "سفينة", "قواذف": "قاذف", "محاور": "محور", "سجناء": "سجين",
    "زوار": "زائر", "قضايا": "قضية", "أفدنة": "فدان", "ورش": "ورشة", "قواعد": "قاعدة", "حقائب": "حقيبة",
    "ضباط": "ضابط", "ألغام": "لغم", "آبار": "بئر", "مدارس": "مدرسة", "طلاب": "طالب", "مساكن": "مسكن",
    "معابر": "معبر", "ملاجئ": "ملجأ", "أعضاء": "عضو", "أطباء": "طبيب", "علماء": "عالم", "مراحل": "مرحلة",
    "أحكام": "حكم", "مراكز": "مركز", "أهداف": "هدف", "سيوف": "سيف", "صواعق": "صاعق", "مرضى": "مريض",
    "أسرى": "أسير", "شهداء": "شهيد", "سكاكين": "سكين", "مدافع": "مدفع", "طائرات": "طائرة", "سيارات": "سيارة",
    "شاحنات": "شاحنة", "عبوات": "عبوة", "دراجات": "دراجة", "عربات": "عربة", "مسيرات": "مسيرة",
    "مسدسات": "مسدس", "مركبات": "مركبة", "هجمات": "هجوم", "آليات": "آلية", "رشاشات": "رشاش",
    "مضافات": "مضافة", "مستودعات": "مستودع", "غارات": "غارة", "عمليات": "عملية", "شركات": "شركة",
    "شحنات": "شحنة", "محركات": "محرك", "منصات": "منصة", "ضربات": "ضربة", "ولايات": "ولاية",
    "عائلات": "عائلة", "قاذفات": "قاذفة", "مستشفيات": "مستشفى", "مذكرات": "مذكرة", "محافظات": "محافظة",
    "حافلات": "حافلة", "معسكرات": "معسكر", "مخطوطات": "مخطوطة", "خزانات": "خزان", "مدرعات": "مدرعة",
    "محاولات": "محاولة", "عقارات": "عقار", "حاويات": "حاوية", "شبكات": "شبكة", "سيدات": "سيدة",
    "مقاطعات": "مقاطعة", "دبابات": "دبابة", "مرات": "مرة", "طلقات": "طلقة", "مداهمات": "مداهمة",
    "ورشات": "ورشة", "بطاقات": "بطاقة", "حسابات": "حساب", "حالات": "حالة", "مختبرات": "مختبر", "مقرات": "مقر",
    "بلدات": "بلدة", "محطات": "محطة", "راجمات": "راجمة", "مولدات": "مولد", "حملات": "حملة", "ناقلات": "ناقلة",
    "كاميرات": "كاميرا", "منظومات": "منظومة", "مواجهات": "مواجهة", "بلاغات": "بلاغ", "مخيمات": "مخيم",
    "جماعات": "جماعة", "ملفات": "ملف", "إصابات": "إصابة", "منشآت": "منشأة", "وحدات": "وحدة",
    "حكومات": "حكومة", "تنظيمات": "تنظيم", "تشكيلات": "تشكيل", "جولات": "جولة", "محلات": "محل",
    "سترات": "سترة", "جلسات": "جلسة", "طلبات": "طلب", "وفيات": "وفاة", "اعتداءات": "اعتداء",
    "تفجيرات": "تفجير", "انفجارات": "انفجار", "اشتباكات": "اشتباك", "بيوت": "بيت", "مساجد": "مسجد", "كنائس": "كنيسة",
    "رؤوس": "رأس", "أسر": "أسرة", "آخران": "آخر", "مبان": "مبنى", "جسور": "جسر", "أكياس": "كيس", "صناديق": "صندوق",
    "زجاجات": "زجاجة", "قارورات": "قارورة", "علب": "علبة", "خراطيش": "خرطوشة", "شرائح": "شريحة", "وثائق": "وثيقة",
    "مقاتلات": "مقاتلة", "مروحيات": "مروحية", "مدن": "مدينة", "بلدان": "بلد", "أحياء": "حي", "مناطق": "منطقة",
    "قادة": "قائد", "رفاق": "رفيق", "زملاء": "زميل", "شركاء": "شريك", "أبناء": "ابن", "ضحايا": "ضحية",
    "حراس": "حارس", "أمراء": "أمير", "أشقاء": "شقيق", "أقارب": "قريب", "إخوة": "أخ", "أنصار": "نصير",
    "أتباع": "تابع", "أعوان": "عون", "رعايا": "رعية", "وجهاء": "وجيه", "شيوخ": "شيخ",
    "نواب": "نائب", "رمانات": "رمانة", "جزر": "جزيرة", "آلات": "آلة", "طوابق": "طابق",
    "كوادر": "كادر", "قيادات": "قيادي", "عملاء": "عميل", "مخاتير": "مختار", "دواعش": "داعشي", "وزراء": "وزير",
    "ركاب": "راكب", "طالبات": "طالبة", "مجندات": "مجندة", "ممرضات": "ممرضة", "مجازر": "مجزرة", "أقراص": "قرص",
    "فتحات": "فتحة", "فرص": "فرصة", "درجات": "درجة", "حوالات": "حوالة", "أطقم": "طقم", "مؤسسات": "مؤسسة",
    "رادارات": "رادار", "رافعات": "رافعة", "عجلات": "عجلة", "غرف": "غرفة", "طبنجات": "طبنجة", "مطارق": "مطرقة",
    "أكداس": "كدس", "بؤر": "بؤرة", "دونمات": "دونم", "مكتبات": "مكتبة", "مقالات": "مقال", "آخرين": "آخر",
    "مباني": "مبنى", "لنشات": "لنش", "حرائق": "حريق", "قصر": "قاصر", "رعاة": "راعي",
    "تجار": "تاجر", "أبطال": "بطل", "نزلاء": "نزيل", "أحداث": "حدث", "أدوات": "أداة", "مصانع": "مصنع",
    "صالونات": "صالون", "كراتين": "كرتون", "دفاتر": "دفتر", "دوائر": "دائرة",
})
# Words after a partitive «من» that do not name what was counted: «ثلاثة من أصل خمسة»، «واحد من أبرز قادته».
NOT_PARTITIVE = set(_words({0: "أصل بين كل مجموع إجمالي جملة أبرز أكبر أهم أخطر أشد أقدم أكثر أقل أول أوائل "
                                "أصغر أحدث أفضل نحو حوالي"}))
# Adjectives between a partitive «من» and the counted noun.
_PARTITIVE_ADJECTIVES = set(_words({0: "كبار صغار"}))
# Possessive pronouns on a partitive noun: «خمسة من أفرادها»، «ثلاثة من رفاقهم».
_POSSESSIVE_SUFFIXES = ("هما", "هم", "هن", "ها", "نا", "كم", "ه")
# Words in «ين»/«ون» that are not sound plurals.
NOT_SOUND_PLURAL = set(_words({0: "فلسطين بنزين تأمين تموين تكوين تدوين قانون زيتون صابون كانون طاعون عربون "
                                   "مضمون ماعون غالون بالون صالون ليمون تلفزيون كبتاغون كبتاجون هيروين "
                                   "كوكايين فيتامين بروتين"}))
AREA_WORDS = set(_words({0: "مربع مربعا مكعب مكعبا"}))
LENGTH_UNITS = set(_words({0: "متر كيلومتر ميل قدم كم سنتيمتر"}))

# Plural or non-dual words that end like a dual. Checked on the folded stem, article removed.
NOT_DUAL = set(_words({0: (
    "آخرين أخرين سنين ملايين بلايين عشرين ثلاثين أربعين خمسين ستين سبعين ثمانين تسعين اثنين اثنتين "
    "فلسطين البحرين بحرين الصين صين لبنان إيران عمان السودان سودان اليابان يابان باكستان أفغانستان الشيشان "
    "طيران عدوان ميدان بركان إنسان سكان ضمان أمان عنوان بستان لسان رمضان شعبان سلطان برلمان "
    "ثمانين ميادين قوانين دواوين براكين سلاطين مساكين ملاعين شياطين عناوين بساتين ميادين "
    # singular nouns and nisba adjectives in ي that are not construct duals
    "جندي قيادي مدني عسكري أمني إرهابي شرطي صحفي أجنبي قاضي محامي كرسي حوثي تكفيري داعشي انتحاري ضحايا "
    # words whose final «ه» is a root letter after an alef, not a pronoun on a dual
    "اتجاه انتباه إكراه أشباه مياه شفاه أفواه رفاه جباه")}))
# Nouns (singular, folded) that begin with a letter that is also a clitic: their duals keep that letter.
CLITIC_INITIAL_NOUNS = set(_words({0: (
    "وزير وفد وقت وحدة وثيقة واقعة ولاية وكالة وسيلة ولد وجبة واد بلد بيت بيان باخرة برج بئر بند بنك بلدة "
    "بطارية بندقية برميل بحر لواء لغم لجنة لقاء لاعب كتيبة كمين كلب كنيسة كرسي كيس فريق فرقة فصيل فتاة "
    "فندق فوج ورشة ورقة وزارة وظيفة وسيط كاميرة كاميرا كتلة كلية كمية كرة كرفان فتحة فرصة فكرة فئة بوابة "
    "بعثة بناية باص بلاغ لائحة لوحة بحار باحث بائع وكيل واعظ كاتب لاجئ لص فلاح بدوي "
    # nisba adjectives of countries and peoples: «لبنانيين اثنين» are two Lebanese, not «ل» + «بنانيين»
    "لبناني ليبي بريطاني بحريني بلجيكي باكستاني بنغالي بورمي فلسطيني فرنسي فنزويلي فلبيني فنلندي كويتي كردي "
    "كندي كوري كيني كولومبي كوبي")}))
T_FINAL = set(_words({0: "بيت وقت صوت زيت موت تابوت سبت نبت كبريت ياقوت"}))
# Attached pronouns after a construct dual («شريكيه» his two partners); raw text, so a taa marbuta is no «ه».
_DUAL_PRONOUNS = ("هما", "هم", "ها", "ه")

# Currencies: a noun lemma, the adjectives that pick a currency, and the currency when no adjective follows.
CURRENCY_NOUNS: dict[str, tuple[str, str]] = {}
for _lemma, _forms in {
    "دولار": "دولار دولارا دولارات دولارين دولاران",
    "يورو": "يورو", "ليرة": "ليرة ليرات ليرتين ليرتان ليره",
    "دينار": "دينار دينارا دنانير دينارين ديناران", "ريال": "ريال ريالا ريالات ريالين ريالان",
    "درهم": "درهم درهما دراهم درهمين درهمان", "جنيه": "جنيه جنيها جنيهات جنيهين جنيهان",
    "إسترليني": "إسترليني استرليني", "فرنك": "فرنك فرنكا فرنكات فرنكين",
    "شيكل": "شيكل شيكلا شيكلات شواكل شيقل شيقلا شيكلين", "روبل": "روبل روبلا روبلات روبلين",
    "يوان": "يوان", "ين": "ين", "روبية": "روبية روبيات روبيتين", "أوقية": "أوقية أوقيات",
    "كرونة": "كرونة كرونات", "وون": "وون", "نايرا": "نايرا نيرة", "هريفنيا": "هريفنيا", "بيزو": "بيزو",
    "أفغاني": "أفغاني أفغانيا", "سنت": "سنت سنتا سنتات سنتين", "تاكا": "تاكا", "سنتيم": "سنتيم سنتيما سنتيمات",
    "شلن": "شلن شلنا شلنات شلينغ شلينات شلنين",
}.items():
    for _w in _forms.split():
        CURRENCY_NOUNS[_fold(_w)] = (_fold(_lemma), "d" if _w.endswith(("ين", "ان", "تين")) else "")
for _w in ("أورو", "يوروهات"):  # the Maghreb spelling, a plural
    CURRENCY_NOUNS[_fold(_w)] = (_fold("يورو"), "")
CURRENCY_ADJECTIVES: dict[str, dict[str, str]] = {_fold(k): _folded(v) for k, v in {
    "دولار": {"أمريكي": "USD", "أميركي": "USD", "كندي": "CAD", "أسترالي": "AUD", "استرالي": "AUD",
              "نيوزيلندي": "NZD", "سنغافوري": "SGD", "هونغ كونغ": "HKD", "تايواني": "TWD"},
    "يورو": {"أوروبي": "EUR"},
    "ليرة": {"سوري": "SYP", "تركي": "TRY", "لبناني": "LBP"},
    "دينار": {"عراقي": "IQD", "أردني": "JOD", "ليبي": "LYD", "كويتي": "KWD", "بحريني": "BHD",
              "جزائري": "DZD", "تونسي": "TND", "صربي": "RSD"},
    "ريال": {"سعودي": "SAR", "يمني": "YER", "قطري": "QAR", "عماني": "OMR", "إيراني": "IRR", "برازيلي": "BRL"},
    "درهم": {"إماراتي": "AED", "اماراتي": "AED", "مغربي": "MAD"},
    "جنيه": {"مصري": "EGP", "سوداني": "SDG", "جنوب سوداني": "SSP", "إسترليني": "GBP", "استرليني": "GBP"},
    "فرنك": {"سويسري": "CHF", "سي إف إيه": "XOF", "سيفا": "XOF", "غرب أفريقي": "XOF", "غرب إفريقي": "XOF",
             "وسط أفريقي": "XAF", "وسط إفريقي": "XAF", "جيبوتي": "DJF", "كونغولي": "CDF", "غيني": "GNF"},
    "روبية": {"باكستاني": "PKR", "هندي": "INR", "إندونيسي": "IDR", "سريلانكي": "LKR", "نيبالي": "NPR"},
    "كرونة": {"سويدي": "SEK", "نرويجي": "NOK", "دنماركي": "DKK"},
    "وون": {"كوري": "KRW", "كوري جنوبي": "KRW", "كوري شمالي": "KPW"},
    "شلن": {"صومالي": "SOS", "كيني": "KES", "أوغندي": "UGX", "تنزاني": "TZS"},
    "يوان": {"صيني": "CNY"}, "ين": {"ياباني": "JPY"}, "روبل": {"روسي": "RUB"},
    "شيكل": {"إسرائيلي": "ILS", "جديد": "ILS"}, "أوقية": {"موريتاني": "MRU"},
    "بيزو": {"مكسيكي": "MXN", "أرجنتيني": "ARS", "فلبيني": "PHP", "كولومبي": "COP", "تشيلي": "CLP"},
}.items()}
CURRENCY_DEFAULT = _folded({"دولار": "USD", "يورو": "EUR", "إسترليني": "GBP", "شيكل": "ILS", "روبل": "RUB",
                            "يوان": "CNY", "ين": "JPY", "أوقية": "MRU", "روبية": "PKR", "نايرا": "NGN",
                            "هريفنيا": "UAH", "أفغاني": "AFN", "سنت": "USD", "تاكا": "BDT"})
# Subunits: the amount is converted to the currency's unit («50 سنتا» → 0.5 USD).
CURRENCY_SUBUNITS = _folded({"سنت": 100, "سنتيم": 100})  # the Maghreb counts in centimes of the dinar or dirham
CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₺": "TRY", "₪": "ILS", "₽": "RUB", "₹": "INR",
                    "¥": None}
# Abbreviations newsrooms write after an amount: «500 دج», «20 د.ك», «300 ر.س».
CURRENCY_ABBREVIATIONS = {"دج": "DZD", "د.ج": "DZD", "د.ك": "KWD", "ر.س": "SAR", "د.إ": "AED", "ج.م": "EGP",
                          "ل.ل": "LBP", "د.ت": "TND", "د.أ": "JOD", "د.ع": "IQD", "ر.ق": "QAR", "ر.ع": "OMR",
                          "د.ب": "BHD", "د.ل": "LYD", "ل.س": "SYP", "ج.س": "SDG", "د.م": "MAD"}
_CURRENCY_ABBREVIATION_RE = re.compile(r"(?<!\w)(" + "|".join(
    re.escape(a).replace(r"\.", r"\s?\.\s?") for a in CURRENCY_ABBREVIATIONS) + r")(?!\w)")
ISO_CODES = ({code for table in CURRENCY_ADJECTIVES.values() for code in table.values()}
             | set(CURRENCY_DEFAULT.values()) | {"USD", "EUR", "GBP", "CHF", "JPY"})
PERCENT_WORDS = _words({0: "المئة المائة المية الماية مئة مائة مئوية مئوي"})

# Dates.
GREGORIAN_MONTHS = _folded({
    "يناير": 1, "كانون الثاني": 1, "كانون ثاني": 1, "جانفي": 1, "جانفييه": 1,
    "فبراير": 2, "شباط": 2, "فيفري": 2, "فبرير": 2,
    "مارس": 3, "آذار": 3,
    "أبريل": 4, "ابريل": 4, "إبريل": 4, "نيسان": 4, "أفريل": 4, "افريل": 4,
    "مايو": 5, "أيار": 5, "ماي": 5, "ماييو": 5,
    "يونيو": 6, "يونيه": 6, "حزيران": 6, "جوان": 6,
    "يوليو": 7, "يوليه": 7, "تموز": 7, "جويلية": 7, "يوليوز": 7,
    "أغسطس": 8, "آب": 8, "أوت": 8, "غشت": 8,
    "سبتمبر": 9, "أيلول": 9, "شتنبر": 9,
    "أكتوبر": 10, "تشرين الأول": 10, "تشرين أول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11, "تشرين ثاني": 11, "نونبر": 11,
    "ديسمبر": 12, "كانون الأول": 12, "كانون أول": 12, "دجنبر": 12,
})
HIJRI_MONTHS = _folded({
    "محرم": 1, "المحرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع أول": 3, "ربيع الآخر": 4, "ربيع الثاني": 4,
    "ربيع ثاني": 4, "ربيع آخر": 4, "جمادى الأولى": 5, "جمادى الأول": 5, "جمادى الآخرة": 6, "جمادى الثانية": 6,
    "جمادى الآخر": 6, "جمادى الثاني": 6, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعدة": 11, "ذي القعدة": 11, "ذا القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12, "ذا الحجة": 12,
})
WEEKDAYS = _folded({"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3, "الجمعة": 4,
                    "السبت": 5, "الأحد": 6, "ثلاثاء": 1, "أربعاء": 2, "خميس": 3, "جمعة": 4, "سبت": 5})
RELATIVE_DAYS = _folded({"اليوم": 0, "الليلة": 0, "أمس": -1, "الأمس": -1, "البارحة": -1, "غدا": 1,
                         "الغد": 1, "غد": 1, "أول أمس": -2, "أمس الأول": -2, "أول من أمس": -2, "قبل أمس": -2,
                         "بعد غد": 2, "بعد غدا": 2, "الليلة الماضية": -1, "الليلة قبل الماضية": -2})
SHIFTS = _words({-1: "الماضي الماضية الماضيين الماضيتين المنصرم المنصرمة المنصرمين الفائت الفائتة "
                     "الفارط الفارطة المنقضي المنقضية الأخير الأخيرة الأخيرين الأخيرتين",
                 1: "المقبل المقبلة المقبلين المقبلتين القادم القادمة القادمين القادمتين الآتي الآتية",
                 0: "الحالي الحالية الجاري الجارية هذا هذه"})
# Words that place a period relative to a time of the story, not to the document date: «العام السابق»،
# «اليوم التالي»، «الشهر نفسه»، «العام الذي سبقه». Such a point is not resolvable from the span.
ANAPHORS = set(_words({0: "السابق السابقة السابقين التالي التالية اللاحق اللاحقة نفسه نفسها ذاته ذاتها عينه "
                          "عينها سبقه سبقها قبله قبلها تلاه تلاها تلته بعده بعدها ذلك تلك"}))
# Words that keep a date with an anaphor tied to the document's date or make it a period: «الفترة نفسها من العام
# الماضي» is last year's stretch of the story's period, not the story's year.
NOT_ANAPHORIC = set(_words({0: "الماضي الماضية المقبل المقبلة القادم القادمة الجاري الجارية الحالي الحالية الفترة "
                                "المدة"}))
# Which way an anaphoric date moves from the date it points back to: «العام السابق» -1, «العام التالي» +1.
ANAPHOR_SHIFT = _words({-1: "السابق السابقة سبقه سبقها قبله قبلها",
                         1: "التالي التالية اللاحق اللاحقة تلاه تلاها تلته بعده بعدها"})
RECENT = set(_words({0: "الأخير الأخيرة الأخيرين الأخيرتين"}))
# Period units: code and form (s singular, d dual, p plural).
TIME_UNITS: dict[str, tuple[str, str]] = {}
for _code, _spec in {
    "D": {"s": "يوم يوما ليلة", "d": "يومين يومان ليلتين ليلتان", "p": "أيام أياما ليال ليالي"},
    "W": {"s": "أسبوع أسبوعا", "d": "أسبوعين أسبوعان", "p": "أسابيع"},
    "M": {"s": "شهر شهرا", "d": "شهرين شهران", "p": "أشهر أشهرا شهور شهورا"},
    "Y": {"s": "سنة عام عاما", "d": "سنتين سنتان عامين عامان", "p": "سنوات سنين سنون أعوام أعواما"},
    "H": {"s": "ساعة", "d": "ساعتين ساعتان", "p": "ساعات"},
    "MIN": {"s": "دقيقة", "d": "دقيقتين دقيقتان", "p": "دقائق"},
    "S": {"s": "ثانية", "d": "ثانيتين ثانيتان", "p": "ثوان ثواني"},
    "DEC": {"s": "عقد", "d": "عقدين عقدان", "p": "عقود"},
    "CEN": {"s": "قرن", "d": "قرنين قرنان", "p": "قرون"},
}.items():
    for _form, _ws in _spec.items():
        for _w in _ws.split():
            TIME_UNITS[_fold(_w)] = (_code, _form)
ERAS = _words({"g": "م ميلادي ميلادية الميلادي الميلادية للميلاد",
               "h": "ه هجري هجرية الهجري الهجرية للهجرة"})
DAY_PERIODS = _words({"F": "فجر فجرا الفجر", "AM": "صباح صباحا الصباح ضحى الضحى",
                      "NOON": "ظهر ظهرا الظهر ظهيرة الظهيرة", "ASR": "عصر عصرا العصر",
                      "EV": "مساء مساءا المساء عشية", "NI": "ليل ليلا الليل ليلة"})
# Parts of a period, by the third of it they name: start, middle, end.
PARTS = _words({0: "مطلع أوائل بداية مستهل أول", 1: "منتصف أواسط", 2: "نهاية أواخر آخر ختام"})
# The first day of each third of a month: a part of «الشهر» that starts after the reference date is last month's.
_PART_FIRST_DAY = (1, 11, 21)
SEASONS = _words({"SU": "صيف الصيف", "WI": "شتاء الشتاء", "SP": "ربيع الربيع", "FA": "خريف الخريف"})
ORDINALS = _words({1: "الأول الأولى الحادي الحادية أول", 2: "الثاني الثانية", 3: "الثالث الثالثة",
                   4: "الرابع الرابعة", 5: "الخامس الخامسة", 6: "السادس السادسة", 7: "السابع السابعة",
                   8: "الثامن الثامنة", 9: "التاسع التاسعة", 10: "العاشر العاشرة"})
# Multi-word date expressions: value is an atom (kind, v, w, x).
DATE_PHRASES: dict[str, tuple] = {}
for _name, _m in GREGORIAN_MONTHS.items():
    DATE_PHRASES[_name] = ("month", _m, "g")
for _name, _m in HIJRI_MONTHS.items():
    DATE_PHRASES[_name] = ("month", _m, "h")
for _name, _d in RELATIVE_DAYS.items():
    DATE_PHRASES[_name] = ("relday", _d)
DATE_PHRASES.update(_folded({
    "عيد الفطر": ("holiday", 10, 1, "h"), "عيد الأضحى": ("holiday", 12, 10, "h"),
    "يوم عرفة": ("holiday", 12, 9, "h"), "رأس السنة الهجرية": ("holiday", 1, 1, "h"),
    "المولد النبوي": ("holiday", 3, 12, "h"), "عاشوراء": ("holiday", 1, 10, "h"),
    "عيد الميلاد": ("holiday", 12, 25, "g"), "رأس السنة الميلادية": ("holiday", 1, 1, "g"),
    "رأس السنة": ("holiday", 1, 1, "g"),
    "منتصف الليل": ("time", 0, 0), "منتصف ليل": ("time", 0, 0), "منتصف النهار": ("time", 12, 0),
    "الربع الأول": ("quarter", 1), "الربع الثاني": ("quarter", 2), "الربع الثالث": ("quarter", 3),
    "الربع الرابع": ("quarter", 4), "الربع الأخير": ("quarter", 4),
    "القرن الماضي": ("century", 19), "القرن العشرين": ("century", 19), "القرن الحالي": ("century", 20),
    "القرن الجاري": ("century", 20), "القرن الحادي والعشرين": ("century", 20),
    "ما بين": ("between",), "بين": ("between",), "من": ("from",), "إلى": ("to",), "الى": ("to",),
    "حتى": ("to",), "لغاية": ("to",), "قبل": ("before",), "بعد": ("after",), "الموافق": ("equals",),
    "الموافق ل": ("equals",), "الموافقة": ("equals",), "إلا": ("minus",), "الساعة": ("clock",),
}))
DECADE_RE = re.compile(r"^(?:ال)?(عشرين|ثلاثين|اربعين|خمسين|ستين|سبعين|ثمانين|تسعين)(?:يات|ات)$")
DECADE_DIGIT = {"عشرين": 2, "ثلاثين": 3, "اربعين": 4, "خمسين": 5, "ستين": 6, "سبعين": 7, "ثمانين": 8,
                "تسعين": 9}


# ---------------------------------------------------------------------------------------------- tokens
class _Tok(NamedTuple):
    raw: str    # surface form after normalization (no diacritics or tatweel, ASCII digits)
    key: str    # folded form used for matching
    kind: str   # "num", "word" or "sym"
    start: int
    end: int


_TOKEN_RE = re.compile(r"(?P<num>[0-9]+(?:[.,:/ر\-][0-9]+)*)|(?P<word>[^\W\d_]+)|(?P<sym>\S)")
_COMPOUND_RE = re.compile(r"([:/\-])")
_PUNCT = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-",
                        "\u2212": "-", "\u066a": "%", "\u00ab": '"', "\u00bb": '"'})
# «١،٥٠٠»: the Arabic comma is a list comma, but some writers group thousands with it.
_ARABIC_COMMA_GROUP_RE = re.compile(r"(?<=[0-9])\u060c(?=[0-9]{3}(?![0-9]))")
# «40 000», «1 234 567»: Maghrebi and French-style papers group thousands with a space (often a no-break or a
# narrow no-break one). Only a first group of one to three digits followed by groups of exactly three is read so.
_SPACE_GROUP_RE = re.compile(r"(?<![0-9.,])[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+(?![0-9]|[.,][0-9])")
_GROUP_SPACE_RE = re.compile(r"[ \u00a0\u202f\u2009]")


def _prepare(text: str) -> str:
    """Normalize with the project's text normalizer (marks, tatweel, digits); «٫» first becomes «ر», the
    unambiguous decimal mark, because that normalizer turns it into an ASCII dot."""
    text = _normalize_text(text.replace("\u066b", "ر")).text.translate(_PUNCT)
    text = _SPACE_GROUP_RE.sub(lambda m: _GROUP_SPACE_RE.sub(",", m.group()), text)
    return _ARABIC_COMMA_GROUP_RE.sub(",", text)


def _tokenize(text: str, split_compound: bool = True) -> list[_Tok]:
    """Tokens of normalized text. Amounts split «10-20» and «3/4» into pieces; dates keep «15/7/2024» whole."""
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(_prepare(text)):
        raw, kind = m.group(), m.lastgroup or "sym"
        if kind == "num" and split_compound and _COMPOUND_RE.search(raw):
            pos = m.start()
            for piece in _COMPOUND_RE.split(raw):
                if piece:
                    out.append(_Tok(piece, piece, "sym" if piece in ":/-" else "num", pos, pos + len(piece)))
                    pos += len(piece)
            continue
        out.append(_Tok(raw, _fold(raw), kind, m.start(), m.end()))
    return out


def _bases(key: str) -> Iterator[tuple[str, str]]:
    """(clitics, base) readings of a word: as is, then without a conjunction (و ف) and/or preposition (ب ل ك).
    «لل» is ل + the article. Bases keep at least two letters (three after a preposition, except «ست», the one
    two-letter number word: «بست مسيرات»)."""
    yield "", key
    for conj in ("", "و", "ف"):
        if conj and not key.startswith(conj):
            continue
        for prep in ("", "ب", "ل", "ك"):
            pre = conj + prep
            if not pre or not key.startswith(pre):
                continue
            base = key[len(pre):]
            if len(base) >= (3 if prep else 2) or base == "ست":
                yield pre, base
            if prep == "ل" and base.startswith("ل") and len(base) >= 3:
                yield pre, "ا" + base


def _lookup(key: str, table: dict[str, Any] | set, article: bool = True) -> tuple[Any, str, bool] | None:
    """Find a word in a table through its clitics: (value, clitics, had article)."""
    for pre, base in _bases(key):
        if base in table:
            return (table[base] if isinstance(table, dict) else base), pre, False
        if article and base.startswith("ال") and len(base) >= 4 and base[2:] in table:
            return (table[base[2:]] if isinstance(table, dict) else base[2:]), pre, True
    return None


class _Phrases:
    """Multi-word expressions matched on folded tokens; the first token may carry clitics."""

    def __init__(self, entries: dict[str, Any]):
        self.by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for text, value in entries.items():
            keys = tuple(_fold(w) for w in text.split())
            self.by_first.setdefault(keys[0], []).append((keys, value))
        for entries_ in self.by_first.values():
            entries_.sort(key=lambda e: -len(e[0]))

    def match(self, toks: list[_Tok], i: int, end: int | None = None) -> tuple[Any, int, str] | None:
        n = len(toks) if end is None else end
        if i >= n:
            return None
        for pre, base in _bases(toks[i].key):
            for keys, value in self.by_first.get(base, ()):
                if i + len(keys) <= n and all(toks[i + k].key == keys[k] for k in range(1, len(keys))):
                    return value, len(keys), pre
        return None


_PREFIX_PHRASES = _Phrases(PREFIXES)
_SUFFIX_PHRASES = _Phrases(SUFFIXES)
_DATE_PHRASES = _Phrases(DATE_PHRASES)


# --------------------------------------------------------------------------------------------- numbers
def _digits_value(s: str, *, scale_follows: bool = False, dot_thousands: bool = True) -> Fraction | None:
    """Value of a digit string with separators, by the thousands-vs-decimal rule of the module docstring."""
    if len(s) > 40:  # not a number anyone writes; also keeps int() far from its digit limit
        return None
    if "ر" in s:
        parts = s.split("ر")
        if len(parts) != 2 or "." in parts[0] or "," in parts[1] or "." in parts[1]:
            return None
        whole = parts[0].replace(",", "")
        return Fraction(int(whole)) + Fraction(int(parts[1]), 10 ** len(parts[1]))
    if "," in s and "." in s:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        sep = "," if dec == "." else "."
        if s.count(dec) != 1:
            return None
        whole, frac = s.split(dec)
        if not _grouped(whole.split(sep)):
            return None
        return Fraction(int(whole.replace(sep, ""))) + Fraction(int(frac), 10 ** len(frac))
    for sep in (",", "."):
        if sep in s:
            groups = s.split(sep)
            grouped = _grouped(groups)
            if sep == "," and (grouped or (len(groups) > 2 and all(len(g) in (2, 3) for g in groups[1:])
                                           and len(groups[-1]) == 3)):
                return Fraction(int("".join(groups)))
            if len(groups) > 2:
                return Fraction(int("".join(groups))) if grouped else None
            if sep == "." and grouped and dot_thousands and not scale_follows:
                return Fraction(int("".join(groups)))
            return Fraction(int(groups[0])) + Fraction(int(groups[1]), 10 ** len(groups[1]))
    return Fraction(int(s))


def _grouped(groups: list[str]) -> bool:
    """True when groups read as thousands groups: 1-3 digits not starting with 0, then groups of three."""
    first = groups[0]
    return (1 <= len(first) <= 3 and (first == "0" and len(groups) == 1 or not first.startswith("0"))
            and all(len(g) == 3 for g in groups[1:]))


class _Num(NamedTuple):
    value: Fraction
    end: int           # index after the last token of the number
    scale: int         # the last scale word used (0 when none)


def _num_atom(toks: list[_Tok], k: int, n: int, dot_thousands: bool
              ) -> tuple[str, Fraction, str, str, int] | None:
    """(kind, value, form, clitics, next index) of one number atom at token k."""
    t = toks[k]
    if t.kind == "num":
        if any(c in t.raw for c in ":/-"):
            return None
        if k + 2 < n and toks[k + 1].raw == "/" and toks[k + 2].kind == "num" and \
                toks[k + 1].start == t.end and toks[k + 2].start == toks[k + 1].end and \
                len(t.raw) == 1 and toks[k + 2].raw.isdigit() and 0 < int(t.raw) < int(toks[k + 2].raw) <= 10:
            return "frac", Fraction(int(t.raw), int(toks[k + 2].raw)), "", "", k + 3  # 3/4، 1/2 مليون
        nxt = toks[k + 1] if k + 1 < n else None
        scale_follows = bool(nxt and nxt.kind == "word" and NUMBER_WORDS.get(nxt.key, ("",))[0] == "scale")
        v = _digits_value(t.raw, scale_follows=scale_follows, dot_thousands=dot_thousands)
        return None if v is None else ("digits", v, "", "", k + 1)
    if t.kind == "word":
        found = _lookup(t.key, NUMBER_WORDS)
        if not found and t.key.endswith("ا") and len(t.key) >= 4:  # the tanween alef: «عنصرا واحدا»
            found = _lookup(t.key[:-1], NUMBER_WORDS)
            if found and found[0][0] not in ("unit", "ten10"):
                found = None
        if found:
            (kind, value, form), pre, _ = found
            return kind, value, form, pre, k + 1
    return None


def _numeral(toks: list[_Tok], i: int, end: int | None = None, *, dot_thousands: bool = True) -> _Num | None:
    """The number expression starting at token i: digits, number words, scales, fractions and «و» compounds.

    Without «و» only teens (خمسة عشر), «ثلاث مئة», a scale after a number and «ثلاثة أرباع» continue a number;
    with «و» a part must be smaller than what it follows (ثلاثة آلاف وخمسمئة, مئة وخمسة وعشرون, مليون ونصف),
    so «10 و20» stays two numbers.
    """
    n = len(toks) if end is None else min(end, len(toks))
    total = cur = Fraction(0)
    last_scale, last_unit = 0, 0
    prev = ""
    j = i
    while j < n:
        conj = False
        k = j
        if toks[j].kind == "word" and toks[j].key == "و":
            if not prev or j + 1 >= n:
                break
            conj, k = True, j + 1
        atom = _num_atom(toks, k, n, dot_thousands)
        if atom is None:
            break
        kind, val, form, pre, atom_end = atom
        if prev and pre:
            if pre != "و" or conj:
                break
            conj = True
        small = kind in ("digits", "unit", "ten10", "tens", "mia", "hund")
        if not prev:
            if kind == "scale":
                if form == "p":
                    break
                # «ألفا/مليونا» first: a dual in construct before its noun («مليونا برميل»), else the accusative of
                # one («مليونا و380 ألف برميل», «ألفاً وأربعمئة متهم»)
                nxt = toks[atom_end] if atom_end < n else None
                joined = nxt is not None and nxt.key.startswith("و") and (
                    nxt.key == "و" or (_lookup(nxt.key, NUMBER_WORDS) or (None, ""))[1].startswith("و"))
                dual = form == "d" or (form == "a" and nxt is not None and nxt.kind == "word" and not joined)
                total, last_scale = val * (2 if dual else 1), int(val)
            elif kind == "fracmul":
                break
            else:
                cur = val
            if kind == "unit":
                last_unit = int(val)
        elif small and conj:
            if prev == "scale" and val < last_scale:
                cur = val
            elif prev in ("hund", "mia") and val < 100:
                cur += val
            elif prev == "unit" and kind == "tens" and 1 <= last_unit <= 9:
                cur += val
            else:
                break
            if kind == "unit":
                last_unit = int(val)
        elif small:
            if kind == "ten10" and prev == "unit" and 1 <= last_unit <= 9:
                cur += 10
                kind = "teen"
            elif kind == "mia" and prev == "unit" and 1 <= last_unit <= 9:
                cur += last_unit * 99
                kind = "hund"
            else:
                break
        elif kind == "scale":
            if conj:
                if prev == "scale" and val < last_scale and form != "p":
                    total += val * (2 if form in "da" else 1)
                    last_scale = int(val)
                else:
                    break
            elif prev != "scale" and cur > 0 and form != "d":
                if last_scale and val > last_scale:
                    total = (total + cur) * val
                else:
                    total += cur * val
                cur, last_scale = Fraction(0), int(val)
            elif prev == "scale" and cur == 0 and val > last_scale and form == "s":
                total *= val
                last_scale = int(val)
            else:
                break
        elif kind == "frac":
            if conj and prev == "scale":
                total += val * last_scale
            elif conj and prev in ("digits", "unit", "teen", "ten10", "tens", "hund", "mia"):
                cur += val
            else:
                break
            kind = "fracdone"
        elif kind == "fracmul":
            if not conj and prev == "unit":  # only the unit is counted: «مئة وثلاثة أرباع» = 100.75
                cur += last_unit * val - last_unit
                kind = "fracdone"
            else:
                break
        else:
            break
        prev = kind
        j = atom_end
    if not prev:
        return None
    return _Num(total + cur, j, last_scale)


def _vague(toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    """(min, max, end) of a vague quantity at token i: بضعة، عدة، عشرات، مئات الآلاف، بضع مئات …"""
    n = len(toks)
    j = i
    count: tuple[int, int] | None = None
    if j < n and toks[j].kind == "word":
        found = _lookup(toks[j].key, VAGUE_COUNTS)
        if found:
            count = found[0]
            j += 1
    if count and j < n and toks[j].kind == "word" and toks[j].key in ("عشر", "عشره"):
        return 13, 19, j + 1
    mult = 1
    plurals = 0
    while j < n and toks[j].kind == "word":
        found = _lookup(toks[j].key, VAGUE_PLURALS)
        if not found or (plurals and found[1]):
            break
        mult *= found[0]
        plurals += 1
        j += 1
    if count is None and plurals == 0:
        return None
    if count is None and j < n and toks[j].kind == "word" and toks[j].key == "عده":  # «آلاف عدة»
        count = VAGUE_COUNTS["عده"]
        j += 1
    lo, hi = count or (2, 9)
    if plurals == 0:
        return lo, hi, j
    return lo * mult, (hi + 1) * mult - 1, j


def _out(x: Fraction | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if x.denominator == 1 else float(x)


class _Amount:
    """What the shared QUANTITY/MONEY/PERCENT parser read."""

    def __init__(self) -> None:
        self.value: Fraction | None = None
        self.lo: Fraction | None = None
        self.hi: Fraction | None = None
        self.approx = False
        self.found = False       # a number, range or vague quantity was read
        self.scale = 0           # the scale word of the number (1000 for «ثلاثة آلاف»)
        self.unit: str | None = None  # the noun of a lone dual («صاروخين») or measure plural («أطنان»)
        self.start = 0           # first token of the number expression
        self.end = 0             # index after it
        self.symbols: list[str] = []

    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": _out(self.value)}
        if self.approx:
            out["approximate"] = True
        if self.lo is not None:
            out["min"] = _out(self.lo)
        if self.hi is not None:
            out["max"] = _out(self.hi)
        return out


def _find_amount(toks: list[_Tok], *, dot_thousands: bool = True) -> _Amount:
    """The amount at the start of the span, or else at one of the next few words («بنسبة 30%»، «مبلغ 5 ملايين»)."""
    first = _amount(toks, 0, dot_thousands=dot_thousands)
    if first.found:
        return first
    for start in range(1, min(len(toks), 8)):
        a = _amount(toks, start, dot_thousands=dot_thousands)
        if a.found:
            a.symbols = first.symbols + a.symbols
            return a
    return first


def _amount(toks: list[_Tok], i: int = 0, *, dot_thousands: bool = True) -> _Amount:
    """Read approximators, bounds, a number, a range or a vague quantity from token i, and the modifiers after."""
    a = _Amount()
    n = len(toks)
    bound = ""
    mode = ""
    negative = False
    while i < n:
        t = toks[i]
        if t.kind == "sym":
            if t.raw in CURRENCY_SYMBOLS or t.raw == "%":
                a.symbols.append(t.raw)
            elif t.raw in ("-", "+") and i + 1 < n and toks[i + 1].kind == "num" and toks[i + 1].start == t.end:
                negative = t.raw == "-"
            elif t.raw not in ("(", '"', "'", "["):
                break
            i += 1
            continue
        if t.kind != "word":
            break
        if t.key in LEADING_CLITICS:
            i += 1
            continue
        if t.raw.upper() in ISO_CODES and t.raw.isascii():
            a.symbols.append(t.raw.upper())
            i += 1
            continue
        if t.key == "us" and i + 1 < n and toks[i + 1].raw == "$":
            i += 1
            continue
        m = _PREFIX_PHRASES.match(toks, i)
        if not m:
            break
        kind, length, _ = m
        if kind == "approx":
            a.approx = True
        elif kind in ("min", "max"):
            bound = kind
        elif kind in ("between", "from"):
            mode = kind
        elif kind == "vague":
            a.found, a.approx = True, True
            a.start = a.end = i + length
            _suffixes(toks, a.end, a)
            return a
        i += length
    a.start = i
    vague = _vague(toks, i)
    if vague:
        a.lo, a.hi = Fraction(vague[0]), Fraction(vague[1])
        a.approx = a.found = True
        a.end = vague[2]
        _suffixes(toks, a.end, a)
        return a
    num = _numeral(toks, i, dot_thousands=dot_thousands)
    if num is None:
        if i < n and _is_arabic_word(toks[i]):
            plural = _lookup(toks[i].key, MEASURE_PLURALS, article=False)
            if plural:  # «أطنان»: some tons, 2-9 like any bare plural
                a.lo, a.hi, a.approx, a.found, a.end = Fraction(2), Fraction(9), True, True, i
                a.unit = plural[0]
                return a
            dual = _lone_dual(toks[i])
            if dual and all(_numeral(toks, k, dot_thousands=dot_thousands) is None for k in range(i + 1, n)):
                # «صاروخين»، «وقرابة طنين»; a word before a number («يساوي 20») is no dual
                a.value, a.found, a.end, a.unit = Fraction(2), True, i + 1, dual
                if bound == "min":
                    a.lo = a.value
                elif bound == "max":
                    a.hi = a.value
        return a
    a.found = True
    a.value, a.end, a.scale = num.value, num.end, num.scale
    if negative:
        a.value = -a.value
    rng = _range_rest(toks, i, num, mode, dot_thousands)
    if rng:
        (lo, hi), a.end = rng
        a.value, a.lo, a.hi = None, min(lo, hi), max(lo, hi)
    elif bound == "min":
        a.lo = a.value
    elif bound == "max":
        a.hi = a.value
    _suffixes(toks, a.end, a)
    return a


def _range_rest(toks: list[_Tok], i: int, left: _Num, mode: str, dot_thousands: bool
                ) -> tuple[tuple[Fraction, Fraction], int] | None:
    """The upper end of a range whose lower end `left` starts at token i, with its end index."""
    n = len(toks)
    j = left.end
    right: _Num | None = None
    if mode == "between" and j < n and toks[j].kind == "word" and RANGE_LINKS.get(toks[j].key) == "to":
        right = _numeral(toks, j + 1, dot_thousands=dot_thousands)  # «ما بين 20 إلى 30»
    elif mode == "between":
        if j < n and toks[j].kind == "word" and (toks[j].key == "و" or toks[j].key.startswith("و")):
            start = j + 1 if toks[j].key == "و" else j
            right = _numeral_after_conj(toks, start, dot_thousands)
        if right is None:  # «بين خمسة وعشرين» was read as 25: split at a «و» so that both ends parse
            for k in range(min(n - 1, i + 12), i, -1):
                if toks[k].kind == "word" and toks[k].key.startswith("و"):
                    left_k = _numeral(toks, i, k, dot_thousands=dot_thousands)
                    right_k = _numeral_after_conj(toks, k + 1 if toks[k].key == "و" else k, dot_thousands)
                    if left_k and right_k and left_k.end == k and _share_scale(left_k, right_k)[0] < right_k.value:
                        left, right = left_k, right_k
                        break
    elif j < n:
        t = toks[j]
        link = t.raw == "-" or (t.kind == "word" and RANGE_LINKS.get(t.key) == "to" and t.key != "ل")
        link = link or (t.kind == "word" and t.key == "ل" and mode == "from")
        link = link or (t.kind == "word" and RANGE_LINKS.get(t.key) == "or")
        if link:
            k = j + 1
            while k < n and toks[k].key in ("ال",):
                k += 1
            right = _numeral(toks, k, dot_thousands=dot_thousands)
    if right is None:
        return None
    lo, _ = _share_scale(left, right)
    return (lo, right.value), right.end


def _numeral_after_conj(toks: list[_Tok], k: int, dot_thousands: bool) -> _Num | None:
    """A number whose first token may carry the conjunction «و» (و20، وعشرين)."""
    if k >= len(toks):
        return None
    t = toks[k]
    if t.kind == "word" and t.key.startswith("و") and t.key != "و" and _lookup(t.key, NUMBER_WORDS) is None:
        return None
    return _numeral(toks, k, dot_thousands=dot_thousands)


def _share_scale(left: _Num, right: _Num) -> tuple[Fraction, bool]:
    """«بين 2 و3 ملايين»: the scale written on the upper end also applies to a bare lower end."""
    if right.scale and not left.scale and left.value * right.scale <= right.value:
        return left.value * right.scale, True
    return left.value, False


def _suffixes(toks: list[_Tok], j: int, a: _Amount) -> None:
    """Modifiers after the number (تقريبًا، على الأقل، أو أكثر، ونيف …) anywhere in the rest of the span."""
    k = j
    while k < len(toks):
        m = _SUFFIX_PHRASES.match(toks, k)
        if not m:
            k += 1
            continue
        kind, length, _ = m
        if kind == "approx":
            a.approx = True
        elif kind == "min" and a.value is not None and a.lo is None and a.hi is None:
            a.lo = a.value
        elif kind == "max" and a.value is not None and a.lo is None and a.hi is None:
            a.hi = a.value
        k += length


def _is_suffix(toks: list[_Tok], k: int) -> int:
    m = _SUFFIX_PHRASES.match(toks, k)
    return m[1] if m else 0


# ------------------------------------------------------------------------------------------------ units
def _light_unit(raw: str) -> str:
    """The light normal form of a counted noun: no article, no case alef of tanween, measure words singular."""
    # The surface form decides: «آلية»، «ألغام» do not start with the article and «مخبأ» has no tanween alef.
    if raw.startswith("ال") and len(raw) >= 4:
        raw = raw[2:]
    key = _fold(raw)
    if key in MEASURE_SINGULAR:  # singular measure words are written with plain letters: طن، لتر، كيلوغرام
        return MEASURE_SINGULAR[key]
    if raw.endswith("ا") and len(raw) >= 3 and not raw.endswith("ايا"):
        raw, key = raw[:-1], key[:-1]
    if key in MEASURE_SINGULAR:
        return MEASURE_SINGULAR[key]
    return raw


def _singular(unit: str) -> str:
    """The singular of a counted noun the tables know, or of a sound masculine plural («متهمين» → متهم); else the
    word as written. A stem ending in «ت» is left alone: «طائرتين» is a dual, and its singular ends in «ة»."""
    key = _fold(unit)
    if key in PLURAL_SINGULAR:
        return PLURAL_SINGULAR[key]
    sound = key.endswith(("ين", "ون")) and not key.endswith(("تين", "تون"))
    if sound and len(key) >= 5 and key not in NOT_SOUND_PLURAL:
        return unit[:-2]
    return unit


def _unit_after(toks: list[_Tok], j: int) -> str | None:
    """The counted noun after the number: the first word that is not a modifier, partitive «من» or article."""
    k = j
    while k < len(toks):
        t = toks[k]
        if t.kind != "word":
            k += 1
            continue
        skip = _is_suffix(toks, k)
        if skip:
            k += skip
            continue
        if t.key in LEADING_CLITICS or t.key in ("من", "عده") or _lookup(t.key, NUMBER_WORDS):
            k += 1  # a partitive «من», «آلاف عدة», the repeated scale of «مليون ونصف المليون»
            continue
        if t.key in FUNCTION_WORDS or not _is_arabic_word(t):
            return None
        unit = _light_unit(t.raw)
        if k + 1 < len(toks) and toks[k + 1].key in AREA_WORDS and _fold(unit) in LENGTH_UNITS:
            unit += " " + _light_unit(toks[k + 1].raw)  # «متر مربع»
        return unit
    return None


def _lone_dual(tok: _Tok) -> str | None:
    """The singular of a noun written alone in the dual (صاروخين → صاروخ, طائرتين → طائرة), else None.

    A leading و/ف/ب/ل/ك is read as a clitic (وعنصرين، بصاروخين) unless the word without it would leave a
    stem under three letters or the whole word is a listed noun that starts with one of those letters
    (وزيرين، بندقيتين، لغمين)."""
    if tok.kind != "word":
        return None
    measure = _lookup(tok.key, MEASURE_DUALS, article=False)
    if measure:  # طنين، لترين
        return measure[0]
    readings = []
    for pre, base in _bases(tok.key):
        if base != tok.key[len(pre):]:  # the «لل» reading rebuilt the article: not a plain slice
            continue
        raw = tok.raw[len(pre):]
        if base.startswith("ال") and raw.startswith("ال") and len(base) > 4:  # not «آليتين»، «إلكترونيين»
            base, raw = base[2:], raw[2:]
        if base in NOT_DUAL or base in NUMBER_WORDS or "ال" + base in NOT_DUAL:
            return None
        suffix = next((len(s) for s in _DUAL_PRONOUNS if raw.endswith(s) and raw[: -len(s)].endswith(("ي", "ا"))), 0)
        if suffix and base[:-suffix] not in NOT_DUAL and len(base) - suffix - 1 >= 3:
            # a construct dual with a pronoun: «شريكيه»، «شريكاه»، «عنصريها»
            raw, base = raw[:-suffix - 1] + "ي", base[:-suffix - 1] + "ي"
        cut = 2 if base.endswith(("ين", "ان")) else 1 if base.endswith("ي") or base.endswith("تا") else 0
        if cut and len(base) - cut >= 3:
            # ين/ان, or the construct dual that drops its nun: «منصتي»، «صاروخي»، «محطتا»
            stem, stem_key = raw[:-cut], base[:-cut]
            if stem_key.endswith("ت") and stem_key not in T_FINAL:
                stem, stem_key = stem[:-1] + "ة", stem_key[:-1] + "ه"
            if stem_key in CLITIC_INITIAL_NOUNS:
                return stem
            readings.append(stem)
    return readings[-1] if readings else None


# ---------------------------------------------------------------------------------------- the parsers
# The unit fractions of NUMBER_WORDS (with the colloquial «نص», half).
_FRACTIONS = {w: v for w, (kind, v, _) in NUMBER_WORDS.items() if kind == "frac" and v.numerator == 1}
_MEASURE_WORDS = {_fold(u) for u in MEASURE_SINGULAR.values()}


def _and_fraction(tok: _Tok) -> Fraction | None:
    """The fraction of a word «ونصف», «وربع», «وثلث» (a part added with «و»), else None."""
    found = _lookup(tok.key, _FRACTIONS, article=False) if tok.kind == "word" else None
    return found[0] if found and found[1] == "و" else None


def _measure_and_fraction(toks: list[_Tok]) -> dict[str, Any] | None:
    """«طنين ونصف» → 2.5 طن, «طن ونصف» → 1.5 طن: one or two of a measure written as a noun, and a fraction."""
    words = [t for t in toks if t.kind == "word"]
    fraction = _and_fraction(words[1]) if len(words) == 2 == len(toks) else None
    if fraction is None:
        return None
    dual, single = _lone_dual(words[0]), _light_unit(words[0].raw)
    if dual:
        count, unit = 2, dual
    elif _fold(single) in _MEASURE_WORDS:
        count, unit = 1, single
    else:
        return None
    return {"value": _out(count + fraction), "unit": unit}


# A measure and the smaller units of it that may follow with «و»: «4 أطنان و320 كيلوغراما» is 4.32 طن.
_KILO = {"كيلوغرام": 1000, "كيلوجرام": 1000, "كيلو": 1000, "كلغ": 1000, "كغ": 1000}
_GRAM = {"غرام": 1000, "جرام": 1000, "غ": 1000}
SUBUNITS = {_fold(unit): {_fold(sub): n for sub, n in subs.items()} for unit, subs in {
    "طن": _KILO, "قنطار": {k: 100 for k in _KILO}, **{k: _GRAM for k in _KILO},
    "كيلومتر": {"متر": 1000}, "متر": {"سنتيمتر": 100}, "لتر": {"مليلتر": 1000}, "ليتر": {"مليلتر": 1000},
}.items()}


def _parse_quantity(text: str) -> dict[str, Any]:
    """A compound measure if the text is one, else a simple quantity."""
    for m in re.finditer(r"\s+و\s*", text):
        big, small = _parse_simple_quantity(text[:m.start()]), _parse_simple_quantity(text[m.end():])
        factor = SUBUNITS.get(_fold(big.get("unit") or ""), {}).get(_fold(small.get("unit") or ""))
        if factor and all(isinstance(part.get("value"), (int, float)) and "min" not in part and "max" not in part
                          for part in (big, small)):
            return {**big, "value": _out(Fraction(str(big["value"])) + Fraction(str(small["value"])) / factor)}
    return _parse_simple_quantity(text)


def _parse_simple_quantity(text: str) -> dict[str, Any]:
    toks = _tokenize(text)
    measured = _measure_and_fraction(toks)
    if measured:
        return measured
    a = _find_amount(toks)
    if a.found:
        out = a.fields()
        tail = _and_fraction(toks[-1]) if len(toks) > a.end + 1 else None
        if tail is not None and a.value is not None and a.lo is None and a.hi is None:
            out["value"] = _out(a.value + tail)  # «3 أطنان ونصف»: the fraction after the counted noun
        unit = a.unit or _unit_after(toks, a.end)
        if unit is None and a.start == 1 and a.value in (1, 2) and _is_arabic_word(toks[0]) \
                and toks[1].kind == "word":
            # «صاروخ واحد»، «عنصرين اثنين»: one and two follow their noun as adjectives
            unit = _lone_dual(toks[0]) or _light_unit(toks[0].raw)
        if unit:
            out["unit"] = _singular(unit)
        return out
    i = a.start
    if i < len(toks) and _is_arabic_word(toks[i]) and toks[i].key not in FUNCTION_WORDS:
        return {"value": None, "unit": _singular(_light_unit(toks[i].raw))}
    return {"value": None}


def _is_arabic_word(tok: _Tok) -> bool:
    return tok.kind == "word" and all("\u0621" <= c <= "\u064a" or c in "\u0671\u067e\u0686\u06a4\u06af\u06cc"
                                      for c in tok.raw)


def _currency_at(toks: list[_Tok], k: int) -> tuple[bool, str | None, str]:
    """(found, ISO code or None, lemma) for a currency word, symbol or code at token k."""
    t = toks[k]
    if t.kind == "sym":
        if t.raw in CURRENCY_SYMBOLS:
            return True, CURRENCY_SYMBOLS[t.raw], ""
        return False, None, ""
    if t.kind != "word":
        return False, None, ""
    if t.raw.isascii() and t.raw.upper() in ISO_CODES:
        return True, t.raw.upper(), ""
    found = _lookup(t.key, CURRENCY_NOUNS)
    if not found:
        return False, None, ""
    (lemma, _), _, _ = found
    adjectives = CURRENCY_ADJECTIVES.get(lemma, {})
    for width in (3, 2, 1):
        words = toks[k + 1:k + 1 + width]
        if len(words) == width and all(w.kind == "word" for w in words):
            phrase = " ".join(_adjective(w.key) for w in words)
            if phrase in adjectives:
                return True, adjectives[phrase], lemma
    return True, CURRENCY_DEFAULT.get(lemma), lemma


def _adjective(key: str) -> str:
    """سورية / السورية / سوري → سوري: the masculine stem a currency table is keyed by."""
    if key.startswith("ال") and len(key) > 4:
        key = key[2:]
    if key.endswith(("يه", "يا")) and len(key) >= 5:  # سورية، عمانيًا → سوري، عماني
        key = key[:-1]
    return key


def _parse_money(text: str) -> dict[str, Any]:
    toks = _tokenize(text)
    a = _find_amount(toks)
    currency: tuple[bool, str | None] = (False, None)
    for s in a.symbols:
        if s in CURRENCY_SYMBOLS:
            currency = (True, CURRENCY_SYMBOLS[s])
        elif s in ISO_CODES:
            currency = (True, s)
    if a.found:
        out = a.fields()
        k = a.end - 1 if a.unit else a.end  # a lone dual («دولارين») is its own currency word
        while k < len(toks) and not currency[0]:
            t = toks[k]
            skip = _is_suffix(toks, k) or int(t.key in LEADING_CLITICS or t.key == "من"
                                              or _lookup(t.key, NUMBER_WORDS) is not None)
            if skip:  # «مليون من الدولارات»، «مليون ونصف المليون دولار»
                k += skip
                continue
            found, code, lemma = _currency_at(toks, k)
            if found:
                currency = (True, code)
                if lemma in CURRENCY_SUBUNITS:  # «50 سنتا» → 0.5
                    for key in ("value", "min", "max"):
                        if out.get(key) is not None:
                            out[key] = _out(Fraction(out[key]) / CURRENCY_SUBUNITS[lemma])
                half = next((t for t in toks[k + 1:k + 5] if _lookup(t.key, {"نصف": 0}) is not None
                             and _lookup(t.key, {"نصف": 0})[1] == "و"), None)
                if half is not None and a.value is not None:  # «مليار دولار ونصف»
                    out["value"] = _out(a.value + Fraction(a.scale or 1, 2))
            break
    else:  # a currency without an amount: «دولار»
        out = {"value": None}
        found, code, _ = _currency_at(toks, a.start) if a.start < len(toks) else (False, None, "")
        if found:
            currency = (True, code)
    abbreviation = _CURRENCY_ABBREVIATION_RE.search(text) if not currency[0] else None
    if abbreviation:
        currency = (True, CURRENCY_ABBREVIATIONS[re.sub(r"\s", "", abbreviation.group(1))])
    if currency[0]:
        out["currency"] = currency[1]
    return out


def _parse_percent(text: str) -> dict[str, Any]:
    toks = _tokenize(text)
    a = _find_amount(toks, dot_thousands=False)
    return a.fields() if a.found else {"value": None}


def _parse_number(text: str) -> int | float | None:
    toks = _tokenize(text)
    i = 0
    negative = False
    while i < len(toks) and (toks[i].key in LEADING_CLITICS or toks[i].raw in ("-", "+")):
        if toks[i].raw in ("-", "+") and i + 1 < len(toks) and toks[i + 1].start == toks[i].end:
            negative = toks[i].raw == "-"
        i += 1
    num = _numeral(toks, i)
    if num is None:
        return None
    return _out(-num.value if negative else num.value)


# ------------------------------------------------------------------------------------------------ dates
class _A(NamedTuple):
    """A date atom: a kind and up to three values. month (number, "g"/"h") · num (value, digits: 4 for a
    four-digit token, 0 for number words, -1 for a definite cardinal below twenty) · ord (value) · ymd (y, m, d) ·
    ym (y, m) · weekday (0 = Monday) · relday (days) · unit (code, form, definite) · shift (-1/0/1, recent) ·
    era ("g"/"h") · time (hour, minute) · period · season · quarter · century · decade · holiday (m, d, cal) ·
    frac (value) · and links: between, from, to, and, dash, slash, before, after, equals, minus, part, few,
    firstday, other."""
    kind: str
    v: Any = None
    w: Any = None
    x: Any = None


def _year_like(a: _A) -> bool:
    return a.kind == "num" and a.v.denominator == 1 and 1000 <= a.v <= 2999 and a.w in (0, 4)


def _clock(toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    """(hour, minute, end) of a clock time at token i: 3 · 10:30 · الواحدة · الحادية عشرة والنصف · الرابعة إلا ربعا."""
    n = len(toks)
    if i >= n:
        return None
    t = toks[i]
    minute = 0
    if t.kind == "num" and ":" in t.raw:
        parts = t.raw.split(":")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            return None
        hour, minute, j = int(parts[0]), int(parts[1]), i + 1
    elif t.kind == "num" and len(t.raw) == 4 and t.raw.isdigit():  # «الساعة 1130 بتوقيت غرينتش»: hhmm
        hour, minute, j = int(t.raw[:2]), int(t.raw[2:]), i + 1
    else:
        hour_v: Fraction | None = None
        j = i
        o = _ordinal(toks, i)
        if o:
            hour_v, j = Fraction(o[0]), o[1]
        else:
            num = _numeral(toks, i, dot_thousands=False)
            if num:
                hour_v, j = num.value, num.end
        if hour_v is None or (hour_v * 60).denominator != 1:
            return None
        hour = int(hour_v)
        minute = int((hour_v - hour) * 60)  # «الواحدة والنصف» reads as the number 1.5
        if j < n and toks[j].kind == "word":
            found = _lookup(toks[j].key, {"نصف": 30, "نص": 30, "ربع": 15, "ثلث": 20})
            if found and found[1] == "و" and not minute:
                minute, j = found[0], j + 1
            elif toks[j].key == "الا" and j + 1 < n:
                f = _lookup(toks[j + 1].key, {"نصف": 30, "ربع": 15, "ربعا": 15, "ثلث": 20, "ثلثا": 20})
                num = None if f else _numeral(toks, j + 1)
                if f:
                    hour, minute, j = hour - 1, 60 - f[0], j + 2
                elif num and num.value.denominator == 1 and 0 < num.value < 60:
                    hour, minute, j = hour - 1, 60 - int(num.value), num.end
            elif toks[j].key == "و" or toks[j].key.startswith("و"):
                num = _numeral_after_conj(toks, j + 1 if toks[j].key == "و" else j, False)
                if num and num.value.denominator == 1 and 0 < num.value < 60:
                    minute, j = int(num.value), num.end
            unit = _lookup(toks[j].key, TIME_UNITS) if j < n else None
            if unit and unit[0][0] == "MIN":  # «و20 دقيقة»
                j += 1
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    return hour % 24 if hour == 24 else hour, minute, j


def _ordinal(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """(value, end) of an ordinal at token i: الخامس، الخامس عشر، الحادي والعشرين، الحادية عشرة."""
    n = len(toks)
    if i >= n or toks[i].kind != "word":
        return None
    found = _lookup(toks[i].key, ORDINALS, article=False)
    if not found or found[1] not in ("", "و"):
        return None
    v, j = found[0], i + 1
    if j < n and toks[j].key in ("عشر", "عشره") and v < 10:
        return v + 10, j + 1
    if j < n and toks[j].kind == "word" and toks[j].key.startswith("و") and v < 10:
        tens = _lookup(toks[j].key, NUMBER_WORDS)
        if tens and tens[0][0] == "tens" and tens[1] == "و":
            return v + int(tens[0][1]), j + 1
    if toks[i].key in ("الحادي", "الحاديه"):
        return None
    return v, j


def _date_atoms(toks: list[_Tok]) -> list[_A]:
    """The date atoms of a token list (see _A), with numeric dates written with spaces joined up."""
    return _join_numeric_dates(_raw_date_atoms(toks))


def _join_numeric_dates(atoms: list[_A]) -> list[_A]:
    """«12 / 3 / 1447هـ» → one ymd atom; «3 - 6» (a news agency dateline) → day 3 of month 6 when no month is
    named anywhere; «15-19 يوليو» stays a range of days."""
    out: list[_A] = []
    named_month = any(a.kind in ("month", "holiday") for a in atoms)
    i = 0
    while i < len(atoms):
        a = atoms[i]
        seps = ("slash", "dash")
        if a.kind == "num" and i + 4 < len(atoms) and atoms[i + 1].kind in seps and atoms[i + 2].kind == "num" \
                and atoms[i + 3].kind == atoms[i + 1].kind and atoms[i + 4].kind == "num":
            nums = [atoms[i].v, atoms[i + 2].v, atoms[i + 4].v]
            if all(x.denominator == 1 for x in nums):
                first, mid, last = (int(x) for x in nums)
                y, m, d = (first, mid, last) if first >= 1000 else (last, mid, first)
                if _valid_date(y, m, d):
                    out.append(_A("ymd", y, m, d))
                    i += 5
                    continue
        if a.kind == "num" and i + 2 < len(atoms) and atoms[i + 1].kind in seps and atoms[i + 2].kind == "num" \
                and not named_month and a.w in (1, 2) and atoms[i + 2].w in (1, 2) \
                and 1 <= a.v <= 31 and 1 <= atoms[i + 2].v <= 12:
            out.append(_A("dm", int(a.v), int(atoms[i + 2].v)))
            i += 3
            continue
        out.append(a)
        i += 1
    return out


def _raw_date_atoms(toks: list[_Tok]) -> list[_A]:
    atoms: list[_A] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "sym":
            if t.raw in ("/", "-"):
                atoms.append(_A("slash" if t.raw == "/" else "dash"))
            i += 1
        elif t.kind == "num":
            atoms.extend(_date_number(t.raw))
            i += 1
        elif t.key == "و":
            atoms.append(_A("and"))
            i += 1
        else:
            found, i = _word_atoms(toks, i)
            atoms.extend(found)
    return atoms


_FEW = set(_words({0: "بضع بضعة عدة القليلة قليلة القليلين قليل عدد"}))


_CENTURY = _words({0: "القرن"})


def _ordinal_century(toks: list[_Tok], i: int) -> tuple[int, int, str] | None:
    """(ISO century, next index, clitics) for «القرن التاسع»، «القرن التاسع عشر»، «القرن الـ19»: the 9th century is
    "08", as ISO 8601 writes the years 0800–0899."""
    found = _lookup(toks[i].key, _CENTURY, article=False)
    if not found:
        return None
    j = i + 1
    if j < len(toks) and toks[j].key == "ال" and j + 1 < len(toks) and toks[j + 1].kind == "num":
        j += 1
    if j < len(toks) and toks[j].kind == "num" and toks[j].raw.isdigit():
        n, end = int(toks[j].raw), j + 1
    else:
        o = _ordinal(toks, j)
        if o is None:
            return None
        n, end = o
    if not 1 <= n <= 21:
        return None
    return n - 1, end, found[1]


def _and_if(clitics: str) -> list[_A]:
    return [_A("and")] if clitics.startswith("و") else []


def _word_atoms(toks: list[_Tok], i: int) -> tuple[list[_A], int]:
    """Atoms read from the word at token i (a clitic «و» becomes an «and» atom) and the next index."""
    t = toks[i]
    n = len(toks)
    conj = [_A("and")] if t.key.startswith("و") and t.key not in NUMBER_WORDS else []
    m = _DATE_PHRASES.match(toks, i)
    if m:
        value, length, pre = m
        conj = [_A("and")] if pre.startswith("و") else []
        if value[0] != "clock":
            return conj + [_A(*value)], i + length
        clock = _clock(toks, i + 1)
        if clock:
            return conj + [_A("time", clock[0], clock[1])], clock[2]
        return conj + [_A("unit", "H", "s", True)], i + 1  # «الساعة» without a number: the hour as a period
    found = _lookup(t.key, WEEKDAYS, article=False)
    if found:
        return conj + [_A("weekday", found[0])], i + 1
    o = _ordinal(toks, i)
    if o and o[1] < n and o[0] <= 12 and _lookup(toks[o[1]].key, DAY_PERIODS):
        return conj + [_A("time", o[0], 0)], o[1]  # a feminine ordinal hour and a part of the day: «الثالثة فجرًا»
    for table, kind in ((SHIFTS, "shift"), (ERAS, "era"), (DAY_PERIODS, "period"), (SEASONS, "season")):
        found = _lookup(t.key, table, article=False)
        if found and (kind != "era" or found[1] == ""):
            return _and_if(found[1]) + [_A(kind, found[0], t.key in RECENT)], i + 1
    century = _ordinal_century(toks, i)
    if century:
        return _and_if(century[2]) + [_A("century", century[0])], century[1]
    found = _lookup(t.key, TIME_UNITS)
    if found:
        (code, form), pre, definite = found
        return _and_if(pre) + [_A("unit", code, form, definite)], i + 1
    found = _lookup(t.key, PARTS, article=False)
    if found:  # «مطلع يناير ونهاية أكتوبر»: the «و» of the second part joins an interval
        return _and_if(found[1]) + [_A("part", found[0])], i + 1
    # «غرة» and the Maghrebi «فاتح» name the first day of the month after them
    if _lookup(t.key, {"غره": 1, "فاتح": 1}, article=False):
        return [_A("firstday")], i + 1
    if t.key in _FEW:
        return [_A("few")], i + 1
    if t.key in ANAPHORS:
        return [_A("anaphor")], i + 1
    decade = DECADE_RE.match(t.key)
    if decade:
        return [_A("decade", DECADE_DIGIT[decade.group(1)])], i + 1
    if o:
        return conj + [_A("ord", o[0])], o[1]
    num = _numeral(toks, i, dot_thousands=False)
    if num:
        (kind, _, _), _, definite = _lookup(t.key, NUMBER_WORDS) or (("", 0, ""), "", False)
        if kind == "frac" and num.end == i + 1:
            return conj + [_A("frac", num.value)], num.end
        # «العشر الأواخر»: a definite cardinal below twenty counts days, it does not name one (from twenty
        # on, «العشرين من يناير» is the ordinal use)
        return conj + [_A("num", num.value, -1 if definite and num.value < 20 else 0)], num.end
    vague = _vague(toks, i)
    if vague:
        return [_A("few")], vague[2]
    return [_A("other", t.key)], i + 1


def _date_number(raw: str) -> list[_A]:
    """Atoms for one digit token: a plain number, 15/7/2024, 2024-07-15, 7/2024, 10:30, or «2011-2015»."""
    if ":" in raw:
        parts = raw.split(":")
        if len(parts) == 2 and all(x.isdigit() and len(x) <= 2 for x in parts) and int(parts[0]) <= 24 \
                and int(parts[1]) < 60:
            return [_A("time", int(parts[0]) % 24, int(parts[1]))]
        return [_A("other", raw)]
    parts = re.split(r"[/\-]", raw)
    if len(parts) == 1 and raw.count(".") == 2:
        parts = raw.split(".")
        if not (len(parts[2]) == 4 or len(parts[0]) == 4):
            return _plain_number(raw)
    if len(parts) == 3:
        if not all(p.isdigit() and len(p) <= 4 for p in parts):
            return [_A("other", raw)]
        if len(parts[0]) == 4:
            y, m, d = int(parts[0]), int(parts[1]), int(parts[2])
        else:
            d, m, y = int(parts[0]), int(parts[1]), int(parts[2])
        if _valid_date(y, m, d):
            return [_A("ymd", y, m, d)]
        return [_A("other", raw)]
    if len(parts) == 2:
        a, b = parts
        if "/" in raw and a.isdigit() and b.isdigit():
            if len(b) == 4 and 1 <= int(a) <= 12:
                return [_A("ym", int(b), int(a))]
            if len(a) == 4 and 1 <= int(b) <= 12:
                return [_A("ym", int(a), int(b))]
        return [*_plain_number(a), _A("slash" if "/" in raw else "dash"), *_plain_number(b)]
    return _plain_number(raw)


def _plain_number(raw: str) -> list[_A]:
    try:
        v = _digits_value(raw, dot_thousands=False)
    except ValueError:
        v = None
    if v is None:
        return [_A("other", raw)]
    return [_A("num", v, len(raw) if raw.isdigit() else 9)]


def _valid_date(y: int, m: int, d: int) -> bool:
    """A real Gregorian date, or for a Hijri-looking year (before 1600) a day 1-30 of a month 1-12."""
    if 1 <= y < 1600:
        return 1 <= m <= 12 and 1 <= d <= 30
    try:
        _dt.date(y, m, d)
        return True
    except (ValueError, OverflowError):
        return False


class _Point:
    """A date or period as read from the text, before it is resolved against the reference date."""

    def __init__(self) -> None:
        self.y: int | None = None
        self.m: int | None = None
        self.d: int | None = None
        self.cal = "g"
        self.era = ""
        self.mshift: int | None = None       # «يوليو الماضي»
        self.wd: int | None = None
        self.wdshift: int | None = None
        self.rel: int | None = None          # days from the reference date
        self.ushift: tuple[str, int | None] | None = None  # («M», -1) for «الشهر الماضي»; None: no word
        self.time: tuple[int, int] | None = None
        self.period = ""
        self.season = ""
        self.quarter = 0
        self.decade = 0
        self.century = 0
        self.bare: int | None = None         # a lone small number (a day in «بين 15 و19 تموز»)
        self.anaphoric = False               # «اليوم التالي»: relative to the story, unresolvable here
        self.part = False                    # نهاية/مطلع/منتصف … of the period
        self.third: int | None = None        # which third that part names: 0 start, 1 middle, 2 end

    def is_point(self) -> bool:
        return any(x is not None for x in (self.y, self.m, self.d, self.wd, self.rel, self.ushift, self.time)) \
            or bool(self.season or self.quarter or self.decade)




def _point(atoms: list[_A]) -> _Point:
    """Read the parts of a date (year, month, day, weekday, relative words, clock) from its atoms."""
    p = _Point()
    n = len(atoms)
    pending_day: int | None = None
    i = 0
    while i < n:
        a = atoms[i]
        nxt = _next_meaningful(atoms, i + 1)
        k = a.kind
        if k == "month":
            if p.m is None:
                p.m, p.cal = a.v, a.w
                if pending_day is not None:
                    p.d, pending_day = pending_day, None
            j = i + 1
            while j < n and (atoms[j].kind == "month" or (atoms[j].kind in ("slash", "dash") and j + 1 < n
                                                          and atoms[j + 1].kind == "month")):
                j += 1
            if j < n and atoms[j].kind == "shift":
                p.mshift = atoms[j].v
                j += 1
            i = j
            continue
        if k in ("num", "ord"):
            v = a.v
            before = atoms[i - 1] if i > 0 else None
            if before is not None and before.kind == "unit" and before.v == "D" and before.w == "s" \
                    and not before.x and v.denominator == 1 and 1 <= v <= 31 and p.d is None:
                p.d = int(v)  # «يوم 15»: a day of the month
                i += 1
                continue
            nm = atoms[nxt] if nxt is not None else None
            if nm is not None and nm.kind == "unit" and nm.v == "M" and nm.w == "s" and not nm.x:
                nm2 = _next_meaningful(atoms, nxt + 1)
                nm = atoms[nm2] if nm2 is not None else nm
            after_unit = before is not None and before.kind == "unit"  # «الأسبوع الأول من يناير»
            if nm is not None and nm.kind in ("month", "holiday") and v.denominator == 1 and 1 <= v <= 31 \
                    and a.w != -1 and not after_unit:
                pending_day = int(v)
            elif k == "num" and v.denominator == 1 and p.y is None and (
                    _year_like(a) or (nm is not None and nm.kind == "era") or (p.m is not None and v >= 100)
                    or (before is not None and before.kind == "unit" and before.v == "Y" and before.w == "s"
                        and 100 <= v <= 999)):
                p.y = int(v)  # «2024»، «1446 هـ»، «رمضان 1445»، «عام 885»
            elif nm is not None and nm.kind == "unit":
                pass  # a count of a period: a duration, not a point
            elif v.denominator == 1 and p.bare is None:
                p.bare = int(v)
        elif k == "ymd":
            p.y, p.m, p.d = a.v, a.w, a.x
        elif k == "ym":
            p.y, p.m = a.v, a.w
        elif k == "weekday":
            p.wd = a.v
            if nxt is not None and atoms[nxt].kind == "shift":
                p.wdshift = atoms[nxt].v
                i = nxt
        elif k == "dm":
            p.d, p.m = a.v, a.w
        elif k == "anaphor":
            p.anaphoric = True
        elif k == "part":
            p.part = True
            p.third = a.v if p.third is None else p.third
        elif k == "relday":
            p.rel = a.v
        elif k == "unit":
            before = atoms[i - 1] if i > 0 else None
            nm = atoms[nxt] if nxt is not None else None
            if a.w == "s" and nm is not None and (_year_like(nm) or nm.kind in ("month", "num", "ord")) and \
                    a.v in ("Y", "M", "D"):
                pass  # «عام 2024»، «شهر يوليو»، «يوم 15»: the unit word only introduces the value
            elif a.w == "s" and a.x:
                shift: int | None = None
                if nm is not None and nm.kind == "shift":
                    shift = nm.v
                    i = nxt
                elif before is not None and before.kind == "shift" and before.v == 0:
                    shift = 0  # «هذا العام»
                p.ushift = (a.v, shift)
        elif k == "era":
            p.era = a.v
        elif k == "time":
            p.time = p.time or (a.v, a.w)  # «الساعة 2 بعد منتصف الليل»: the first clock is the time
        elif k == "period":
            p.period = p.period or a.v
        elif k == "season":
            p.season = a.v
            if nxt is not None and atoms[nxt].kind == "shift":
                p.mshift = atoms[nxt].v
                i = nxt
        elif k == "quarter":
            p.quarter = a.v
        elif k == "decade":
            p.decade = a.v
        elif k == "century":
            p.century = a.v
        elif k == "holiday":
            p.m, p.d, p.cal = a.v, a.w, a.x
            if nxt is not None and atoms[nxt].kind == "shift":
                p.mshift = atoms[nxt].v
                i = nxt
        elif k == "firstday":
            pending_day = 1
        i += 1
    if pending_day is not None and p.d is None and p.m is not None:
        p.d = pending_day
    if p.era == "h":
        p.cal = "h"
    return p


def _next_meaningful(atoms: list[_A], i: int) -> int | None:
    while i < len(atoms):
        if atoms[i].kind not in ("other", "from", "and", "slash"):
            return i
        i += 1
    return None


# --- calendars
_HIJRI_EPOCH = 1948440          # Julian day number of 1 Muharram 1 AH in the arithmetical calendar
_JDN_OFFSET = 1721425           # Julian day number minus date.toordinal()


def _hijri_to_jdn(y: int, m: int, d: int) -> int:
    return d + (59 * (m - 1) + 1) // 2 + (y - 1) * 354 + (3 + 11 * y) // 30 + _HIJRI_EPOCH - 1


def gregorian_to_hijri(day: _dt.date) -> tuple[int, int, int]:
    """Arithmetical (tabular) Hijri date of a Gregorian date; Umm al-Qura may differ by a day or two."""
    jdn = day.toordinal() + _JDN_OFFSET
    y = (30 * (jdn - _HIJRI_EPOCH) + 10646) // 10631
    m = min(12, -(-(jdn - (29 + _hijri_to_jdn(y, 1, 1))) * 2 // 59) + 1)
    m = max(1, m)
    d = jdn - _hijri_to_jdn(y, m, 1) + 1
    return y, m, d


def hijri_to_gregorian(y: int, m: int, d: int) -> _dt.date:
    return _dt.date.fromordinal(_hijri_to_jdn(y, m, d) - _JDN_OFFSET)


def _year_for_month(m: int, shift: int | None, ref_y: int, ref_m: int, ahead: int = 2) -> int:
    """The year of month m: «الماضي» strictly before the reference month, «المقبل» strictly after, «الجاري»
    the reference year. Without a word, the reference month itself, one of the next `ahead` months (news announce
    what is planned), or else the most recent past one (news mostly report what happened). Fitted to the annotated
    corpus: of its 10 bare months (outside intervals) one to four months after the article's, both one month ahead
    and one of two two months ahead were the coming ones, and all six three or four months ahead the past ones
    («مايو» in a January round-up is last May): 9 of 10 with two months, 3 of 10 with four. The end of an interval
    looks four months ahead (`_interval`), so «أبريل ويونيو» in a February article are the coming ones; so do Hijri
    months («رمضان» in a Jumada article is the coming one), which the corpus has too few of to refit."""
    if shift == -1:
        return ref_y if m < ref_m else ref_y - 1
    if shift == 1:
        return ref_y if m > ref_m else ref_y + 1
    if shift == 0 or m == ref_m:
        return ref_y
    if (m - ref_m) % 12 <= ahead:
        return ref_y if m > ref_m else ref_y + 1
    return ref_y if m < ref_m else ref_y - 1


def _year_of(ushift: tuple[str, int], era: str, ref: _dt.date | None) -> int | None:
    """The year named by «العام الماضي» (Gregorian) or «العام الهجري الماضي» (Hijri)."""
    if ref is None:
        return None
    return (gregorian_to_hijri(ref)[0] if era == "h" else ref.year) + ushift[1]


def _fmt(y: int | None, m: int | None = None, d: int | None = None) -> str:
    s = "XXXX" if y is None else f"{y:04d}"
    if m is not None:
        s += f"-{m:02d}"
        if d is not None:
            s += f"-{d:02d}"
    elif d is not None:
        s += f"-XX-{d:02d}"
    return s


def _iso_week(day: _dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _hour24(hour: int, period: str) -> int:
    """12-hour clock plus a part of the day → 24-hour clock."""
    if period == "NOON":
        return hour + 12 if 1 <= hour <= 5 else hour
    if period in ("ASR", "EV"):
        return hour + 12 if 1 <= hour <= 11 else hour
    if period == "NI":
        if hour == 12:
            return 0
        return hour + 12 if 6 <= hour <= 11 else hour
    if period == "AM" and hour == 12:
        return 12
    return hour


_SEASON_OF_MONTH = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU",
                    9: "FA", 10: "FA", 11: "FA"}
_SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}


def _resolve(p: _Point, ref: _dt.date | None, ahead: int = 2) -> tuple[str | None, str]:
    """(value, calendar) of a point, resolved against the reference date where it needs one."""
    try:
        return _resolve_point(p, ref, ahead)
    except (OverflowError, ValueError):  # a reference date at the edge of the calendar
        return None, p.cal


def _resolve_point(p: _Point, ref: _dt.date | None, ahead: int = 2) -> tuple[str | None, str]:
    cal = p.cal
    value: str | None = None
    full_day = False
    if p.anaphoric:  # «العام نفسه»، «يوليو من العام السابق»: only what the span itself says
        if p.m is not None or p.y is not None:
            return _fmt(p.y, p.m, p.d), cal
        return None, cal
    if p.ushift and p.ushift[1] is None and not (p.part or p.m is not None or p.season or p.quarter):
        # a bare «الشهر»، «العام»: the story's month or year, not necessarily the document's
        if p.y is None and p.rel is None and p.wd is None:
            return None, cal
    ushift = (p.ushift[0], p.ushift[1] or 0) if p.ushift else None
    if p.decade:
        century = p.century or 19
        return f"{century}{p.decade}X", "g"
    if p.m is not None or p.y is not None:
        y = p.y
        if p.m is not None and y is None:
            if ushift and ushift[0] == "Y" and ref:
                y = (gregorian_to_hijri(ref)[0] if cal == "h" else ref.year) + ushift[1]
            elif ref:
                ry, rm = (gregorian_to_hijri(ref)[:2] if cal == "h" else (ref.year, ref.month))
                y = _year_for_month(p.m, p.mshift, ry, rm, 4 if cal == "h" and ahead else ahead)
        if p.m is None and p.season:
            return f"{_fmt(y)}-{p.season}", cal
        if p.m is None and p.quarter:
            return f"{_fmt(y)}-Q{p.quarter}", cal
        if p.m is None:
            cal = "h" if p.era == "h" else cal
        value = _fmt(y, p.m, p.d)
        full_day = p.d is not None
    elif p.season:
        y = None
        if ushift and ushift[0] == "Y" and ref:
            y = ref.year + ushift[1]
        elif ref and p.mshift is not None:
            cur = _SEASON_ORDER[_SEASON_OF_MONTH[ref.month]]
            tgt = _SEASON_ORDER[p.season]
            base = ref.year if ref.month != 12 else ref.year + 1  # December belongs to next year's winter
            if p.mshift == -1:
                y = base if tgt < cur else base - 1
            elif p.mshift == 1:
                y = base if tgt > cur else base + 1
            else:
                y = base
        elif ref:
            y = ref.year
        value = f"{_fmt(y)}-{p.season}"
    elif p.quarter:
        y = _year_of(ushift, p.era, ref) if ushift and ushift[0] == "Y" else ref.year if ref else None
        value = f"{_fmt(y)}-Q{p.quarter}"
        cal = "h" if p.era == "h" else cal
    elif p.d is not None:
        value, full_day = _fmt(None, None, p.d), False
    elif ref is not None:
        day: _dt.date | None = None
        if p.rel is not None:
            day = ref + _dt.timedelta(days=p.rel)
        elif p.wd is not None:
            if p.wdshift == -1:
                day = ref - _dt.timedelta(days=(ref.weekday() - p.wd) % 7 or 7)
            elif p.wdshift == 1:
                day = ref + _dt.timedelta(days=(p.wd - ref.weekday()) % 7 or 7)
            else:
                day = ref - _dt.timedelta(days=(ref.weekday() - p.wd) % 7)
        elif ushift:
            unit, shift = ushift
            if unit == "M":
                if p.ushift[1] is None and p.third is not None and ref.day < _PART_FIRST_DAY[p.third]:
                    shift = -1  # «منتصف الشهر» on the 2nd is last month's; «منتصف الشهر الجاري» is this one's
                y, m = _add_months(ref.year, ref.month, shift)
                value = _fmt(y, m)
            elif unit == "Y":  # «العام الهجري الحالي» counts Hijri years
                value, cal = _fmt(_year_of(ushift, p.era, ref)), ("h" if p.era == "h" else cal)
            elif unit == "W":
                value = _iso_week(ref + _dt.timedelta(weeks=shift))
            elif unit == "D":
                day = ref + _dt.timedelta(days=shift)
        if day is not None:
            value, full_day = day.isoformat(), True
    if p.time is not None:
        clock = f"T{_hour24(p.time[0], p.period):02d}:{p.time[1]:02d}"
        if value is None:
            value = clock
        elif full_day:
            value += clock
    return value, cal


# --- durations
_DURATION_ORDER = ("Y", "M", "W", "D", "H", "MIN", "S")
_SMALLER = {"Y": ("M", 12), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60)}


def _duration(atoms: list[_A]) -> str | None:
    """ISO 8601 duration of a period expression: ثلاثة أسابيع → P3W, ساعة ونصف → PT1H30M, أشهر → PXM."""
    parts: dict[str, Fraction | None] = {}
    n = len(atoms)
    i = 0
    count: Fraction | None | str = ""   # "" = no count read yet, None = unspecified (X)
    seen_unit = False
    while i < n:
        a = atoms[i]
        if a.kind in ("num", "frac"):
            if count == "" or count is None:
                count = a.v
            elif a.kind == "frac":
                count = count + a.v  # type: ignore[operator]
        elif a.kind == "few":
            count = None
        elif a.kind == "unit":
            code, form = a.v, a.w
            amount: Fraction | None
            if form == "d":
                amount = Fraction(2)
            elif count != "":
                amount = count  # type: ignore[assignment]
            else:
                nxt = _next_meaningful(atoms, i + 1)
                if form == "p" and nxt is not None and atoms[nxt].kind == "num":
                    amount = atoms[nxt].v
                    i = nxt
                elif form == "p":
                    amount = None
                else:
                    amount = Fraction(1)
            # «ساعة ونصف»، «عامين ونصف»
            j = i + 1
            if j + 1 < n and atoms[j].kind == "and" and atoms[j + 1].kind == "frac" and amount is not None:
                amount += atoms[j + 1].v
                i = j + 1
            elif j < n and atoms[j].kind == "frac" and amount is not None and atoms[j].v == Fraction(1, 2):
                amount += atoms[j].v
                i = j
            if code == "DEC":
                code, amount = "Y", None if amount is None else amount * 10
            elif code == "CEN":
                code, amount = "Y", None if amount is None else amount * 100
            if code in parts:
                break
            parts[code] = amount
            seen_unit = True
            count = ""
        elif a.kind in ("shift", "other", "and", "from", "to", "part", "slash", "dash", "anaphor"):
            pass
        else:
            return None
        i += 1
    if not seen_unit:
        return None
    return _fmt_duration(parts)


def _fmt_duration(parts: dict[str, Fraction | None]) -> str:
    comps: dict[str, Fraction | None] = {}
    for code, amount in parts.items():
        if amount is None:
            comps[code] = None
            continue
        whole = Fraction(amount.numerator // amount.denominator)
        rest = amount - whole
        if rest and code in _SMALLER and (rest * _SMALLER[code][1]).denominator == 1:
            if whole:
                comps[code] = whole
            sub = _SMALLER[code][0]
            comps[sub] = (comps.get(sub) or 0) + rest * _SMALLER[code][1]
        else:
            comps[code] = amount
    date_s, time_s = "", ""
    for code in _DURATION_ORDER:
        if code not in comps:
            continue
        amount = comps[code]
        num = "X" if amount is None else _num_str(amount)
        letter = "M" if code == "MIN" else code
        if code in ("H", "MIN", "S"):
            time_s += num + letter
        else:
            date_s += num + letter
    return "P" + date_s + ("T" + time_s if time_s else "")


def _num_str(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return f"{float(x):.4f}".rstrip("0").rstrip(".")


def _offset(atoms: list[_A], ref: _dt.date | None) -> tuple[bool, str | None]:
    """«قبل يومين»، «بعد ثلاثة أسابيع»: (is an offset, resolved value)."""
    kinds = [a.kind for a in atoms]
    for marker, sign in (("before", -1), ("after", 1)):
        if marker in kinds:
            rest = atoms[kinds.index(marker) + 1:]
            dur = _duration(rest)
            if dur is None:
                return False, None
            if ref is None:
                return True, None
            m = re.fullmatch(r"P(\d+)([YMWD])", dur)
            if not m:
                return True, None
            k, unit = int(m.group(1)) * sign, m.group(2)
            try:
                if unit == "D":
                    return True, (ref + _dt.timedelta(days=k)).isoformat()
                if unit == "W":
                    return True, (ref + _dt.timedelta(weeks=k)).isoformat()
                if unit == "M":
                    return True, _fmt(*_add_months(ref.year, ref.month, k))
                return True, _fmt(ref.year + k)
            except (OverflowError, ValueError):
                return True, None
    return False, None


_ISO_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _clock_pair(left: _Point, right: _Point) -> None:
    """The two ends of a range of hours («بين 10 و11 ليلا»، «الساعة 4:00 و9:30 مساءً»): beside a clock or a part of
    the day a bare number is an hour, and a part of the day written on the upper end only also applies to the lower
    end when that keeps the range increasing («4:00 و9:30 مساءً» → 16:00–21:30, «8 و5 مساء» → 08:00–17:00)."""
    if not (left.time or right.time or left.period or right.period):
        return
    if any(x is not None for p in (left, right) for x in (p.y, p.m, p.d)):
        return
    for p in (left, right):
        if p.time is None and p.bare is not None and 0 <= p.bare <= 24:
            p.time, p.bare = (p.bare % 24, 0), None
    if left.time and right.time and right.period and not left.period:
        lower = _hour24(left.time[0], right.period) * 60 + left.time[1]
        if lower < _hour24(right.time[0], right.period) * 60 + right.time[1]:
            left.period = right.period


def _interval(atoms: list[_A], ref: _dt.date | None, ahead: int = 2) -> tuple[str | None, str] | None:
    """«بين 15 و19 تموز»، «من يناير إلى مارس»، «2011-2015» → (start/end, calendar), or None if not a range."""
    core = [a for a in atoms if a.kind not in ("other", "few")]
    kinds = [a.kind for a in core]
    if "between" in kinds:  # «الليلة الفاصلة بين السبت والأحد»: the range is what follows «بين»
        core = core[kinds.index("between"):]
    if not core:
        return None
    splits: list[tuple[list[_A], list[_A]]] = []
    if core[0].kind == "between":
        splits = [(core[1:k], core[k + 1:]) for k, a in enumerate(core) if a.kind == "and" and k > 1]
    elif core[0].kind == "from":
        splits = [(core[1:k], core[k + 1:]) for k, a in enumerate(core) if a.kind in ("to", "dash") and k > 1]
    else:
        # «15-19 يوليو»، «2011 - 2015»، and two dates joined by «و» («24 و31 يناير»، «الأحد والثلاثاء»),
        # which the corpus writes as the interval they bound; «تموز/يوليو» is one month written twice
        splits = [(core[:k], core[k + 1:]) for k, a in enumerate(core)
                  if a.kind in ("dash", "to", "and") and k > 0 and k + 1 < len(core)
                  and not (core[k - 1].kind == "month" and core[k + 1].kind == "month"
                           and core[k - 1].v == core[k + 1].v)]
        # «ليل السبت الأحد»، «ليلة السبت على الأحد»: two weekdays side by side name the night between them
        splits += [(core[:k], core[k:]) for k in range(1, len(core))
                   if core[k - 1].kind == "weekday" and core[k].kind == "weekday"]
    for left_atoms, right_atoms in splits:
        if not left_atoms or not right_atoms:
            continue
        left, right = _point(left_atoms), _point(right_atoms)
        if any(a.kind in ("frac", "unit") and not (a.kind == "unit" and a.x) for a in right_atoms):
            continue  # «ساعة ونصف»، «سنة وثلاثة أشهر»: a duration, not two dates
        _clock_pair(left, right)
        if left.bare is not None and right.d is not None and right.m is not None:
            left.d = left.bare
        elif left.bare is not None and left.y is None and right.y is not None and right.m is None:
            left.y = left.bare if left.bare >= 1000 else None
        if not (left.is_point() and right.is_point()):
            continue
        if left.m is None and left.d is not None and right.m is not None:
            left.m, left.cal = right.m, right.cal
        if left.m is not None and left.cal == "g" and right.cal == "h" and left.m == right.m:
            left.cal = "h"
        if left.y is None and right.y is not None and left.m is not None:
            left.y = right.y if (right.m is None or left.m <= right.m) else right.y - 1
        if right.y is None and left.y is not None and right.m is not None:
            right.y = left.y if (left.m is None or right.m >= left.m) else left.y + 1
        if left.y is None and right.y is None and ref is not None and right.m is not None:
            right_value, _ = _resolve(right, ref, ahead=4 if ahead else 0)
            if right_value and right_value[:4].isdigit():
                right.y = int(right_value[:4])
                left.y = right.y if (left.m is None or left.m <= right.m) else right.y - 1
        lv, lcal = _resolve(left, ref, ahead)
        rv, rcal = _resolve(right, ref, ahead)
        if lv is None or rv is None:
            return None, rcal
        if left.wd is not None and right.wd is not None and _ISO_DAY_RE.fullmatch(rv):
            # «السبت والأحد»: the first weekday is the latest one before the second
            end = _dt.date.fromisoformat(rv)
            try:
                lv = (end - _dt.timedelta(days=(end.weekday() - left.wd) % 7 or 7)).isoformat()
            except OverflowError:  # a reference date at the edge of the calendar
                return None, rcal
        if _ISO_DAY_RE.fullmatch(lv) and _ISO_DAY_RE.fullmatch(rv) and lv > rv:
            lv, rv = rv, lv  # «اليوم وأمس»
        return f"{lv}/{rv}", rcal
    return None


_BC = {("قبل", "الميلاد"), ("قبل", "الميلادي"), ("قبل", "المسيح"), ("ق", "م")}


def _before_christ(toks: list[_Tok]) -> bool:
    """«قبل الميلاد»، «قبل المسيح»، «ق.م»: ISO-8601 years do not count backwards, so such a date has no value."""
    keys = [t.key for t in toks if t.key != "."]
    return any(pair in _BC for pair in zip(keys, keys[1:]))


def _parse_date(text: str, ref: _dt.date | None, ahead: int = 2) -> dict[str, Any]:
    toks = _tokenize(text, split_compound=False)
    if _before_christ(toks):
        return {"value": None}
    atoms = _date_atoms(toks)
    kinds = [a.kind for a in atoms]
    if "equals" in kinds:  # «15 رمضان 1445 هـ الموافق 25 مارس 2024»: the Gregorian side is the value
        k = kinds.index("equals")
        sides = [_date_value(atoms[:k], ref, ahead), _date_value(atoms[k + 1:], ref, ahead)]
        for value, cal in sides:
            if value is not None and cal == "g":
                return {"value": value}
        for value, cal in sides:
            if value is not None:
                return _date_dict(value, cal)
        return {"value": None}
    one = [k for k in range(len(atoms) - 1) if atoms[k].kind == "unit" and atoms[k].w == "s"
           and atoms[k + 1].kind == "num" and atoms[k + 1].w == 0 and atoms[k + 1].v == 1]
    if one:  # «يوم واحد» is a length of one day; «يوم 1» stays the first of a month
        atoms = atoms[:one[0] + 1] + atoms[one[0] + 2:]
    lengths = _duration_range(atoms)
    if lengths is not None:
        out = {"value": None, "min": lengths[0], "max": lengths[1]}
        if _duration_bounds(toks, lengths[0]).get("approximate"):
            out["approximate"] = True
        return out
    out = _date_dict(*_date_value(atoms, ref, ahead))
    value = out["value"]
    if isinstance(value, str) and value.startswith("P"):
        out.update(_duration_bounds(toks, value))
    elif isinstance(value, str) and "T" in value and _duration_bounds(toks, value).get("approximate"):
        out["approximate"] = True  # «حوالي الساعة العاشرة»; «حتى الساعة العاشرة» is a limit, not a value's bound
    return out


def _duration_range(atoms: list[_A]) -> tuple[str, str] | None:
    """«3 و10 سنوات»، «بين ساعة وساعتين»، «من يومين إلى ثلاثة أيام»، «3-5 أيام»: two lengths of one unit, the
    shorter first, as ISO durations (a range: min and max, no value); None for anything else («سنة وثلاثة أشهر»
    is one length, «ساعة ونصف» too)."""
    core = [a for a in atoms if a.kind not in ("between", "from", "other") or a.v == "او"]
    if len(core) == 2 and core[0].kind == "dm" and core[1].kind == "unit" and core[1].w == "p" and not core[1].x:
        ends = [(Fraction(core[0].v), None), (Fraction(core[0].w), core[1])]  # «3-5 أيام» is no day and month
    else:
        links = [k for k, a in enumerate(core)
                 if a.kind in ("and", "to", "dash") or (a.kind == "other" and a.v == "او")]
        if len(links) != 1:
            return None
        left, right = _length(core[:links[0]]), _length(core[links[0] + 1:])
        if left is None or right is None:
            return None
        ends = [left, right]
    units = {a.v for _, a in ends if a is not None}
    if len(units) != 1 or not ends[0][0] < ends[1][0]:
        return None
    code = units.pop()
    return _fmt_duration({code: ends[0][0]}), _fmt_duration({code: ends[1][0]})


def _length(side: list[_A]) -> tuple[Fraction, _A | None] | None:
    """One end of a range of lengths: a count («3»), a unit word that carries its count («ساعة»، «يومين») or both
    («ثلاثة أيام»), with the unit atom when there is one."""
    kinds = [a.kind for a in side]
    if kinds == ["num"]:
        return side[0].v, None
    if kinds == ["unit"] and side[0].w in ("s", "d") and not side[0].x:
        return Fraction(2 if side[0].w == "d" else 1), side[0]
    if kinds == ["num", "unit"] and not side[1].x:
        return side[0].v, side[1]
    return None


def _duration_bounds(toks: list[_Tok], value: str) -> dict[str, Any]:
    """Approximators and bounds around a length of time, as on a QUANTITY: «نحو ساعتين» → approximate,
    «أكثر من ثلاثة أسابيع» → min P3W, «أقل من أسبوع» / «أسبوع على الأكثر» → max P1W. Dates keep none: «حتى نهاية
    العام» is no bound on a length."""
    kinds: list[str] = []
    i = 0
    while i < len(toks):
        if toks[i].kind == "sym" or toks[i].key in LEADING_CLITICS:
            i += 1
            continue
        m = _PREFIX_PHRASES.match(toks, i)
        if not m or m[0] not in ("approx", "min", "max"):
            break
        kinds.append(m[0])
        i += m[1]
    for k in range(i + 1, len(toks)):
        m = _SUFFIX_PHRASES.match(toks, k)
        if m and m[0] in ("approx", "min", "max") and all(t.kind == "sym" for t in toks[k + m[1]:]):
            kinds.append(m[0])
            break
    out: dict[str, Any] = {}
    if "approx" in kinds:
        out["approximate"] = True
    for kind in ("min", "max"):
        if kind in kinds:
            out[kind] = value
    return out


def _date_dict(value: str | None, cal: str) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value}
    if cal == "h" and value is not None:
        out["calendar"] = "hijri"
    return out


def _subperiod(atoms: list[_A], ref: _dt.date | None) -> tuple[str | None, str] | None:
    """«الأشهر التسعة الأولى من العام» → Y-01/Y-09, «الأشهر الثلاثة الأخيرة من 2024» → 2024-10/2024-12,
    «النصف الأول من السنة الجارية» → Y-01/Y-06, «الأيام العشرة الأولى من رمضان» → XXXX-09-01/XXXX-09-10,
    «الأسبوعين الأخيرين من العام» → Y-12-18/Y-12-31 (days and weeks of a Gregorian year or month)."""
    core = [a for a in atoms if a.kind not in ("other", "few")]
    kinds = [a.kind for a in core]
    if "from" not in kinds or len(core) < 4:
        return None
    k = kinds.index("from")
    head, rest = core[:k], core[k + 1:]
    count: int | None = None
    unit = ""
    first: bool | None = None
    for a in head:
        if a.kind == "unit" and a.w in ("p", "d", "s") and a.v in ("M", "D", "W") and not unit:
            unit = a.v
            count = {"d": 2, "s": 1}.get(a.w, count)  # «الشهر الأخير من العام»: one month
        elif a.kind == "relday" and a.v == 0 and a is head[0] and not unit:
            unit, count = "D", 1  # «اليوم الأول من العام»: «اليوم» is a day of it, not today
        elif a.kind == "frac" and a.v == Fraction(1, 2) and not unit:
            unit, count = "H", 6  # a half year: six months
        elif a.kind == "num" and a.v.denominator == 1 and count is None:
            count = int(a.v)
        elif a.kind == "ord" and a.v in (1, 2) and unit == "H":
            first = a.v == 1
        elif a.kind == "ord" and a.v == 1:
            first = True
        elif a.kind == "shift" and a.w:
            first = False
        else:
            return None
    if not unit or count is None or first is None:
        return None
    whole = _point(rest)
    whole.part = True  # «من العام»: the year the document speaks of
    value, cal = _resolve(whole, ref)
    if value is None:
        return None
    found = _part_of(unit, count, first, value, cal)
    start = found.split("/")[0] if found else ""
    if start and whole.y is None and whole.m is None and cal == "g" and ref is not None and value.isdigit() \
            and ref.month <= 3 and _dt.date.fromisoformat(start if len(start) == 10 else start + "-01") > ref:
        # early in a year, a part of «العام» that has not begun is last year's: the season of yearly reviews
        found = _part_of(unit, count, first, str(int(value) - 1), cal)
    return (found, cal) if found else None


def _part_of(unit: str, count: int, first: bool, value: str, cal: str) -> str | None:
    """The first or last `count` units (M, H, D, W) of the year or month `value`, or None where they do not fit."""
    if unit in ("M", "H") and re.fullmatch(r"\d{4}|XXXX", value) and 1 <= count <= 12:
        a, b = (1, count) if first else (13 - count, 12)
        return f"{value}-{a:02d}" if a == b else f"{value}-{a:02d}/{value}-{b:02d}"
    if unit == "D" and count == 1 and re.fullmatch(r"\d{4}|XXXX", value):
        return f"{value}-{'01-01' if first else '12-31'}"  # «اليوم الأخير من العام»
    if unit == "D" and first and re.fullmatch(r"(\d{4}|XXXX)-\d{2}", value) and 1 <= count <= 30:
        return f"{value}-01" if count == 1 else f"{value}-01/{value}-{count:02d}"
    if unit in ("D", "W") and cal == "g" and re.fullmatch(r"\d{4}(-\d{2})?", value):
        year, month = int(value[:4]), int(value[5:]) if len(value) > 4 else 0
        start = _dt.date(year, month or 1, 1)
        end = _dt.date(year, month or 12, calendar.monthrange(year, month or 12)[1])
        days = count * (7 if unit == "W" else 1)
        if not 1 <= days <= (end - start).days + 1:
            return None
        a, b = (start, start + _dt.timedelta(days - 1)) if first else (end - _dt.timedelta(days - 1), end)
        return a.isoformat() if a == b else f"{a.isoformat()}/{b.isoformat()}"  # «الأسابيع الستة الأخيرة من العام»
    return None


def _date_value(atoms: list[_A], ref: _dt.date | None, ahead: int = 2) -> tuple[str | None, str]:
    interval = _interval(atoms, ref, ahead)
    if interval is not None:
        return interval
    sub = _subperiod(atoms, ref)
    if sub is not None:
        return sub
    is_offset, value = _offset(atoms, ref)
    if is_offset:
        return value, "g"
    p = _point(atoms)
    plural_unit = any(a.kind == "unit" and (a.w in ("d", "p") or not a.x) for a in atoms)
    anchored = any(x is not None for x in (p.y, p.m, p.d, p.rel, p.wd, p.time, p.ushift))
    if p.century and not p.decade and not p.is_point():  # «القرن التاسع الهجري»: "08" in the Hijri calendar
        return f"{p.century:02d}", ("h" if p.era == "h" else "g")
    if p.is_point() and (anchored or not plural_unit):
        if p.ushift and p.ushift[0] in ("DEC", "CEN") and p.ushift[1] != 0:
            return ("P10Y" if p.ushift[0] == "DEC" else "P100Y"), "g"
        if p.ushift and any(a.kind == "shift" and a.w for a in atoms) and p.m is None and p.y is None:
            return _duration(atoms), "g"  # «العام الأخير»: the last year, a period
        return _resolve(p, ref, ahead)
    dur = _duration(atoms)
    if dur is not None:
        return dur, "g"
    if p.bare is not None and p.era:
        return _fmt(p.bare), ("h" if p.era == "h" else "g")
    return None, "g"


def _coerce_ref(ref: Any) -> _dt.date | None:
    if isinstance(ref, _dt.datetime):
        return ref.date()
    if isinstance(ref, _dt.date):
        return ref
    if isinstance(ref, str) and ref.strip():
        try:
            return _dt.date.fromisoformat(ref.strip()[:10])
        except ValueError:
            return None
    return None


# ------------------------------------------------------------------------------------------ public API
def _safe(fn: Any, text: Any, *args: Any) -> Any:
    """Run a parser; input text never makes the API raise. Internal errors surface under _STRICT (tests)."""
    if not isinstance(text, str):
        return None
    try:
        return fn(text, *args)
    except Exception:
        if _STRICT:
            raise
        return None


def parse_number(text: str) -> int | float | None:
    """The value of a bare number expression (digits, number words, or both: «ثلاثة آلاف وخمسمئة», «2.5 مليار»);
    leading clitics are ignored and anything after the number is too. None when there is no number."""
    return _safe(_parse_number, text)


def parse_quantity(text: str, following: str = "") -> dict[str, Any]:
    """QUANTITY keys: value, unit, approximate, min, max. `following` is the text after the span: in a partitive
    («[خمسة] من عناصر التنظيم») the span is the number and the unit is the noun after «من»."""
    out = _safe(_parse_quantity, text) or {"value": None}
    if "unit" not in out and any(out.get(k) is not None for k in ("value", "min", "max")):
        unit = _safe(_partitive_unit, following)
        if unit:
            out["unit"] = unit
    return out


def _partitive_unit(following: str) -> str | None:
    """The singular of the plural noun after a partitive «من» at the start of `following`, or None: «من عناصر
    الأمن» → عنصر, «من أفرادها» → فرد, «من مسلحي الحركة» → مسلح; «منهم», «من أصل …» and a singular noun («ثلاثة
    من عائلة واحدة» counts people, not families) name no unit."""
    toks = [t for t in _tokenize(following[:60]) if t.kind == "word"]
    if len(toks) > 2 and toks[1].key in _PARTITIVE_ADJECTIVES:
        toks = toks[:1] + toks[2:]  # «تسعة من كبار الممولين»: the counted noun follows the adjective
    if len(toks) < 2 or toks[0].key != "من" or not _is_arabic_word(toks[1]):
        return None
    raw = toks[1].raw  # genitive after «من»: a final alef is the pronoun «نا»/«ها», never tanween
    noun = raw[2:] if raw.startswith("ال") and len(raw) >= 4 else raw
    if _fold(noun) in NOT_PARTITIVE:
        return None
    stems = [noun] + [noun[:-len(suffix)].replace("ئ", "ء") if noun.endswith("ائ" + suffix) else noun[:-len(suffix)]
                      for suffix in _POSSESSIVE_SUFFIXES if noun.endswith(suffix) and len(noun) > len(suffix) + 2]
    stems += [stem[:-1] + "ة" for stem in stems[1:] if stem.endswith("ت")]  # «قادتها» → قادة
    for stem in stems:
        single = _plural_singular(stem)
        if single:
            return single
    for stem in stems:
        key = _fold(stem)
        if key.endswith("ي") and len(key) >= 5 and not key.startswith("ا") and _plural_singular(stem + "ن"):
            return stem[:-1]  # a sound plural in construct: «مسلحي التنظيم», «مقاتليه» → مسلح, مقاتل
    return None


def _plural_singular(noun: str) -> str | None:
    """The singular of a plural the tables know or of a sound masculine plural; None for any other word."""
    single = _singular(noun)
    return single if _fold(single) != _fold(noun) else None


def parse_money(text: str) -> dict[str, Any]:
    """MONEY keys: value, currency (ISO 4217, None when the word does not say which), approximate, min, max."""
    return _safe(_parse_money, text) or {"value": None}


def resolve_anaphor(text: str, value: str | None, antecedent: str) -> str | None:
    """The value of an anaphoric date span given the value of the date of the story it points back to: «العام
    السابق» after «2024» → 2023, «اليوم التالي» after 2024-05-03 → 2024-05-04, «مارس من العام نفسه» (XXXX-03) →
    2024-03. None when the span is not anaphoric, names no year, month or day, or the antecedent lacks that precision,
    and for a bare «العام نفسه» / «الشهر ذاته»: on the annotated corpus the latest earlier date was its referent only
    32 times in 51 (a comparison year often stands between), against 57 in 61 for the other forms."""
    toks = [t for t in _tokenize(text, split_compound=False) if t.kind == "word"]
    if not any(t.key in ANAPHORS for t in toks) or any(_lookup(t.key, NOT_ANAPHORIC) for t in toks):
        return None
    found = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", antecedent or "")
    if not found:
        return None
    year, month, day = (int(g) if g else None for g in found.groups())
    shift = next((ANAPHOR_SHIFT[t.key] for t in toks if t.key in ANAPHOR_SHIFT), 0)
    units = [u[0][0] for u in (_lookup(t.key, TIME_UNITS) for t in toks) if u and u[0][1] == "s"]
    unit = units[-1] if units else None
    if value is not None:  # «مارس من العام نفسه»: the span has the month, the story the year
        return f"{year + shift:04d}{value[4:]}" if unit == "Y" and value.startswith("XXXX") else None
    if shift == 0:
        return None
    if unit == "Y":
        return f"{year + shift:04d}"
    if unit == "M" and month:
        y, m = _add_months(year, month, shift)
        return f"{y:04d}-{m:02d}"
    if unit == "D" and month and day:
        return (_dt.date(year, month, day) + _dt.timedelta(days=shift)).isoformat()
    return None


def currency_noun(text: str) -> str | None:
    """The currency noun a money expression is written with, folded («جنيه» in «500 ألف جنيه»), or None (a symbol, a
    code, no currency word): what lets a document lend a bare «جنيه» the currency its other mentions spell out."""
    toks = _tokenize(text)
    for k in range(len(toks)):
        found, _, lemma = _currency_at(toks, k)
        if found:
            return lemma or None
    return None


def parse_percent(text: str) -> dict[str, Any]:
    """PERCENT keys: value (30 for 30%), approximate, min, max."""
    return _safe(_parse_percent, text) or {"value": None}


def parse_date(text: str, reference_date: _dt.date | None = None, preceding: str = "") -> dict[str, Any]:
    """DATE keys: value (ISO-8601-like string or None) and calendar "hijri" for Hijri dates. The reference date
    (the document's date) resolves relative expressions; without it they give None (a month name: XXXX-MM).
    `preceding` is the document's text before the span: a date after «منذ» has already come."""
    ahead = 0 if _after_since(preceding) else 2
    return _safe(_parse_date, text, _coerce_ref(reference_date), ahead) or {"value": None}


def _after_since(preceding: Any) -> bool:
    """Whether the last word before the span is «منذ» (with «و» or «ف»), ignoring brackets and quotes."""
    if not isinstance(preceding, str):
        return False
    content = [tok for tok in _tokenize(preceding[-40:], split_compound=False) if tok.kind != "sym"]
    return bool(content) and content[-1].key in ("منذ", "ومنذ", "فمنذ")


_DISPATCH = {"QUANTITY": parse_quantity, "MONEY": parse_money, "PERCENT": parse_percent}

# Verbs just before a count, sum or share that bound it from outside the span («مبالغ تجاوزت [780 مليون درهم]»,
# «لا تتجاوز [45 ألف ريال]»): on the annotated corpus the readers gave the bound 237 times in 252.
_BOUND_VERBS = _folded({
    **dict.fromkeys("تتجاوز يتجاوز تجاوز تجاوزت تفوق يفوق فاق فاقت".split(), ("min", "")),
    **dict.fromkeys("تزيد يزيد زاد زادت تربو يربو ربا".split(), ("min", "على عن")),
    **dict.fromkeys("تقل يقل قل قلت".split(), ("max", "عن")),
    **dict.fromkeys("تصل يصل".split(), ("max", "إلى")),
    **dict.fromkeys("تقارب يقارب قارب قاربت تناهز يناهز ناهز ناهزت".split(), ("approx", "")),
})
_NEGATIONS = set(_words({0: "لا لم لن"}))
_BOUND_PREPOSITIONS = set(_words({0: "على عن إلى"}))


def _verb_bound(preceding: str) -> str | None:
    """The bound a verb right before the span puts on it: "min", "max", "approx" or None. A negation turns a
    lower bound into an upper one and back («لا تتجاوز» → max, «لا تقل عن» → min); «ليصل إلى», the end point of
    a change, and a negated approximation are no bound."""
    words = [tok.key for tok in _tokenize(preceding[-40:], split_compound=False) if tok.kind != "sym"]
    prep = ""
    if len(words) >= 2 and words[-1] in _BOUND_PREPOSITIONS:
        prep = words.pop()
    if not words:
        return None
    verb = words[-1]
    if verb not in _BOUND_VERBS and verb[:1] in ("و", "ف") and verb[1:] in _BOUND_VERBS:
        verb = verb[1:]
    if verb not in _BOUND_VERBS:
        return None
    kind, preps = _BOUND_VERBS[verb]
    if preps and prep not in _fold(preps).split() or not preps and prep:
        return None
    if len(words) < 2 or words[-2] not in _NEGATIONS:
        return kind
    if kind == "min":
        return "max"
    return "min" if kind == "max" and prep == _fold("عن") else None


def _bound_from_verb(out: dict[str, Any], preceding: str) -> dict[str, Any]:
    """`out` with the bound of a verb before the span, unless the span states a bound or a range itself."""
    kind = _verb_bound(preceding) if isinstance(preceding, str) else None
    if kind is None or out.get("value") is None or any(k in out for k in ("min", "max", "approximate")):
        return out
    if kind == "approx":
        return {**out, "approximate": True}
    return {**out, kind: out["value"]}


def normalize(text: str, type: str, reference_date: _dt.date | None = None,  # noqa: A002
              preceding: str = "", following: str = "") -> dict[str, Any]:
    """Normalized keys of an entity span of the given type; `preceding` (the text before the span) gives a date
    its direction and a count, sum or share the bound of a verb before it, `following` (the text after it) gives a
    count its unit. An unknown type is a programmer error: ValueError."""
    kind = type.upper() if isinstance(type, str) else None
    if kind == "DATE":
        return parse_date(text, reference_date, preceding)
    if kind == "QUANTITY":
        return _bound_from_verb(parse_quantity(text, following), preceding)
    if kind in _DISPATCH:
        return _bound_from_verb(_DISPATCH[kind](text), preceding)
    raise ValueError(f"normalize: type must be one of {', '.join(TYPES)}, not {type!r}")
