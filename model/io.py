"""Inputs and outputs of the batch tools: streamed documents for `predict`, CoNLL files for training.

Readers are generators so that a multi-gigabyte archive is never held in memory. A line that cannot be read
becomes a record with an `error` field naming its file and line: a batch run never silently drops a record.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from .corpus.jsonl import read_jsonl

__all__ = ["read_jsonl", "read_conll", "iter_inputs", "write_records"]


def read_conll(path: str | Path, column: int = -1, tag_map: Callable[[str], str] | None = None
               ) -> tuple[list[list[str]], list[list[str]]]:
    """Sentences of tokens and tags from a `token TAG` per line file (blank line between sentences). Of several
    tag columns (nested layers) `column` is read; `tag_map` rewrites each tag before it is checked."""
    tokens: list[list[str]] = [[]]
    tags: list[list[str]] = [[]]
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            parts = line.split()
            if not parts:
                if tokens[-1]:
                    tokens.append([])
                    tags.append([])
                continue
            if len(parts) < 2:
                raise ValueError(f"{path}:{lineno}: expected 'token TAG', got {line.strip()!r}")
            tag = tag_map(parts[column]) if tag_map else parts[column]
            if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
                raise ValueError(f"{path}:{lineno}: {tag!r} is not a BIO tag")
            tokens[-1].append(parts[0])
            tags[-1].append(tag)
    if not tokens[-1]:
        tokens.pop()
        tags.pop()
    return tokens, tags


def _jsonl_records(name: str, handle: TextIO) -> Iterator[dict]:
    for lineno, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"id": where, "text": "", "error": f"{where}: not JSON ({exc.msg} at column {exc.colno})"}
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield {"id": str(obj.get("id", where)) if isinstance(obj, dict) else where, "text": "",
                   "error": f"{where}: a line must be a JSON object with a string 'text'"}
            continue
        obj.setdefault("id", where)
        yield obj


def iter_inputs(paths: Iterable[str], lines: bool = False, stdin: TextIO | None = None) -> Iterator[dict]:
    """Documents from .txt files (one each, or one per line with `lines`), .jsonl files, or `-` for stdin.

    stdin is read as JSONL when its first non-blank character is `{`, else as text (one document per line with
    `lines`, else the whole stream as one document).
    """
    for path in paths:
        if path == "-":
            yield from _stdin_records(stdin or sys.stdin, lines)
            continue
        p = Path(path)
        if p.suffix == ".jsonl":
            with open(p, encoding="utf-8") as handle:
                yield from _jsonl_records(str(p), handle)
        elif lines:
            with open(p, encoding="utf-8") as handle:
                for lineno, line in enumerate(handle, start=1):
                    if line.strip():
                        yield {"id": f"{p.name}:{lineno}", "text": line.rstrip("\n")}
        else:
            yield {"id": p.stem, "text": p.read_text(encoding="utf-8")}


def _stdin_records(handle: TextIO, lines: bool) -> Iterator[dict]:
    first = handle.readline()
    while first and not first.strip():
        first = handle.readline()
    if first.lstrip().startswith("{"):
        yield from _jsonl_records("<stdin>", _chain(first, handle))
    elif lines:
        for lineno, line in enumerate(_chain(first, handle), start=1):
            if line.strip():
                yield {"id": f"stdin:{lineno}", "text": line.rstrip("\n")}
    elif first:
        yield {"id": "stdin", "text": first + handle.read()}


def _chain(first: str, rest: TextIO) -> Iterator[str]:
    yield first
    yield from rest


def write_records(records: Iterable[dict], out: TextIO) -> int:
    """Write records as JSON lines, flushing each so a downstream consumer sees progress; returns the count."""
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    out.flush()
    return n
