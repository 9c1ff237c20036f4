"""Mention replacement keeps every context word and label type, and only swaps names."""
import random

import pytest

from rasid.augment import augmented, mention_pool, replace_mentions
from rasid.features import GoldDoc, WordSpan, word_tags

TOKENS = [["أعلنت", "وزارة", "الدفاع", "التركية", "في", "أنقرة", "أن", "خلوصي", "أكار", "زار", "إدلب", "."],
          ["وقال", "المتحدث", "باسم", "الأمم", "المتحدة", "إن", "القافلة", "وصلت", "حلب", "."]]
TAGS = [["O", "B-ORG", "I-ORG", "I-ORG", "O", "B-LOC", "O", "B-PERS", "I-PERS", "O", "B-LOC", "O"],
        ["O", "O", "O", "B-ORG", "I-ORG", "O", "O", "O", "B-LOC", "O"]]


def _rows(gold: GoldDoc) -> list[list[tuple[str, str]]]:
    words = [gold.doc.text[a:b] for a, b in gold.doc.words]
    tags = word_tags(len(words), gold.entities)
    return [list(zip(words[a:b], tags[a:b])) for a, b in gold.doc.sentences]


def test_pool_holds_distinct_mentions_by_type():
    pool = mention_pool([GoldDoc.from_tags(TOKENS, TAGS)])
    assert pool == {"ORG": [("وزارة", "الدفاع", "التركية"), ("الأمم", "المتحدة")],
                    "LOC": [("أنقرة",), ("إدلب",), ("حلب",)], "PERS": [("خلوصي", "أكار")]}


def test_rate_zero_is_the_identity():
    gold = GoldDoc.from_tags(TOKENS, TAGS)
    (copy,) = augmented([gold], 0.0, seed=1)
    assert _rows(copy) == _rows(gold)


def test_rate_one_swaps_every_name_and_keeps_the_context():
    gold = GoldDoc.from_tags(TOKENS, TAGS)
    pool = mention_pool([gold])
    copy = replace_mentions(gold, pool, 1.0, random.Random(3))
    assert [e.type for e in copy.entities] == [e.type for e in gold.entities]
    words = [copy.doc.text[a:b] for a, b in copy.doc.words]
    for e in copy.entities:
        assert tuple(words[e.first:e.end]) in pool[e.type]
    context = [[w for w, t in sent if t == "O"] for sent in _rows(copy)]
    assert context == [[w for w, t in zip(ws, ts) if t == "O"] for ws, ts in zip(TOKENS, TAGS)]
    assert len(copy.doc.sentences) == len(gold.doc.sentences)


def test_same_seed_same_copy_and_the_rate_is_respected():
    gold = GoldDoc.from_tags(TOKENS * 20, TAGS * 20)
    a, b = augmented([gold], 0.5, seed=7), augmented([gold], 0.5, seed=7)
    assert _rows(a[0]) == _rows(b[0])
    words = [gold.doc.text[x:y] for x, y in gold.doc.words]
    new_words = [a[0].doc.text[x:y] for x, y in a[0].doc.words]
    changed = sum(tuple(words[g.first:g.end]) != tuple(new_words[n.first:n.end])
                  for g, n in zip(gold.entities, a[0].entities))
    assert 0.2 * len(gold.entities) < changed < 0.6 * len(gold.entities)  # draws of the same name stay unchanged


def test_event_records_are_refused():
    gold = GoldDoc.from_tags(TOKENS, TAGS)
    gold.triggers.append(WordSpan(9, 10, "MOVE"))
    with pytest.raises(ValueError, match="entity-only"):
        replace_mentions(gold, mention_pool([gold]), 0.5, random.Random(0))
