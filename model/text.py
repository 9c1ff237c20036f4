"""Text handling that never loses track of the original characters.

Every function here is pure. Normalization returns the normalized string together with an offset map, so that
anything found in the normalized text can be reported with offsets into the text the user gave us.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Arabic combining marks (harakat, Quranic marks, superscript alef) belong to the word they sit on.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
TATWEEL = "\u0640"
_WORD_CHARS = rf"\w{_MARKS}{TATWEEL}"
# A word is a run of letters, digits and marks; a separator between two digits (1,500 · و٣٫٥) stays inside it;
# any other non-space character is a word of its own (punctuation, %, ٪).
TOKEN_RE = re.compile(rf"(?:[{_WORD_CHARS}]|(?<=\d)[.,\u066b\u066c](?=\d))+|\S")
_DIACRITICS_RE = re.compile(rf"[{_MARKS}]")

_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
# Arabic decimal and thousands separators become their ASCII counterparts so the encoder sees one number form.
_DIGITS.update({0x066B: ".", 0x066C: ","})
# NFKC folds presentation forms; a ligature that expands to several letters maps each of them to its source.


# Letter variants writers use for one another; merged only in matching keys, never in text the encoder reads.
_LETTER_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def fold(text: str) -> str:
    """A spelling-insensitive key for matching words and names across writers: normalized text with hamza forms,
    alef maqsura and taa marbuta merged. For lookups only (word lists, gazetteers); offsets do not survive it."""
    return normalize(text).text.translate(_LETTER_VARIANTS)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of `text` (the unit every annotation span is made of)."""
    return [(m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


@dataclass(frozen=True)
class Normalized:
    """A normalized string and, for each of its characters, the index of the original character it came from."""

    text: str
    source: tuple[int, ...]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalized text back to the original text."""
        if start >= end:
            raise ValueError(f"empty span {start}:{end}")
        return self.source[start], self.source[end - 1] + 1


def normalize(text: str) -> Normalized:
    """Normalize Arabic for the encoder: drop tatweel, diacritics and invisible format marks (RLM, ZWNJ),
    turn Arabic-Indic and Persian digits into ASCII, and apply NFKC per character.

    Letters that carry meaning for names (hamza forms, alef maqsura, taa marbuta) are kept: the encoder's
    vocabulary knows them and folding them would merge distinct names.
    """
    out: list[str] = []
    source: list[int] = []
    for i, ch in enumerate(text):
        if ch == TATWEEL or _DIACRITICS_RE.match(ch) or unicodedata.category(ch) == "Cf":
            continue
        mapped = ch.translate(_DIGITS)
        if mapped == ch and not ch.isascii():
            mapped = unicodedata.normalize("NFKC", ch)
        for piece in mapped:
            out.append(piece)
            source.append(i)
    return Normalized("".join(out), tuple(source), len(text))


_SENTENCE_END_RE = re.compile(r"[.!?؟]+[\"'»)\]]*(?=\s|$)|\n+|[؛;](?=\s)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split text into sentences at Arabic and Latin sentence punctuation and newlines.

    A period between digits (3.5) or inside an abbreviation without a following space does not split. Spans
    exclude surrounding whitespace; nothing between sentences but whitespace is lost.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        end = m.end() if m.group().strip() else m.start()
        _append_trimmed(text, start, end, spans)
        start = m.end()
    _append_trimmed(text, start, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
