"""annotations/STATS.md: what the compiled corpus contains, per split, so gaps are visible before training.

Counts come from annotations/corpus/{train,dev,test}.jsonl (run compile first). Number formats and countries are
detected from entity texts with small word lists (below), comparing words without diacritics, with hamza forms of
alef, alef maqsura and taa marbuta folded, and with the clitics و ف ب ل ك and the article ال stripped. They are
indicators for coverage, not a normalizer: rasid.numbers does the real work. «عمان» alone is not counted as a
country (Oman or Amman); «سلطنة عمان» is.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rasid.labels import ENTITY_TYPES, EVENT_TYPES, NUMERIC_TYPES, RELATIONS, ROLES
from rasid.text import fold, sentence_spans, word_spans

from .agree import LAYERS, read_agreement
from .jsonl import read_jsonl
from .record import Record
from .repo import SPLITS, agreement_path, corpus_dir, stats_path

def _words(*phrases: str) -> frozenset[str]:
    return frozenset(fold(p) for p in phrases)


_COUNTRY_NAMES = {
    "سوريا": ("سوريا", "سورية"), "العراق": ("العراق",), "لبنان": ("لبنان",), "الأردن": ("الأردن",),
    "مصر": ("مصر", "جمهورية مصر العربية"), "السعودية": ("السعودية", "المملكة العربية السعودية"),
    "اليمن": ("اليمن",), "ليبيا": ("ليبيا",), "تونس": ("تونس",), "الجزائر": ("الجزائر",), "المغرب": ("المغرب",),
    "موريتانيا": ("موريتانيا",), "السودان": ("السودان",), "جنوب السودان": ("جنوب السودان",),
    "الصومال": ("الصومال",), "جيبوتي": ("جيبوتي",), "فلسطين": ("فلسطين",), "إسرائيل": ("إسرائيل",),
    "قطر": ("قطر",), "الكويت": ("الكويت",), "البحرين": ("البحرين",),
    "الإمارات": ("الإمارات", "الإمارات العربية المتحدة", "دولة الإمارات"), "عمان": ("سلطنة عمان",),
    "إيران": ("إيران",), "تركيا": ("تركيا",), "أفغانستان": ("أفغانستان",), "باكستان": ("باكستان",),
    "الهند": ("الهند",), "الولايات المتحدة": ("الولايات المتحدة", "الولايات المتحدة الأمريكية",
                                             "الولايات المتحدة الأميركية", "أمريكا", "أميركا"),
    "روسيا": ("روسيا",), "أوكرانيا": ("أوكرانيا",), "فرنسا": ("فرنسا",), "بريطانيا": ("بريطانيا", "المملكة المتحدة"),
    "ألمانيا": ("ألمانيا",), "إيطاليا": ("إيطاليا",), "إسبانيا": ("إسبانيا",), "بلجيكا": ("بلجيكا",),
    "هولندا": ("هولندا",), "السويد": ("السويد",), "النمسا": ("النمسا",), "اليونان": ("اليونان",),
    "قبرص": ("قبرص",), "الصين": ("الصين",), "مالي": ("مالي",), "النيجر": ("النيجر",), "نيجيريا": ("نيجيريا",),
    "تشاد": ("تشاد",), "بوركينا فاسو": ("بوركينا فاسو",), "الكاميرون": ("الكاميرون",), "إثيوبيا": ("إثيوبيا",),
    "كينيا": ("كينيا",), "إريتريا": ("إريتريا",), "موزمبيق": ("موزمبيق",), "الكونغو": ("الكونغو",),
    "أذربيجان": ("أذربيجان",), "أرمينيا": ("أرمينيا",), "كوريا الشمالية": ("كوريا الشمالية",),
}
COUNTRIES = {fold(variant): name for name, variants in _COUNTRY_NAMES.items() for variant in variants}

NUMBER_WORDS = _words(
    "واحد", "واحدة", "أحد", "إحدى", "اثنان", "اثنين", "اثنتان", "اثنتين", "ثلاث", "ثلاثة", "أربع", "أربعة", "خمس",
    "خمسة", "ست", "ستة", "سبع", "سبعة", "ثمان", "ثماني", "ثمانية", "تسع", "تسعة", "عشر", "عشرة", "عشرون", "عشرين",
    "ثلاثون", "ثلاثين", "أربعون", "أربعين", "خمسون", "خمسين", "ستون", "ستين", "سبعون", "سبعين", "ثمانون",
    "ثمانين", "تسعون", "تسعين", "مئة", "مائة", "مئتان", "مئتين", "مائتان", "مائتين", "ثلاثمئة", "أربعمئة",
    "خمسمئة", "ستمئة", "سبعمئة", "ثمانمئة", "تسعمئة", "ثلاثمائة", "أربعمائة", "خمسمائة", "ألف", "ألفان", "ألفين",
    "مليون", "مليونان", "مليونين", "مليار", "مليارين", "نصف", "ربع")
VAGUE_WORDS = _words("عشرات", "مئات", "آلاف", "ألوف", "ملايين", "مليارات", "بضع", "بضعة", "عدة", "العديد", "عدد")
APPROXIMATORS = tuple(tuple(fold(p).split()) for p in (
    "حوالي", "حوالى", "نحو", "قرابة", "زهاء", "تقريبا", "تقريبًا", "ما يقرب من", "ما يقارب", "ما يناهز"))
BOUNDS = tuple(tuple(fold(p).split()) for p in (
    "أكثر من", "اكثر من", "أزيد من", "ما يزيد على", "ما يزيد عن", "ما لا يقل عن", "لا يقل عن", "على الأقل",
    "أقل من", "حتى", "ما يصل إلى", "يصل إلى", "ما يربو على"))
HIJRI_WORDS = _words("هـ", "هجري", "هجرية", "للهجرة", "محرم", "صفر", "رجب", "شعبان", "رمضان", "شوال")
HIJRI_PHRASES = tuple(tuple(fold(p).split()) for p in (
    "ربيع الأول", "ربيع الآخر", "ربيع الثاني", "جمادى الأولى", "جمادى الآخرة", "جمادى الثانية", "ذو القعدة",
    "ذي القعدة", "ذو الحجة", "ذي الحجة"))
GREGORIAN_MONTHS = _words("يناير", "فبراير", "مارس", "أبريل", "إبريل", "مايو", "يونيو", "يونيه", "يوليو",
                          "يوليه", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
SYRIAC_MONTHS = _words("شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين", "كانون")
WEEKDAYS = _words("الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت")
RELATIVE_WORDS = _words("الماضي", "الماضية", "الماضيين", "المنصرم", "المنصرمة", "المقبل", "المقبلة", "القادم",
                        "القادمة", "الحالي", "الحالية", "الجاري", "الجارية", "أمس", "البارحة", "اليوم", "غدا",
                        "غدًا", "الليلة", "الأخير", "الأخيرة")
DUAL_UNITS = _words("يومين", "ساعتين", "أسبوعين", "شهرين", "عامين", "سنتين", "عقدين", "دقيقتين", "ليلتين")
DURATION_PLURALS = _words("أيام", "أسابيع", "أشهر", "شهور", "سنوات", "سنين", "أعوام", "ساعات", "دقائق", "عقود",
                          "ليال") | DUAL_UNITS
DURATION_UNITS = _words("ساعة", "يوما", "يومًا", "يوم", "أسبوعا", "أسبوع", "شهرا", "شهر", "عاما", "عام", "سنة",
                        "دقيقة", "عقد")
_DIGIT_RE = re.compile(r"[0-9٠-٩۰-۹]")
_RANGE_RE = re.compile(r"[0-9٠-٩۰-۹]\s*[-–]\s*[0-9٠-٩۰-۹]")


class _Mention:
    """An entity text as folded words, each with its clitic-stripped variants."""

    def __init__(self, entity: Record) -> None:
        self.type: str = entity["type"]
        self.text: str = entity["text"]
        plain = fold(self.text)
        self.words = [plain[s:e] for s, e in word_spans(plain)]
        self.stems = [set(_stems(w)) for w in self.words]

    def has(self, vocabulary: frozenset[str]) -> bool:
        return any(stems & vocabulary for stems in self.stems)

    def has_phrase(self, phrases: tuple[tuple[str, ...], ...]) -> bool:
        return any(all(p in self.stems[i + k] for k, p in enumerate(phrase))
                   for phrase in phrases for i in range(len(self.words) - len(phrase) + 1))

    def number_words(self) -> bool:
        """Number words, not counting «الاثنين» in a date (Monday)."""
        return any(stems & NUMBER_WORDS and not (self.type == "DATE" and stems & WEEKDAYS) for stems in self.stems)

    def numeric(self) -> bool:
        return bool(_DIGIT_RE.search(self.text)) or self.number_words()


def _stems(word: str) -> Iterator[str]:
    """The word and what is left after removing up to two clitics and then the article (للعراق -> العراق)."""
    for k in range(3):
        if k and (len(word) <= k + 1 or word[k - 1] not in "وفبلك"):
            return
        rest = word[k:]
        yield rest
        if rest.startswith("ل") and k and word[k - 1] == "ل":
            yield "ا" + rest  # ل + ال: the alef of the article is dropped in writing
        if rest.startswith("ال") and len(rest) > 3:
            yield rest[2:]


def _is_dual(m: _Mention) -> bool:
    """A dual standing alone for its number: صاروخين، مقيمان، قاذفتي، (a date) عامين."""
    if m.numeric() or m.has(VAGUE_WORDS):
        return False
    if m.type == "DATE":
        return m.has(DUAL_UNITS)
    return bool(m.words) and any(s.endswith(("ين", "ان", "تي", "تا")) and len(s) > 3 for s in m.stems[0])


def _is_range(m: _Mention) -> bool:
    """10-20, بين 10 و20, من 10 إلى 20, ثلاث أو أربع."""
    if _RANGE_RE.search(m.text):
        return True
    numbers = [i for i, stems in enumerate(m.stems) if _DIGIT_RE.search(m.words[i]) or stems & NUMBER_WORDS]
    later = numbers[1:]
    return (("بين" in m.words and any(m.words[j].startswith("و") for j in later))
            or any(m.words[j - 1] in ("او", "الي") for j in later))


def _is_duration(m: _Mention) -> bool:
    """A date that is a length of time: plural or dual units (الأشهر الستة، عامين) or a number + unit (24 ساعة)."""
    if m.type != "DATE":
        return False
    if m.has(DURATION_PLURALS):
        return True
    return any(stems & DURATION_UNITS and (_DIGIT_RE.search(m.words[i - 1]) or m.stems[i - 1] & NUMBER_WORDS)
               for i, stems in enumerate(m.stems) if i)


# (row label, test) for the number-format table; a mention may show several formats.
NUMBER_FORMATS: tuple[tuple[str, Callable[[_Mention], bool]], ...] = (
    ("ASCII digits (130)", lambda m: bool(re.search(r"[0-9]", m.text))),
    ("Arabic-Indic digits (١٣٠)", lambda m: bool(re.search(r"[٠-٩]", m.text))),
    ("Persian digits (۱۳۰)", lambda m: bool(re.search(r"[۰-۹]", m.text))),
    ("number words (خمسة، مئة)", _Mention.number_words),
    ("duals (صاروخين)", _is_dual),
    ("vague quantities (عشرات، بضعة)", lambda m: m.has(VAGUE_WORDS) and not m.numeric()),
    ("approximators (حوالي، نحو)", lambda m: m.has_phrase(APPROXIMATORS)),
    ("bounds (أكثر من، حتى)", lambda m: m.has_phrase(BOUNDS)),
    ("ranges (بين 10 و20)", _is_range),
    ("Hijri dates (رمضان 1445 هـ)", lambda m: m.type == "DATE" and (m.has(HIJRI_WORDS) or m.has_phrase(HIJRI_PHRASES)
                                                                 or bool(re.search(r"\dهـ", m.text)))),
    ("Gregorian month names (يوليو)", lambda m: m.type == "DATE" and m.has(GREGORIAN_MONTHS)),
    ("Syriac month names (تموز)", lambda m: m.type == "DATE" and m.has(SYRIAC_MONTHS)),
    ("both month systems in one date (تموز/يوليو)",
     lambda m: m.type == "DATE" and m.has(GREGORIAN_MONTHS) and m.has(SYRIAC_MONTHS)),
    ("relative dates (الشهر الماضي، الثلاثاء)", lambda m: m.type == "DATE" and m.has(RELATIVE_WORDS | WEEKDAYS)),
    ("durations (الأشهر الستة الماضية)", _is_duration),
)


def country_of(text: str) -> str | None:
    """The country a LOC mention names (whole mention, clitics allowed on its first word), else None."""
    words = fold(text).split()
    if not words:
        return None
    for stem in _stems(words[0]):
        name = COUNTRIES.get(" ".join([stem, *words[1:]]))
        if name:
            return name
    return None


def read_corpus(root: Path) -> dict[str, list[Record]]:
    """The compiled split files (an absent file is an empty split)."""
    folder = corpus_dir(root)
    return {s: read_jsonl(folder / f"{s}.jsonl") if (folder / f"{s}.jsonl").exists() else [] for s in SPLITS}


def render_stats(corpus: dict[str, list[Record]], agreement: list[dict[str, Any]]) -> str:
    """STATS.md for a corpus given as split -> records."""
    records = [r for s in SPLITS for r in corpus[s]]
    out = ["# Annotated corpus statistics", "",
           "Generated by `rasid annotations stats` from `annotations/corpus/*.jsonl`; do not edit by hand.", ""]

    def table(title: str, rows: list[tuple[str, Callable[[Record], int]]]) -> None:
        out.extend([f"## {title}", "", "| | " + " | ".join(SPLITS) + " | total |", "|---|" + "---:|" * 4])
        for label, count in rows:
            per = [sum(count(r) for r in corpus[s]) for s in SPLITS]
            out.append(f"| {label} | " + " | ".join(map(str, per)) + f" | {sum(per)} |")
        out.append("")

    table("Size", [
        ("documents", lambda r: 1),
        ("sentences", lambda r: len(sentence_spans(r["text"]))),
        ("words", lambda r: sum(1 for s, e in word_spans(r["text"]) if any(c.isalnum() for c in r["text"][s:e]))),
        ("entity mentions", lambda r: len(r["entities"])),
        ("event triggers", lambda r: len(r["events"])),
        ("arguments", lambda r: sum(len(e["arguments"]) for e in r["events"])),
        ("relations", lambda r: len(r["relations"])),
    ])
    table("Entity mentions by type", [(t, lambda r, t=t: sum(e["type"] == t for e in r["entities"]))
                                      for t in ENTITY_TYPES])
    table("Event triggers by type", [(t, lambda r, t=t: sum(e["type"] == t for e in r["events"]))
                                     for t in EVENT_TYPES])
    table("Arguments by role", [(t, lambda r, t=t: sum(a["role"] == t for e in r["events"] for a in e["arguments"]))
                                for t in ROLES])
    table("Relations by type", [(t, lambda r, t=t: sum(x["type"] == t for x in r["relations"]))
                                for t in RELATIONS])

    entities = [e for r in records for e in r["entities"]]
    out.extend(["## Organizations and places", ""])
    for etype, name in (("ORG", "organizations"), ("LOC", "places")):
        surfaces = Counter(e["text"] for e in entities if e["type"] == etype)
        top = ", ".join(f"{s} ({n})" for s, n in sorted(surfaces.items(), key=lambda x: (-x[1], x[0]))[:10])
        out.append(f"- distinct {name} (by surface): {len(surfaces)}" + (f"; most frequent: {top}" if top else ""))
    countries = Counter(c for e in entities if e["type"] == "LOC" and (c := country_of(e["text"])))
    listed = ", ".join(f"{c} ({n})" for c, n in sorted(countries.items(), key=lambda x: (-x[1], x[0])))
    out.append(f"- countries covered: {len(countries)} in {sum(countries.values())} LOC mentions that are country "
               f"names" + (f": {listed}" if listed else ""))
    out.append("")

    out.extend(["## Number formats seen", "",
                f"Mentions of {', '.join(NUMERIC_TYPES)} showing each format (a mention can show several).", "",
                "| format | mentions | example |", "|---|---:|---|"])
    mentions = [_Mention(e) for e in entities if e["type"] in NUMERIC_TYPES]
    for label, test in NUMBER_FORMATS:
        hits = [m for m in mentions if test(m)]
        out.append(f"| {label} | {len(hits)} | {hits[0].text.replace('|', '/') if hits else ''} |")
    out.append("")

    out.extend(["## Inter-annotator agreement", ""])
    if not agreement:
        out.extend(["No comparison yet (`rasid annotations agree A B` records one in annotations/agreement.json).", ""])
    for comp in agreement:
        out.extend([f"### {comp['a']} vs {comp['b']}", "",
                    f"{comp['documents']} documents compared (strict match; A is the reference).", "",
                    "| layer | A | B | matched | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|---:|"])
        for layer in LAYERS:
            s = comp[layer]
            out.append(f"| {layer} | {s['a']} | {s['b']} | {s['matched']} | "
                       + " | ".join(_pct(s[k]) for k in ("precision", "recall", "f1")) + " |")
        out.append("")
    return "\n".join(out)


def write_stats(root: Path, out: Path | None = None) -> Path:
    """Render STATS.md from the compiled corpus and agreement.json under `root`."""
    path = out or stats_path(root)
    path.write_text(render_stats(read_corpus(root), read_agreement(agreement_path(root))), encoding="utf-8")
    return path


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"
