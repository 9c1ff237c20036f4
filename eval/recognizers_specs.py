"""Check `rasid.numbers` against the Arabic test specifications of Microsoft Recognizers-Text.

The specs (`shared/benchmarks/ms_recognizers_text_arabic_specs/Number`) are sentences written by people with the
spans a rule-based recognizer should find and the values it should resolve. rasid finds spans with its model
and resolves them with `rasid.numbers`, so this check gives each expected span's text to the normalizer and
compares values: numbers through `parse_quantity` (rasid's reading of a count), percentages through
`parse_percent`, ranges through the bounds `parse_quantity` returns (open or closed ends are not compared:
rasid's `min`/`max` do not say). The specs record one library's design, quirks included (scientific notation,
«واحد على ثلاثة» as a fraction), so disagreements are listed for reading, not counted as rasid's errors blindly.

    python eval/recognizers_specs.py -o runs/recognizers-specs.json
"""
from __future__ import annotations

import argparse
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

from rasid.numbers import parse_percent, parse_quantity

SPECS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "ms_recognizers_text_arabic_specs"
INTERVAL = re.compile(r"^([\[(])(-?[0-9.]*),(-?[0-9.]*)([\])])$")


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def check_number(text: str, expected: str) -> tuple[bool, object]:
    got = parse_quantity(text).get("value")
    return _close(got, float(expected)), got


def check_percent(text: str, expected: str) -> tuple[bool, object]:
    got = parse_percent(text).get("value")
    return _close(got, float(expected.rstrip("%"))), got


def check_range(text: str, expected: str) -> tuple[bool, object]:
    match = INTERVAL.match(expected)
    if not match:
        raise ValueError(f"unreadable interval {expected!r}")
    got = parse_quantity(text)
    low, high = (float(x) if x else None for x in match.group(2, 3))
    ok = all(_close(got.get(key), want) if want is not None else key not in got
             for key, want in (("min", low), ("max", high)))
    return ok, {k: got[k] for k in ("value", "min", "max") if k in got}


CHECKS: dict[str, Callable[[str, str], tuple[bool, object]]] = {
    "Number/NumberModel.json": check_number,
    "Number/PercentModel.json": check_percent,
    "Number/NumberRangeModel.json": check_range,
}


def run(specs: Path) -> dict:
    """Per spec file: agreements among the cases the reference implementation passes, among those it marks
    NotSupported, and every disagreement."""
    report = {}
    for name, check in CHECKS.items():
        cases = json.loads((specs / name).read_text(encoding="utf-8-sig"))
        counts = {"reference passes": [0, 0], "reference fails": [0, 0]}
        misses = []
        for case in cases:
            group = "reference fails" if case.get("NotSupported") else "reference passes"
            for result in case["Results"]:
                expected = result.get("Resolution", {}).get("value")
                if not expected:
                    continue
                ok, got = check(result["Text"], expected)
                counts[group][0] += ok
                counts[group][1] += 1
                if not ok:
                    misses.append({"text": result["Text"], "expected": expected, "rasid": got, "group": group})
        report[name] = {"agree": {g: {"agree": a, "cases": n} for g, (a, n) in counts.items()},
                        "disagreements": misses}
    return report


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--specs", type=Path, default=SPECS)
    p.add_argument("-o", "--output", type=Path, help="write the report, disagreements included, as JSON")
    args = p.parse_args(argv)
    report = run(args.specs)
    for name, part in report.items():
        line = " · ".join(f"{g}: {c['agree']}/{c['cases']}" for g, c in part["agree"].items())
        print(f"{name}: {line}")
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
