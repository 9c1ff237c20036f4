"""Pick documents by id or id range, e.g. a held-out "fresh" set written after a model's run started.

Ids have the form `PREFIX-NUMBER` (`ng-1411`); a range `ng-1411..ng-1457` takes every id of that prefix whose number
lies between the two, ends included. Ranges are how the benchmarks name the batches written after a given run.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import CorpusError
from .record import Record

_ID = re.compile(r"(?P<prefix>.+)-(?P<number>\d+)")


@dataclass(frozen=True)
class IdSpec:
    """One id (`first == last`) or an inclusive range of ids sharing a prefix."""

    prefix: str
    first: int
    last: int
    text: str

    def matches(self, doc_id: str) -> bool:
        key = id_key(doc_id)
        return key is not None and key[0] == self.prefix and self.first <= key[1] <= self.last

    @property
    def single(self) -> bool:
        return self.first == self.last


def id_key(doc_id: str) -> tuple[str, int] | None:
    """(prefix, number) of an id of the form PREFIX-NUMBER, else None."""
    found = _ID.fullmatch(doc_id)
    return (found["prefix"], int(found["number"])) if found else None


def parse_spec(text: str) -> IdSpec:
    """`ng-1411` or `ng-1411..ng-1457`; a bad spec raises CorpusError saying what is expected."""
    ends = text.split("..")
    keys = [id_key(end) for end in ends]
    if len(ends) > 2 or None in keys:
        raise CorpusError(None, None, None, f"bad id or range {text!r}: expected PREFIX-N or PREFIX-N..PREFIX-M")
    (prefix, first), (other, last) = keys[0], keys[-1]
    if prefix != other or first > last:
        raise CorpusError(None, None, None, f"bad range {text!r}: both ends need one prefix, the first ≤ the last")
    return IdSpec(prefix, first, last, text)


def select(records: Iterable[Record], specs: Sequence[IdSpec], exclude: Sequence[IdSpec] = ()) -> list[Record]:
    """Records matched by any of `specs` and none of `exclude`, in id order; a single id that is not there (in
    `specs`, not `exclude`) raises CorpusError, so a named document is never silently missing."""
    chosen = [r for r in records
              if any(s.matches(r["id"]) for s in specs) and not any(s.matches(r["id"]) for s in exclude)]
    found = {r["id"] for r in chosen}
    missing = [s.text for s in specs if s.single and not any(s.matches(i) for i in found)
               and not any(e.matches(s.text) for e in exclude)]
    if missing:
        raise CorpusError(None, None, None, f"no document with id {', '.join(missing)}")
    return sorted(chosen, key=lambda r: id_key(r["id"]))
