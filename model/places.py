"""Which countries a document's places belong to, from the CLDR data that babel ships: the Arabic names of countries
and territories, the cities that name time zones, and the short forms news writes («السعودية», «الإمارات»).

What it is for: a bare «دينار» or «ريال» says no currency, but a Kuwaiti or a Jordanian story does. A currency noun
takes the currency of the country whose places the document names most often among the countries where that noun
is the currency's name (`currency_from_places`); a place name that two countries share («عمان»: Amman or Oman) is
settled the same way, by the noun.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from .gazetteer import first_word_keys
from .text import fold

# Short forms that CLDR's full names miss, and names shared by two countries.
_ALIASES = {
    "السعودية": ("SA",), "المملكة العربية السعودية": ("SA",), "الإمارات": ("AE",), "دبي": ("AE",),
    "أبوظبي": ("AE",), "أبو ظبي": ("AE",), "عمان": ("JO", "OM"), "سلطنة عمان": ("OM",), "سوريا": ("SY",),
    "سورية": ("SY",), "ليبيا": ("LY",), "طرابلس": ("LY", "LB"), "الخرطوم": ("SD",), "بغداد": ("IQ",),
    "كردستان": ("IQ",), "أربيل": ("IQ",), "البصرة": ("IQ",), "الموصل": ("IQ",), "صنعاء": ("YE",), "عدن": ("YE",),
    "الرباط": ("MA",), "الدار البيضاء": ("MA",), "طنجة": ("MA",), "الجزائر": ("DZ",), "وهران": ("DZ",),
    "صفاقس": ("TN",), "القاهرة": ("EG",), "الإسكندرية": ("EG",), "سيناء": ("EG",), "بيروت": ("LB",),
    "دمشق": ("SY",), "حلب": ("SY",), "الكويت": ("KW",), "المنامة": ("BH",), "الدوحة": ("QA",), "مسقط": ("OM",),
    "جدة": ("SA",), "الرياض": ("SA",), "طهران": ("IR",), "أنقرة": ("TR",), "إسطنبول": ("TR",),
}
# Provinces and large cities that news datelines name, by country (CLDR has one city per time zone).
_PLACES = {
    "EG": "الجيزة أسيوط المنيا قنا سوهاج الأقصر أسوان بورسعيد السويس الإسماعيلية الشرقية الدقهلية القليوبية المنوفية "
          "الغربية البحيرة دمياط الفيوم مطروح السلوم العريش",
    "LY": "بنغازي سبها الكفرة مصراتة الزاوية زوارة سرت درنة طبرق",
    "SD": "بورتسودان الفاشر نيالا الأبيض كسلا القضارف أمدرمان",
    "DZ": "قسنطينة تمنراست عنابة ورقلة تلمسان",
    "MA": "فاس مراكش أكادير طرفاية العيون وجدة",
    "TN": "القصرين سوسة قفصة بنزرت",
    "IQ": "كربلاء النجف كركوك الأنبار ديالى السليمانية",
    "YE": "تعز مأرب الحديدة",
    "JO": "الزرقاء إربد العقبة المفرق",
    "SA": "الدمام جازان تبوك نجران",
    "SY": "حمص حماة اللاذقية درعا",
    "LB": "صيدا صور بعلبك",
}


@lru_cache(maxsize=1)
def _territories() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded name words → ISO territory codes."""
    from babel import Locale
    from babel.core import get_global

    ar = Locale.parse("ar")
    names: dict[tuple[str, ...], set[str]] = {}

    def add(name: str, code: str) -> None:
        key = tuple(fold(w) for w in name.split())
        if key:
            names.setdefault(key, set()).add(code)

    for code, name in ar.territories.items():
        if code.isalpha() and len(code) == 2:
            add(name.split(" (")[0], code)
    zone_territories = get_global("zone_territories")
    for zone, info in ar.time_zones.items():
        code = zone_territories.get(zone)
        if code and info.get("city"):
            add(info["city"], code)
    for code, words in _PLACES.items():
        for name in words.split():
            add(name, code)
    for name, codes in _ALIASES.items():
        key = tuple(fold(w) for w in name.split())
        names[key] = set(codes)  # the aliases decide where CLDR's exemplar cities disagree
    return {key: tuple(sorted(codes)) for key, codes in names.items()}


def territories_of(name: str) -> tuple[str, ...]:
    """The ISO codes of the countries a place name belongs to: the longest run of its words that names one, so that
    «بمحافظة القليوبية» and «مطار بورتسودان الدولي» count (a proclitic on a run's first word is ignored)."""
    words = [fold(w) for w in name.split()]
    table = _territories()
    for length in range(len(words), 0, -1):
        for start in range(len(words) - length + 1):
            for first in first_word_keys(words[start]):
                found = table.get((first, *words[start + 1:start + length]))
                if found:
                    return found
    return ()


@lru_cache(maxsize=None)
def _currencies_named(noun: str) -> dict[str, str]:
    """Territory code → ISO currency, for the countries whose currency's Arabic name begins with `noun` (folded)."""
    from babel.numbers import get_currency_name, get_territory_currencies

    out = {}
    for codes in set(_territories().values()):
        for code in codes:
            for currency in get_territory_currencies(code, tender=True)[:1]:
                if fold(get_currency_name(currency, locale="ar")).split()[:1] == [noun]:
                    out[code] = currency
    return out


def currency_from_places(noun: str, places: list[str]) -> str | None:
    """The currency a bare currency noun (folded, as `rasid.numbers.currency_noun` gives it) has in a document that
    names these places, or None when none of them is in a country whose currency has that name."""
    named = _currencies_named(noun)
    votes: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i, place in enumerate(places):
        for code in territories_of(place):
            if code in named:
                votes[named[code]] += 1
                first_seen.setdefault(named[code], i)
    if not votes:
        return None
    return max(votes, key=lambda c: (votes[c], -first_seen[c]))
