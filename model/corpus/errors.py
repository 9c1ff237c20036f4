"""One exception family for the corpus tooling, so the CLI can report any bad input as `file:line: [doc] reason`
instead of a traceback."""
from __future__ import annotations

from pathlib import Path


class CorpusError(Exception):
    """A problem in an input file, located as precisely as the input allows."""

    def __init__(self, path: str | Path | None, line: int | None, doc_id: str | None, reason: str) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.doc_id = doc_id
        self.reason = reason
        super().__init__(locate(self.path, line, doc_id, reason))


def locate(path: str | None, line: int | None, doc_id: str | None, reason: str) -> str:
    """`path:line: [doc] reason`, leaving out what is unknown (`[no document]` when a file has no document there)."""
    parts = []
    if path is not None:
        parts.append(f"{path}:{line}:" if line is not None else f"{path}:")
    if doc_id is not None or path is not None:
        parts.append(f"[{doc_id}]" if doc_id is not None else "[no document]")
    return " ".join([*parts, reason])
