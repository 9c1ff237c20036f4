"""Mention replacement: training copies of entity-tagged documents in which names are swapped for other names
of the same type from the training data.

A small NER corpus lets the encoder memorise which names are organizations and which are places; swapping
mentions keeps every context but breaks the name-to-label shortcut, so the tagger has to read the context the
way it must for names it has never seen. Only entity-only documents (CoNLL data) are rewritten: events and
relations would need their links rebuilt around the new words.
"""
from __future__ import annotations

import random

from .features import GoldDoc, word_tags


def mention_pool(docs: list[GoldDoc]) -> dict[str, list[tuple[str, ...]]]:
    """Every distinct mention of each entity type, as word tuples, in first-seen order (runs are repeatable)."""
    pool: dict[str, dict[tuple[str, ...], None]] = {}
    for gold in docs:
        words = _words(gold)
        for e in gold.entities:
            pool.setdefault(e.type, {})[tuple(words[e.first:e.end])] = None
    return {t: list(ms) for t, ms in pool.items()}


def replace_mentions(gold: GoldDoc, pool: dict[str, list[tuple[str, ...]]], rate: float,
                     rng: random.Random) -> GoldDoc:
    """A copy of `gold` where each entity is, with probability `rate`, replaced by a random mention of its type."""
    if gold.triggers or gold.arguments or gold.relations:
        raise ValueError("mention replacement rewrites entity-only documents (CoNLL data), not event records")
    words = _words(gold)
    gold_tags = word_tags(len(words), gold.entities)
    starts = {e.first: e for e in gold.entities}
    tokens, tags = [], []
    for a, b in gold.doc.sentences:
        sent_tokens, sent_tags = [], []
        w = a
        while w < b:
            span = starts.get(w)
            choices = pool.get(span.type, []) if span is not None and span.end <= b else []
            if choices and rng.random() < rate:
                mention = choices[rng.randrange(len(choices))]
                sent_tokens.extend(mention)
                sent_tags.extend([f"B-{span.type}"] + [f"I-{span.type}"] * (len(mention) - 1))
                w = span.end
            else:
                sent_tokens.append(words[w])
                sent_tags.append(gold_tags[w])
                w += 1
        tokens.append(sent_tokens)
        tags.append(sent_tags)
    return GoldDoc.from_tags(tokens, tags)


def augmented(docs: list[GoldDoc], rate: float, seed: int) -> list[GoldDoc]:
    """One mention-replaced copy of each document, drawn from the mentions of `docs` themselves."""
    pool = mention_pool(docs)
    rng = random.Random(seed)
    return [replace_mentions(d, pool, rate, rng) for d in docs]


def _words(gold: GoldDoc) -> list[str]:
    return [gold.doc.text[s:e] for s, e in gold.doc.words]
