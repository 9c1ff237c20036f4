"""How often the values `rasid predict` writes agree with the values the annotators settled, on gold spans.

Each QUANTITY, MONEY, PERCENT and DATE span of an annotated JSONL file is normalized the way `rasid predict` does it
(`rasid.numbers` told the text around the span and the document's date, then the document-level rules: currencies
from `rasid.decode.lend_currencies`, fed the gold places, and anaphoric dates from `resolve_anaphoric_dates`), and
its keys are compared with the gold ones, which are the normalizer's output as the annotators checked and overrode
it. The spans are given, so this scores values alone; `rasid evaluate` scores them on predicted spans.
`--same-word-only` leaves the gold places out, which shows what the place rule adds.

    python eval/values.py annotations/corpus/test.jsonl
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

from rasid.decode import lend_currencies, numeric_values, resolve_anaphoric_dates
from rasid.io import read_jsonl
from rasid.labels import FOLLOWING_CHARS, NUMERIC_TYPES, PRECEDING_CHARS

_NOT_VALUE_KEYS = ("id", "type", "text", "start", "end", "score")


def _keys(entity: dict) -> dict:
    return {k: v for k, v in entity.items() if k not in _NOT_VALUE_KEYS and v is not None}


def compare(records: list[dict], places: bool = True) -> dict:
    """Per numeric type: spans, spans whose keys all agree, and which keys differ how often."""
    spans: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    differing: dict[str, Counter[str]] = {t: Counter() for t in NUMERIC_TYPES}
    for record in records:
        text, gold = record["text"], [e for e in record["entities"] if e["type"] in NUMERIC_TYPES]
        made = [{"type": e["type"], "text": e["text"],
                 **numeric_values(e["text"], e["type"], record.get("date"),
                                  text[max(0, e["start"] - PRECEDING_CHARS):e["start"]],
                                  text[e["end"]:e["end"] + FOLLOWING_CHARS])} for e in gold]
        lend_currencies(made + ([{"type": "LOC", "text": e["text"]} for e in record["entities"] if e["type"] == "LOC"]
                                if places else []))
        resolve_anaphoric_dates(made)
        for g, m in zip(gold, made):
            g_keys, m_keys = _keys(g), _keys(m)
            spans[g["type"]] += 1
            agree[g["type"]] += g_keys == m_keys
            differing[g["type"]].update(k for k in set(g_keys) | set(m_keys) if g_keys.get(k) != m_keys.get(k))
    return {t: {"spans": spans[t], "agree": agree[t], "differing_keys": dict(differing[t].most_common())}
            for t in NUMERIC_TYPES if spans[t]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", nargs="+", help="annotated JSONL files")
    parser.add_argument("--same-word-only", action="store_true", help="no currency from the document's places")
    parser.add_argument("-o", "--output", help="write the report as JSON here")
    args = parser.parse_args()
    records = [r for path in args.gold for r in read_jsonl(path)]
    report = compare(records, places=not args.same_word_only)
    for typ, row in report.items():
        keys = ", ".join(f"{k} {n}" for k, n in row["differing_keys"].items())
        print(f"{typ}: {row['agree']}/{row['spans']} agree ({100 * row['agree'] / row['spans']:.1f}%)"
              + (f"; differing keys: {keys}" if keys else ""))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
