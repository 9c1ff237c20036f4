"""Gazetteer features: a per-word tag saying that the word begins or continues a known name.

The names come from lists that registries ship (Arabic names of countries and territories and of the cities that
name the world's time zones, from babel's CLDR data), from gold records (the ORG/LOC/PER names of an annotated
corpus) and from plain "TYPE<TAB>name" lists. Matching is longest-first over folded words: hamza forms, alef
maqsura and taa marbuta are folded, and the first word may carry a proclitic, so «وبالعراق» and «للعراق» match
«العراق». The model adds a learned embedding of each token's tag to its input embedding (`JointModel.encode`); the
names are saved inside the model directory, so prediction sees exactly the lists training saw.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from .align import Document, Window
from .labels import NAME_TYPES
from .text import fold, word_spans

GAZETTEER_FILE = "gazetteer.json"
BUILTIN_SOURCES = ("countries", "cities")
# CLDR "territories" that are not places in rasid's schema (the EU is an organization) or not places at all.
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
_CITY_REGIONS = ("Africa/", "Asia/", "Europe/", "Indian/", "Atlantic/")
MAX_NAME_WORDS = 8


def name_words(name: str) -> tuple[str, ...]:
    return tuple(fold(name[a:b]) for a, b in word_spans(name))


def first_word_keys(word: str) -> list[str]:
    """The folded word and its forms without a conjunction (و/ف) and/or a preposition (ب/ل/ك) in front."""
    keys = [word]
    rest = word[1:] if word[:1] in ("و", "ف") and len(word) > 3 else word
    if rest is not word:
        keys.append(rest)
    if rest[:2] == "لل" and len(rest) > 3:  # ل + ال… writes «لل…»
        keys.append("ال" + rest[2:])
    elif rest[:1] in ("ب", "ل", "ك") and len(rest) > 3:
        keys.append(rest[1:])
    return keys


class Gazetteer:
    """Names by type, looked up by their folded words."""

    def __init__(self, names: dict[tuple[str, ...], str]):
        self.names = names
        self.types = sorted(set(names.values()))
        self.lengths: dict[str, list[int]] = defaultdict(list)
        for key in names:
            self.lengths[key[0]].append(len(key))
        for first in self.lengths:
            self.lengths[first] = sorted(set(self.lengths[first]), reverse=True)

    @property
    def n_tags(self) -> int:
        """0 = no name, then B and I of each type."""
        return 1 + 2 * len(self.types)

    def word_tags(self, doc: Document) -> list[int]:
        """One tag per word of the document: 0, or 1 + 2k (begins a type-k name), or 2 + 2k (continues one)."""
        words = [fold(doc.text[a:b]) for a, b in doc.words]
        tags = [0] * len(words)
        i = 0
        while i < len(words):
            found = self._longest_at(words, i)
            if found is None:
                i += 1
                continue
            length, typ = found
            k = self.types.index(typ)
            tags[i : i + length] = [1 + 2 * k] + [2 + 2 * k] * (length - 1)
            i += length
        return tags

    def _longest_at(self, words: list[str], i: int) -> tuple[int, str] | None:
        best = None
        for first in first_word_keys(words[i]):
            for length in self.lengths.get(first, ()):
                key = (first, *words[i + 1 : i + length])
                if len(key) == length and key in self.names:
                    if best is None or length > best[0]:
                        best = (length, self.names[key])
                    break
        return best

    def tag_windows(self, doc: Document, windows: list[Window]) -> list[Window]:
        """Give each window of `doc` the tag of every token's word (0 for special tokens)."""
        tags = self.word_tags(doc)
        for win in windows:
            win.gazetteer_tags = [tags[w] if w >= 0 else 0 for w in win.token_words]
        return windows

    # ---- building and persistence ----------------------------------------------------------------
    @classmethod
    def from_sources(cls, sources: list[str]) -> Gazetteer:
        """Names from each source: "countries" or "cities" (babel), a .jsonl file of gold records (its ORG/LOC/PER
        names; a name seen with several types takes its most frequent one), or a text file of TYPE<TAB>name lines."""
        votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        for source in sources:
            for typ, name in _read_source(source):
                key = name_words(name)
                if key and len(key) <= MAX_NAME_WORDS:
                    votes[key][typ] += 1
        if not votes:
            raise ValueError(f"the gazetteer sources {sources} hold no names")
        return cls({key: count.most_common(1)[0][0] for key, count in votes.items()})

    def save(self, path: Path) -> None:
        by_type = defaultdict(list)
        for key, typ in sorted(self.names.items()):
            by_type[typ].append(" ".join(key))
        (path / GAZETTEER_FILE).write_text(json.dumps(by_type, ensure_ascii=False, indent=0), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        data = json.loads((path / GAZETTEER_FILE).read_text(encoding="utf-8"))
        return cls({tuple(name.split(" ")): typ for typ, names in data.items() for name in names})


def _read_source(source: str) -> list[tuple[str, str]]:
    if source == "countries":
        from babel import Locale

        return [("LOC", _clean(name)) for code, name in Locale.parse("ar").territories.items()
                if code.isalpha() and code not in _NOT_PLACES]
    if source == "cities":
        from babel import Locale

        return [("LOC", zone["city"]) for tz, zone in Locale.parse("ar").time_zones.items()
                if tz.startswith(_CITY_REGIONS) and len(zone.get("city", "")) >= 4]
    path = Path(source)
    if not path.is_file():
        raise ValueError(f"gazetteer source {source!r} is neither one of {BUILTIN_SOURCES} nor a file")
    if path.suffix == ".jsonl":
        from .io import read_jsonl

        return [(e["type"], r["text"][e["start"] : e["end"]]) for r in read_jsonl(path)
                for e in r["entities"] if e["type"] in NAME_TYPES]
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        typ, _, name = line.partition("\t")
        if typ not in NAME_TYPES or not name.strip():
            raise ValueError(f"{path}:{n}: expected TYPE<TAB>name with TYPE one of {sorted(NAME_TYPES)}, got {line!r}")
        out.append((typ, name.strip()))
    return out


def _clean(name: str) -> str:
    """«الكونغو - كينشاسا» → «الكونغو»; «جزر كوكوس (كيلينغ)» → «جزر كوكوس»."""
    return name.split(" - ")[0].split(" (")[0].strip()
