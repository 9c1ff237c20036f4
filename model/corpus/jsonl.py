"""Read and write the canonical JSONL corpus: one document per line, UTF-8, non-ASCII kept readable."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import CorpusError
from .record import Record, SourceDoc


class JsonlError(CorpusError):
    """A line of a JSONL file that is not a JSON object."""


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Record]]:
    """(line number, object) for each non-blank line; a malformed line raises JsonlError naming file and line."""
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise JsonlError(path, lineno, None, f"not JSON: {exc.msg} at column {exc.colno}") from None
            if not isinstance(obj, dict):
                raise JsonlError(path, lineno, None, f"a line must hold a JSON object, not {type(obj).__name__}")
            yield lineno, obj


def read_jsonl(path: str | Path) -> list[Record]:
    """All objects of a JSONL file."""
    return [obj for _, obj in iter_jsonl(path)]


def read_sources(path: str | Path) -> list[SourceDoc]:
    """The records of a JSONL file with their line numbers, for error reports."""
    return [SourceDoc(str(path), lineno, obj) for lineno, obj in iter_jsonl(path)]


def dumps(record: Record) -> str:
    """One record as one JSON line (no trailing newline); the only serialization, so outputs compare bytewise."""
    return json.dumps(record, ensure_ascii=False)


def write_jsonl(path: str | Path, records: Iterable[Record]) -> None:
    """Write records one per line, creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(dumps(record) + "\n")
