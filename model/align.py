"""From a document to encoder windows: words, sentences, subword tokens and the word each token belongs to.

Labels live on words (whitespace words with punctuation split off, as in ANERcorp); the encoder sees subwords of
the normalized text. A window packs whole consecutive sentences up to the encoder's limit so that the model sees
context across sentence breaks; a sentence longer than the limit is cut into overlapping windows, each of which
owns (reports predictions for) only its central words, so nothing is truncated.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from .text import normalize, sentence_spans, word_spans


@dataclass
class Document:
    """Text plus its word spans (original offsets) and sentence boundaries (word index ranges)."""

    text: str
    words: list[tuple[int, int]]
    sentences: list[tuple[int, int]]

    @classmethod
    def from_text(cls, text: str) -> Document:
        words = word_spans(text)
        starts = [w[0] for w in words]
        sentences = []
        for s, e in sentence_spans(text):
            lo, hi = bisect_left(starts, s), bisect_left(starts, e)
            if hi > lo:
                sentences.append((lo, hi))
        return cls(text, words, sentences)

    def sentence_of_words(self) -> list[int]:
        """Sentence index of every word (a word between sentences gets the preceding sentence's index)."""
        out, k = [0] * len(self.words), 0
        for w in range(len(self.words)):
            while k + 1 < len(self.sentences) and w >= self.sentences[k + 1][0]:
                k += 1
            out[w] = k
        return out

    def word_index(self, start: int, end: int) -> tuple[int, int] | None:
        """The [first, last+1) words exactly covered by a character span, or None if it is not word-aligned."""
        starts = [w[0] for w in self.words]
        lo = bisect_left(starts, start)
        if lo == len(self.words) or self.words[lo][0] != start:
            return None
        hi = lo
        while hi < len(self.words) and self.words[hi][1] <= end:
            hi += 1
        if hi == lo or self.words[hi - 1][1] != end:
            return None
        return lo, hi


@dataclass
class Window:
    """One encoder input: token ids, the document word of each token (-1 for specials and stray tokens)."""

    input_ids: list[int]
    token_words: list[int]
    first_word: int
    end_word: int
    own_start: int
    own_end: int
    first_token: dict[int, int] = field(default_factory=dict)
    gazetteer_tags: list[int] | None = None  # one per token, set by `Gazetteer.tag_windows` for models that read them

    def __post_init__(self) -> None:
        for t, w in enumerate(self.token_words):
            if w >= 0 and w not in self.first_token:
                self.first_token[w] = t


def _sentence_tokens(tokenizer, doc: Document, sent: tuple[int, int]) -> list[tuple[int, int]]:
    """(token id, word index) for one sentence, tokenized from its normalized text."""
    a, b = doc.words[sent[0]][0], doc.words[sent[1] - 1][1]
    norm = normalize(doc.text[a:b])
    src = norm.source
    char_word = [-1] * len(norm.text)
    for w in range(*sent):
        ws, we = doc.words[w]
        for j in range(bisect_left(src, ws - a), bisect_left(src, we - a)):
            char_word[j] = w
    enc = tokenizer(norm.text, add_special_tokens=False, return_offsets_mapping=True)
    out = []
    for tid, (s, e) in zip(enc["input_ids"], enc["offset_mapping"]):
        word = next((char_word[j] for j in range(s, e) if char_word[j] >= 0), -1)
        out.append((tid, word))
    return out


def special_ids(tokenizer) -> tuple[int, int]:
    cls = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    sep = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    return cls, sep


def make_windows(doc: Document, tokenizer, max_length: int = 256, stride: int = 32) -> list[Window]:
    """Pack sentences into windows of at most `max_length` tokens (specials included)."""
    cls, sep = special_ids(tokenizer)
    room = max_length - 2
    windows: list[Window] = []
    pending: list[tuple[int, int]] = []
    pending_range: list[int] = []

    def flush() -> None:
        if pending:
            lo, hi = pending_range[0], pending_range[-1]
            windows.append(Window([cls] + [t for t, _ in pending] + [sep], [-1] + [w for _, w in pending] + [-1],
                                  lo, hi, lo, hi))
            pending.clear()
            pending_range.clear()

    for sent in doc.sentences:
        toks = _sentence_tokens(tokenizer, doc, sent)
        if len(toks) > room:
            flush()
            windows.extend(_split_long(toks, sent, cls, sep, room, stride))
            continue
        if len(pending) + len(toks) > room:
            flush()
        pending.extend(toks)
        pending_range[:] = [pending_range[0] if pending_range else sent[0], sent[1]]
    flush()
    return windows


def _split_long(toks: list[tuple[int, int]], sent: tuple[int, int], cls: int, sep: int, room: int,
                stride: int) -> list[Window]:
    """Overlapping windows over one long sentence, cut at word boundaries; each owns a disjoint word range."""
    stride = min(stride, room // 4)
    out: list[Window] = []
    start = 0
    own_from = sent[0]
    while True:
        end = min(start + room, len(toks))
        # never cut inside a word: move the end back to the first token of a word
        while end < len(toks) and end > start + 1 and toks[end][1] == toks[end - 1][1]:
            end -= 1
        chunk = toks[start:end]
        words = [w for _, w in chunk if w >= 0]
        last = end >= len(toks)
        next_start = end if last else max(start + 1, end - stride)
        while not last and next_start < end and toks[next_start][1] == toks[next_start - 1][1]:
            next_start += 1
        own_to = sent[1] if last else _first_word_at_or_after(toks, (next_start + end) // 2)
        lo = min(words) if words else own_from
        hi = (max(words) + 1) if words else own_from
        out.append(Window([cls] + [t for t, _ in chunk] + [sep], [-1] + [w for _, w in chunk] + [-1], lo, hi,
                          own_from, own_to))
        if last:
            return out
        own_from = own_to
        start = next_start


def _first_word_at_or_after(toks: list[tuple[int, int]], i: int) -> int:
    while i < len(toks) and toks[i][1] < 0:
        i += 1
    return toks[min(i, len(toks) - 1)][1]
