"""The public API: `Extractor.from_pretrained(path).extract(texts)` → one event-JSON record per document."""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import torch

from .align import Document, Window, make_windows
from .decode import build_record, carries_number, tag_spans, tags_from_log_probs, trim_dangling, viterbi
from .features import collate
from .heads import JointModel, pair_classes
from .labels import MAX_LINK_SENTENCES, NONE, argument_candidate, relation_candidate

DEFAULT_MODEL = Path(__file__).parent / "default"


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class Extractor:
    """Runs a trained joint model over raw Arabic text."""

    def __init__(self, model: JointModel, tokenizer, device: str | torch.device = "cpu", link_threshold: float = 0.5,
                 numeric_values: bool = True):
        self.model = model.eval()
        self.numeric_values = numeric_values
        self.tokenizer = tokenizer
        self.device = torch.device(device)
        self.spec = model.spec
        self.link_threshold = link_threshold
        self.entity_transitions = None if model.entity_crf is None else model.entity_crf.decoding_scores()

    @classmethod
    def from_pretrained(cls, path: str | Path | None = None, device: str | None = None,
                        quantize: str | None = None) -> Extractor:
        """Load a saved model directory (default: the model shipped with rasid); `quantize` = "auto", "bf16"
        or "int8" selects a reduced-precision CPU path (see `rasid.quantize`)."""
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        model, tokenizer = JointModel.load(path or DEFAULT_MODEL)
        if hasattr(model.encoder, "merge_and_unload"):  # LoRA folded into the weights: same outputs, less work
            model.encoder = model.encoder.merge_and_unload()
        if quantize:
            from .quantize import quantize as reduce_precision

            model, device = reduce_precision(model, quantize), "cpu"
        return cls(model.to(device), tokenizer, device)

    def extract(self, texts: Iterable[str | dict], batch_size: int = 16,
                reference_date: dt.date | str | None = None) -> list[dict]:
        """Records for a list of texts (or dicts with `id`, `text`, optional `date` and pass-through fields)."""
        return list(self.stream(texts, batch_size=batch_size, reference_date=reference_date))

    def stream(self, items: Iterable[str | dict], batch_size: int = 16, chunk_size: int = 64,
               reference_date: dt.date | str | None = None) -> Iterator[dict]:
        """Yield records in input order, working through the input `chunk_size` documents at a time."""
        chunk: list[dict] = []
        for n, item in enumerate(items):
            chunk.append(item if isinstance(item, dict) else {"id": str(n), "text": item})
            if len(chunk) == chunk_size:
                yield from self._run_chunk(chunk, batch_size, _as_date(reference_date))
                chunk = []
        if chunk:
            yield from self._run_chunk(chunk, batch_size, _as_date(reference_date))

    def tag_documents(self, docs: list[Document], batch_size: int = 16) -> list[list[str]]:
        """Entity BIO tags for documents whose words are given (CoNLL evaluation)."""
        return [tags_from_log_probs(doc, lp, self.spec.entity_labels, self.entity_transitions)
                for doc, lp in zip(docs, self.entity_log_probs(docs, batch_size), strict=True)]

    def entity_log_probs(self, docs: list[Document], batch_size: int = 16) -> list[np.ndarray]:
        """Per document, [n_words, n_entity_labels] log-probabilities of each word's first subword; several
        models' outputs can be averaged before decoding (eval/ensemble.py)."""
        windows = [(i, w) for i, d in enumerate(docs) for w in self._windows(d)]
        results = self._score_windows(windows, batch_size)
        n_labels = len(self.spec.entity_labels)
        return [self._word_scores(doc, [(w, r) for (d, w), r in zip(windows, results) if d == i], "entity", n_labels)
                for i, doc in enumerate(docs)]

    # ---- internals --------------------------------------------------------------------------------
    def _windows(self, doc: Document) -> list[Window]:
        windows = make_windows(doc, self.tokenizer, self.spec.max_length)
        return windows if self.model.gazetteer is None else self.model.gazetteer.tag_windows(doc, windows)

    def _run_chunk(self, items: list[dict], batch_size: int, reference_date: dt.date | None) -> list[dict]:
        docs: list[Document | None] = []
        errors: dict[int, str] = {}
        windows: list[tuple[int, Window]] = []
        for i, item in enumerate(items):
            try:
                if "error" in item:
                    raise ValueError(item["error"])
                text = item["text"]
                if not isinstance(text, str):
                    raise TypeError(f"'text' must be a string, got {type(text).__name__}")
                doc = Document.from_text(text)
                docs.append(doc)
                windows.extend((i, w) for w in self._windows(doc))
            except Exception as exc:  # a bad record is reported in its own output, never dropped
                docs.append(None)
                errors[i] = f"{type(exc).__name__}: {exc}"
        results = self._score_windows(windows, batch_size)
        out = []
        for i, item in enumerate(items):
            record = {k: v for k, v in item.items() if k not in ("entities", "events", "relations")}
            if i in errors:
                out.append({**record, "entities": [], "relations": [], "events": [],
                            "error": item.get("error", errors[i])})
                continue
            try:
                date = _as_date(item.get("date")) or reference_date
                mine = [(w, r) for (d, w), r in zip(windows, results) if d == i]
                out.append({**record, **self._decode(docs[i], mine, date)})
            except Exception as exc:
                out.append({**record, "entities": [], "relations": [], "events": [],
                            "error": f"{type(exc).__name__}: {exc}"})
        return out

    @torch.inference_mode()
    def _score_windows(self, windows: list[tuple[int, Window]], batch_size: int) -> list[dict]:
        """Tag probabilities and hidden states per window; batches are sorted by length to cut padding."""
        order = sorted(range(len(windows)), key=lambda k: len(windows[k][1].input_ids))
        results: list[dict] = [{} for _ in windows]
        pad = self.tokenizer.pad_token_id or 0
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            batch = collate([{"input_ids": windows[k][1].input_ids, "gazetteer_tags": windows[k][1].gazetteer_tags}
                             for k in idx], pad)
            gazetteer = batch["gazetteer_tags"].to(self.device) if self.model.gazetteer is not None else None
            hidden = self.model.encode(batch["input_ids"].to(self.device), batch["attention_mask"].to(self.device),
                                       gazetteer)
            ent = torch.log_softmax(self.model.entity_head(hidden), -1).float().cpu().numpy()
            trig = (torch.log_softmax(self.model.trigger_head(hidden), -1).float().cpu().numpy()
                    if self.model.trigger_head is not None else None)
            for row, k in enumerate(idx):
                n = len(windows[k][1].input_ids)
                results[k] = {"entity": ent[row, :n], "trigger": None if trig is None else trig[row, :n],
                              "hidden": hidden[row : row + 1, :n]}
        return results

    def _word_scores(self, doc: Document, mine: list[tuple[Window, dict]], key: str, n_labels: int) -> np.ndarray:
        """[n_words, n_labels] log-probs, each word read from the window that owns it (O for unseen words)."""
        scores = np.full((len(doc.words), n_labels), -30.0, dtype=np.float32)
        scores[:, 0] = 0.0
        for win, res in mine:
            for w, t in win.first_token.items():
                if win.own_start <= w < win.own_end:
                    scores[w] = res[key][t]
        return scores

    def _decode(self, doc: Document, mine: list[tuple[Window, dict]], date: dt.date | None) -> dict:
        spec = self.spec
        ent_lp = self._word_scores(doc, mine, "entity", len(spec.entity_labels))
        entities = tag_spans(viterbi(ent_lp, spec.entity_labels, self.entity_transitions), np.exp(ent_lp),
                             spec.entity_labels)
        triggers: list = []
        if self.model.trigger_head is not None:
            trig_lp = self._word_scores(doc, mine, "trigger", len(spec.trigger_labels))
            triggers = tag_spans(viterbi(trig_lp, spec.trigger_labels), np.exp(trig_lp), spec.trigger_labels)
        entities, triggers = _extend_over_glued(doc, mine, entities), _extend_over_glued(doc, mine, triggers)
        entities = [e for e in trim_dangling(doc, entities) if carries_number(doc, e)]
        arguments, relations = self._links(doc.sentence_of_words(), mine, entities, triggers)
        return build_record(doc, entities, triggers, arguments, relations, date, self.numeric_values)

    @torch.inference_mode()
    def _links(self, sent: list[int], mine, entities, triggers):
        """Classify (trigger, entity) and (entity, entity) pairs inside the window that owns the anchor span."""
        arguments: dict = {}
        relations: dict = {}
        roles, rels = pair_classes(self.spec.roles), pair_classes(self.spec.relations)
        ent_types, trig_types = self.spec.entity_types, self.spec.trigger_types
        for win, res in mine:
            def inside(spans, types):
                return {i: [win.first_token[a], win.first_token[b - 1], types.index(t)]
                        for i, (a, b, t, _) in enumerate(spans)
                        if a >= win.first_word and b <= win.end_word and a in win.first_token
                        and b - 1 in win.first_token}

            ents, trigs = inside(entities, ent_types), inside(triggers, trig_types)
            owned = lambda spans, i: win.own_start <= spans[i][0] < win.own_end  # noqa: E731
            near = lambda x, y: abs(sent[x[0]] - sent[y[0]]) <= MAX_LINK_SENTENCES  # noqa: E731
            jobs = []
            if self.model.arg_head is not None:
                jobs.append((self.model.arg_head, trigs, ents, roles, arguments,
                             [(t, e) for t in trigs for e in ents
                              if owned(triggers, t) and argument_candidate(entities[e][2])
                              and near(triggers[t], entities[e])]))
            if self.model.rel_head is not None:
                jobs.append((self.model.rel_head, ents, ents, rels, relations,
                             [(h, t) for h in ents for t in ents if h != t and owned(entities, h)
                              and relation_candidate(entities[h][2], entities[t][2])
                              and near(entities[h], entities[t])]))
            for head, a_map, b_map, classes, sink, pairs in jobs:
                if not pairs:
                    continue
                a_keys, b_keys = list(a_map), list(b_map)
                a_spans = torch.tensor([[a_map[k] for k in a_keys]], device=self.device)
                b_spans = torch.tensor([[b_map[k] for k in b_keys]], device=self.device)
                index = torch.tensor([[[a_keys.index(x), b_keys.index(y)] for x, y in pairs]], device=self.device)
                probs = torch.softmax(self.model.pair_logits(head, res["hidden"], a_spans, b_spans, index), -1)[0]
                best = probs.max(-1)
                for (x, y), p, c in zip(pairs, best.values.tolist(), best.indices.tolist()):
                    if classes[c] != NONE and p >= self.link_threshold:
                        sink[(x, y)] = (classes[c], p)
        return arguments, relations


def _extend_over_glued(doc: Document, mine: list[tuple[Window, dict]], spans: list) -> list:
    """Let a span take in the words glued to its end that no subword starts in (the «%» of «31%» when the
    tokenizer reads «31%» as one piece): the model never sees them, and a span must cover the whole word. Plain
    punctuation is not taken in: the «.» of «عام 2024.» ends the sentence, not the date."""
    seen = {w for win, _ in mine for w in win.first_token}
    out = []
    for first, end, typ, score in spans:
        while end < len(doc.words) and end not in seen and doc.words[end][0] == doc.words[end - 1][1] \
                and not _is_punctuation(doc.text[doc.words[end][0]:doc.words[end][1]]):
            end += 1
        out.append((first, end, typ, score))
    return out


def _is_punctuation(word: str) -> bool:
    """Only punctuation marks, the percent signs aside (they belong to a PERCENT)."""
    return all(unicodedata.category(ch).startswith("P") and ch not in "%٪‰" for ch in word)
