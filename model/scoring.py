"""Scores predicted records against gold records: entities with seqeval, triggers, arguments and relations by
exact match.

Entities are scored at word level with seqeval (strict IOB2, span + type must match): gold and predicted spans
are both turned into BIO tags over the same words. An argument counts only if its trigger (span and type), role
and entity (span and type) are all right; a relation if its type and both ends (span and type) are right, in
either order for symmetric types.

Values: of the numeric entities found with the right span and type, the share whose normalized keys (value, unit,
currency, min, max, approximate, calendar) all equal the gold ones — what a user reading the numbers gets right.
"""
from __future__ import annotations

from collections import Counter

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from .align import Document
from .features import GoldDoc, WordSpan, word_tags
from .labels import NUMERIC_TYPES, SYMMETRIC_RELATIONS

# Keys of an entity that are not its normalized value; the predictor's confidence is one of them.
_NOT_VALUE_KEYS = ("id", "type", "text", "start", "end", "score")


def _entity_tags(record: dict, doc: Document) -> list[str]:
    spans = []
    for e in record.get("entities", []):
        idx = doc.word_index(e["start"], e["end"])
        if idx is not None:
            spans.append(WordSpan(idx[0], idx[1], e["type"]))
    return word_tags(len(doc.words), spans)


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": n_gold}


def _tuples(record: dict) -> tuple[Counter, Counter, Counter]:
    ents = {e["id"]: (e["start"], e["end"], e["type"]) for e in record.get("entities", [])}
    trig, args, rels = Counter(), Counter(), Counter()
    for ev in record.get("events", []):
        t = (ev["trigger"]["start"], ev["trigger"]["end"], ev["type"])
        trig[t] += 1
        for a in ev.get("arguments", []):
            if a["entity"] in ents:
                args[(t, a["role"], ents[a["entity"]])] += 1
    for r in record.get("relations", []):
        if r["head"] in ents and r["tail"] in ents:
            ends = (ents[r["head"]], ents[r["tail"]])
            if r["type"] in SYMMETRIC_RELATIONS:
                ends = tuple(sorted(ends))
            rels[(r["type"], *ends)] += 1
    return trig, args, rels


def _by_type(gold: list[Counter], pred: list[Counter], key) -> dict:
    out = {}
    types = sorted({key(t) for c in gold + pred for t in c})
    for typ in types:
        g_n = sum(n for c in gold for t, n in c.items() if key(t) == typ)
        p_n = sum(n for c in pred for t, n in c.items() if key(t) == typ)
        tp = sum(n for g, p in zip(gold, pred) for t, n in (g & p).items() if key(t) == typ)
        out[typ] = prf(tp, p_n, g_n)
    tp = sum(sum((g & p).values()) for g, p in zip(gold, pred))
    out["micro"] = prf(tp, sum(sum(c.values()) for c in pred), sum(sum(c.values()) for c in gold))
    return out


def _values(record: dict) -> dict[tuple[int, int, str], dict]:
    return {(e["start"], e["end"], e["type"]):
            {k: v for k, v in e.items() if k not in _NOT_VALUE_KEYS and v is not None}
            for e in record.get("entities", []) if e["type"] in NUMERIC_TYPES}


def score_values(gold: list[dict], pred: list[dict]) -> dict:
    """Per numeric type and in all: the entities matched by span and type, and the share with the gold values."""
    matched: Counter = Counter()
    right: Counter = Counter()
    for g, p in zip(gold, pred):
        g_vals, p_vals = _values(g), _values(p)
        for key in g_vals.keys() & p_vals.keys():
            matched[key[2]] += 1
            right[key[2]] += g_vals[key] == p_vals[key]
    out = {t: {"accuracy": right[t] / matched[t], "matched": matched[t]} for t in NUMERIC_TYPES if matched[t]}
    total = sum(matched.values())
    out["all"] = {"accuracy": sum(right.values()) / total if total else 0.0, "matched": total}
    return out


def score(gold: list[dict], pred: list[dict], values: bool = True) -> dict:
    """All metrics for aligned lists of gold and predicted records (matched by position; ids must agree); `values`
    False leaves out the values layer, for predictions made without normalized values."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold records but {len(pred)} predictions")
    g_tags, p_tags = [], []
    g_sets, p_sets = [], []
    for g, p in zip(gold, pred):
        if g.get("id") != p.get("id") or g["text"] != p["text"]:
            raise ValueError(f"prediction {p.get('id')!r} does not match gold record {g.get('id')!r}")
        doc = Document.from_text(g["text"])
        g_tags.append(_entity_tags(g, doc))
        p_tags.append(_entity_tags(p, doc))
        g_sets.append(_tuples(g))
        p_sets.append(_tuples(p))
    report = classification_report(g_tags, p_tags, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    entities = {k.replace(" avg", ""): {"precision": v["precision"], "recall": v["recall"], "f1": v["f1-score"],
                                        "support": int(v["support"])} for k, v in report.items()}
    metrics = {
        "entities": entities,
        "triggers": _by_type([s[0] for s in g_sets], [s[0] for s in p_sets], key=lambda t: t[2]),
        "arguments": _by_type([s[1] for s in g_sets], [s[1] for s in p_sets], key=lambda t: t[1]),
        "relations": _by_type([s[2] for s in g_sets], [s[2] for s in p_sets], key=lambda t: t[0]),
    }
    if values:
        metrics["values"] = score_values(gold, pred)
    return metrics


def score_tags(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """seqeval on tag sequences (CoNLL benchmarks), conlleval's lenient reading of I- after O."""
    report = classification_report(gold, pred, output_dict=True, zero_division=0)
    return {"entities": {k.replace(" avg", ""): {"precision": v["precision"], "recall": v["recall"],
                                                  "f1": v["f1-score"], "support": int(v["support"])}
                         for k, v in report.items()}}


def score_conll(docs: list[GoldDoc], predicted: list[list[str]]) -> dict:
    """seqeval over the documents' sentences, given one predicted tag list per document."""
    gold_tags, pred_tags = [], []
    for gold, tags in zip(docs, predicted, strict=True):
        gt = word_tags(len(gold.doc.words), gold.entities)
        for a, b in gold.doc.sentences:
            gold_tags.append(gt[a:b])
            pred_tags.append(tags[a:b])
    return score_tags(gold_tags, pred_tags)


def headline(metrics: dict) -> float:
    """One number to select checkpoints with: the mean micro-F1 of the layers that were scored."""
    parts = [metrics["entities"]["micro"]["f1"]]
    for layer in ("triggers", "arguments", "relations"):
        if layer in metrics and metrics[layer]["micro"]["support"]:
            parts.append(metrics[layer]["micro"]["f1"])
    return sum(parts) / len(parts)


def markdown(metrics: dict) -> str:
    """The metrics as Markdown tables, one per layer."""
    lines = []
    for layer, table in metrics.items():
        if layer == "values":
            lines += ["### values", "", "| type | accuracy | matched |", "|---|---|---|"]
            lines += [f"| {typ} | {100 * m['accuracy']:.1f} | {m['matched']} |" for typ, m in table.items()]
            lines.append("")
            continue
        lines += [f"### {layer}", "", "| type | P | R | F1 | support |", "|---|---|---|---|---|"]
        for typ, m in table.items():
            lines.append(f"| {typ} | {100 * m['precision']:.1f} | {100 * m['recall']:.1f} | {100 * m['f1']:.1f} "
                         f"| {m['support']} |")
        lines.append("")
    return "\n".join(lines)
