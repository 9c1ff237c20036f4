"""Training features: gold records (canonical JSONL or CoNLL) → labelled encoder windows, and batching.

Labels go on the first subword of each word and later subwords are ignored by the loss, the `run_ner.py` way;
`all_subwords=True` labels later subwords too (I- of the word's type, O outside spans). Decoding reads first
subwords either way.
Pairs are built from gold spans inside a window: every (trigger, entity) and every ordered (entity, entity)
pair, labelled with its role/relation or NONE.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from .align import Document, Window, make_windows
from .gazetteer import Gazetteer
from .heads import ModelSpec, pair_classes
from .labels import (IGNORE, MAX_LINK_SENTENCES, NAME_TYPES, SYMMETRIC_RELATIONS, argument_candidate,
                     relation_candidate)


@dataclass
class WordSpan:
    first: int
    end: int
    type: str
    id: str = ""


@dataclass
class GoldDoc:
    """A document with its gold spans in word units (entities, triggers) and links by span index."""

    doc: Document
    entities: list[WordSpan]
    triggers: list[WordSpan]
    arguments: list[tuple[int, int, str]]
    relations: list[tuple[int, int, str]]
    names_only: bool = False  # a public NER set: only its ORG/LOC/PER names are known (see window_features)

    @classmethod
    def from_record(cls, record: dict, where: str = "") -> GoldDoc:
        doc = Document.from_text(record["text"])

        def to_words(start: int, end: int, what: str) -> tuple[int, int]:
            span = doc.word_index(start, end)
            if span is None:
                raise ValueError(f"{where}{record.get('id')}: {what} {start}:{end} is not on word boundaries")
            return span

        ents = [WordSpan(*to_words(e["start"], e["end"], e["id"]), e["type"], e["id"]) for e in record["entities"]]
        trigs = [WordSpan(*to_words(ev["trigger"]["start"], ev["trigger"]["end"], ev["id"]), ev["type"], ev["id"])
                 for ev in record.get("events", [])]
        ent_idx = {e.id: i for i, e in enumerate(ents)}
        args = [(i, ent_idx[a["entity"]], a["role"]) for i, ev in enumerate(record.get("events", []))
                for a in ev["arguments"]]
        rels = [(ent_idx[r["head"]], ent_idx[r["tail"]], r["type"]) for r in record.get("relations", [])]
        return cls(doc, ents, trigs, args, rels)

    @classmethod
    def from_tags(cls, tokens: list[str], tags: list[list[str]]) -> GoldDoc:
        """Sentences of (token, BIO tag) — CoNLL data — as one document whose words are exactly the tokens."""
        text_parts, words, sentences, spans = [], [], [], []
        pos = 0
        for sent_tokens, sent_tags in zip(tokens, tags):
            first = len(words)
            for tok, tag in zip(sent_tokens, sent_tags):
                if text_parts:
                    text_parts.append("\n" if len(words) == first else " ")
                    pos += 1
                words.append((pos, pos + len(tok)))
                text_parts.append(tok)
                pos += len(tok)
            sentences.append((first, len(words)))
            spans.extend(_bio_to_spans(sent_tags, first))
        doc = Document("".join(text_parts), words, sentences)
        return cls(doc, spans, [], [], [])


def _bio_to_spans(tags: list[str], offset: int = 0) -> list[WordSpan]:
    """BIO tags → spans; an I- that does not continue a span of its type starts one (conlleval's reading)."""
    spans: list[WordSpan] = []
    for i, tag in enumerate(tags):
        if tag == "O" or "-" not in tag:
            continue
        prefix, typ = tag.split("-", 1)
        if prefix == "I" and spans and spans[-1].end == offset + i and spans[-1].type == typ:
            spans[-1].end += 1
        else:
            spans.append(WordSpan(offset + i, offset + i + 1, typ))
    return spans


def word_tags(n_words: int, spans: list[WordSpan]) -> list[str]:
    tags = ["O"] * n_words
    for s in spans:
        tags[s.first] = f"B-{s.type}"
        for w in range(s.first + 1, s.end):
            tags[w] = f"I-{s.type}"
    return tags


def _token_span(win: Window, span: WordSpan, types: list[str]) -> list[int] | None:
    """[start token, end token, type id] of a span inside the window, else None."""
    if span.first < win.first_word or span.end > win.end_word or span.type not in types:
        return None
    start, end = win.first_token.get(span.first), win.first_token.get(span.end - 1)
    return None if start is None or end is None else [start, end, types.index(span.type)]


def _continuation(tag: str) -> str:
    return "I-" + tag[2:] if tag.startswith("B-") else tag


def name_choices(tags: list[str], labels: list[str]) -> list[int]:
    """Per word of a names-only document (a public NER set), the bitmask of the entity tags it may take.

    The set's names say which words are names, but not where rasid's guidelines put their edges: ANERcorp writes
    «مدينة [نابلس]» where rasid writes «[مدينة نابلس]». So a name's words keep its type, its first word may be B-
    or I- (rasid may start the name a word earlier), and the word just before or after a name may also open or
    continue it; any other word outside names may be O or a number or date (such sets do not mark those). Words
    of a type rasid lacks (MISC) take nothing (mask 0: skipped)."""
    ids = {t: i for i, t in enumerate(labels)}
    free = sum(1 << i for i, t in enumerate(labels) if t[2:] not in NAME_TYPES)
    bit = lambda tag: 1 << ids[tag] if tag in ids else 0  # noqa: E731
    out = []
    for w, tag in enumerate(tags):
        if tag == "O":
            after = tags[w + 1] if w + 1 < len(tags) else "O"
            before = tags[w - 1] if w else "O"
            mask = free | (bit(after) if after.startswith("B-") else 0)
            mask |= bit("I-" + before[2:]) if before != "O" else 0
        elif tag in ids:
            mask = bit(tag) | (bit("I-" + tag[2:]) if tag.startswith("B-") else 0)
        else:
            mask = 0
        out.append(mask)
    return out


def window_features(gold: GoldDoc, tokenizer, spec: ModelSpec, all_subwords: bool = False,
                    gazetteer: Gazetteer | None = None) -> list[dict]:
    """Labelled windows of one gold document (with each token's gazetteer tag when a gazetteer is given).

    A `names_only` document (a public NER set) teaches names and nothing else: its words get `entity_choices`,
    sets of allowed tags (`name_choices`), instead of labels, and it has no trigger labels and no pairs."""
    ent_ids = {t: i for i, t in enumerate(spec.entity_labels)}
    trig_ids = {t: i for i, t in enumerate(spec.trigger_labels)}
    role_ids = {r: i for i, r in enumerate(pair_classes(spec.roles))}
    rel_ids = {r: i for i, r in enumerate(pair_classes(spec.relations))}
    n = len(gold.doc.words)
    sent = gold.doc.sentence_of_words()
    near = lambda a, b: abs(sent[a.first] - sent[b.first]) <= MAX_LINK_SENTENCES  # noqa: E731
    ent_tags = word_tags(n, gold.entities)
    trig_tags = word_tags(n, gold.triggers)
    choices = name_choices(ent_tags, spec.entity_labels) if gold.names_only else None
    features = []
    windows = make_windows(gold.doc, tokenizer, spec.max_length)
    if gazetteer is not None:
        gazetteer.tag_windows(gold.doc, windows)
    for win in windows:
        ent_labels, trig_labels = [IGNORE] * len(win.input_ids), [IGNORE] * len(win.input_ids)
        ent_choices = [0] * len(win.input_ids) if gold.names_only else None
        for t, w in enumerate(win.token_words):
            if not win.own_start <= w < win.own_end:
                continue
            if win.first_token[w] == t and ent_choices is not None:
                ent_choices[t] = choices[w]
            elif win.first_token[w] == t:
                ent_labels[t] = ent_ids.get(ent_tags[w], 0)
                trig_labels[t] = trig_ids.get(trig_tags[w], 0)
            elif all_subwords and not gold.names_only:
                ent_labels[t] = ent_ids.get(_continuation(ent_tags[w]), 0)
                trig_labels[t] = trig_ids.get(_continuation(trig_tags[w]), 0)
        feat = {"input_ids": win.input_ids, "entity_labels": ent_labels}
        if ent_choices is not None:
            feat["entity_choices"] = ent_choices
        if win.gazetteer_tags is not None:
            feat["gazetteer_tags"] = win.gazetteer_tags
        if spec.trigger_labels:
            feat["trigger_labels"] = trig_labels
        ents = {i: s for i, e in enumerate(gold.entities)
                if not gold.names_only and (s := _token_span(win, e, spec.entity_types)) is not None}
        trigs = {i: s for i, e in enumerate(gold.triggers)
                 if (s := _token_span(win, e, spec.trigger_types)) is not None}
        e_pos = {i: k for k, i in enumerate(ents)}
        t_pos = {i: k for k, i in enumerate(trigs)}
        feat["ent_spans"] = list(ents.values())
        feat["trig_spans"] = list(trigs.values())
        if spec.roles:
            gold_args = {(t, e): r for t, e, r in gold.arguments}
            pairs = [(t_pos[t], e_pos[e], role_ids.get(gold_args.get((t, e), "NONE"), 0)) for t in trigs for e in ents
                     if argument_candidate(gold.entities[e].type) and near(gold.triggers[t], gold.entities[e])]
            feat["arg_pairs"] = [[a, b] for a, b, _ in pairs]
            feat["arg_labels"] = [c for _, _, c in pairs]
        if spec.relations:
            gold_rels = {(h, t): r for h, t, r in gold.relations}
            gold_rels.update({(t, h): r for (h, t), r in list(gold_rels.items()) if r in SYMMETRIC_RELATIONS})
            pairs = [(e_pos[h], e_pos[t], rel_ids.get(gold_rels.get((h, t), "NONE"), 0))
                     for h in ents for t in ents
                     if h != t and relation_candidate(gold.entities[h].type, gold.entities[t].type)
                     and near(gold.entities[h], gold.entities[t])]
            feat["rel_pairs"] = [[a, b] for a, b, _ in pairs]
            feat["rel_labels"] = [c for _, _, c in pairs]
        features.append(feat)
    return features


def _pad(rows: list[list], value, width: int | None = None) -> torch.Tensor:
    width = max((len(r) for r in rows), default=0) if width is None else width
    return torch.tensor([list(r) + [value] * (width - len(r)) for r in rows])


def collate(batch: list[dict], pad_id: int = 0) -> dict[str, torch.Tensor]:
    """Pad a list of window features into tensors; absent pairs are padded with label -100."""
    out = {
        "input_ids": _pad([b["input_ids"] for b in batch], pad_id),
        "attention_mask": _pad([[1] * len(b["input_ids"]) for b in batch], 0),
    }
    for key in ("entity_labels", "trigger_labels"):
        if key in batch[0]:
            out[key] = _pad([b[key] for b in batch], IGNORE)
    for key in ("entity_choices", "gazetteer_tags"):
        if batch[0].get(key) is not None:
            out[key] = _pad([b[key] for b in batch], 0)
    for key in ("ent_spans", "trig_spans"):
        rows = [b.get(key, []) for b in batch]
        width = max(1, max(len(r) for r in rows))
        out[key] = torch.tensor([r + [[0, 0, 0]] * (width - len(r)) for r in rows], dtype=torch.long)
    for pairs, labels in (("arg_pairs", "arg_labels"), ("rel_pairs", "rel_labels")):
        if pairs in batch[0]:
            width = max(len(b[pairs]) for b in batch)
            out[pairs] = torch.tensor([b[pairs] + [[0, 0]] * (width - len(b[pairs])) for b in batch],
                                      dtype=torch.long).reshape(len(batch), width, 2)
            out[labels] = _pad([b[labels] for b in batch], IGNORE, width)
    return out
