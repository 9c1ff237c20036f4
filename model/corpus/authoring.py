"""Parse the authoring format (annotations/GUIDELINES.md, section 6) into canonical records.

Annotators never type offsets; this module computes them from the markup, so the markup is the single source of
truth. Decisions where section 6 leaves room (they are part of the format from now on):

- A line whose first non-blank character is `@` is a directive; every other line inside a document is text.
  Directives are `@doc ID`, `@date YYYY-MM-DD`, `@end`, `@E<n> ROLE=ID ...`, `@R TYPE HEAD TAIL` and
  `@T<n> {json}`. Any other `@` line is an error, so a text line cannot start with `@`.
- Outside documents only blank lines are allowed. `@date` may appear once anywhere in the document.
- Text lines lose their surrounding whitespace (invisible in the file). Directive lines are removed from the
  text; the remaining lines are joined with `\n`, blank lines included (one blank line = `\n\n`, a paragraph
  break). Blank lines at the start and end of a document are dropped.
- `\\[` and `\\]` are literal brackets; any other backslash is literal. `[` must open a span `[ID:TYPE words]`
  whose ID is `T<n>` (entity) or `E<n>` (trigger); a span closes on the line where it opens.
- Span, role, relation and entity types are not checked here (the validator does that), but ids must be unique,
  `@E<n>` must name a trigger of the document and `@T<n>` a numeric entity of it.
- `@E<n>` may appear several times; its arguments are concatenated in file order.
- `@T<n>` overrides the values computed by `rasid.numbers.normalize` key by key; `null` removes a key, except
  for `value`, where null is itself a value (a range, an unresolved date). One `@T<n>` line per entity.
- Without `rasid.numbers` (not written yet) only the overrides are filled, with a warning.
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasid.labels import FOLLOWING_CHARS, NUMERIC_TYPES, PRECEDING_CHARS

from .errors import CorpusError
from .record import ENTITY_CORE_KEYS, Record, SourceDoc, canonical

_SPAN_HEAD_RE = re.compile(r"([TE]\d+):([A-Za-z_]+)(?:[ \t]+|(?=\]))")
_ARG_RE = re.compile(r"([A-Za-z_]+)=(\S+)")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EVENT_DIRECTIVE_RE = re.compile(r"@(E\d+)(?:\s+(.*))?")
_OVERRIDE_DIRECTIVE_RE = re.compile(r"@(T\d+)(?:\s+(.*))?")


class AnnotationError(CorpusError):
    """A problem in an authoring file: file, line, document id and reason."""


@dataclass
class _Block:
    """The lines of one `@doc ... @end` block, before parsing."""

    path: str
    doc_id: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    closed: bool = False  # ended by a well-formed @end; an unclosed document is reported and not returned


@dataclass
class _Span:
    ann_id: str
    type: str
    start: int
    end: int
    text: str
    line: int


def read_authoring(path: str | Path, errors: list[AnnotationError] | None = None) -> list[SourceDoc]:
    """Parse one authoring file; see `parse_authoring`."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AnnotationError(path, None, None, f"not UTF-8: {exc}") from None
    return parse_authoring(content, str(path), errors)


def parse_authoring(content: str, path: str = "<input>",
                    errors: list[AnnotationError] | None = None) -> list[SourceDoc]:
    """Parse the documents of one authoring file.

    Without `errors` the first problem raises AnnotationError. With a list, every problem is appended to it, the
    documents that have problems are left out and parsing goes on, so that one run reports everything.
    """
    found: list[AnnotationError] = []
    docs: list[SourceDoc] = []
    for block in _blocks(content, path, found):
        doc = _parse_block(block, found)
        if doc is not None and block.closed:
            docs.append(doc)
        if found and errors is None:
            raise found[0]
    if found and errors is None:
        raise found[0]
    if errors is not None:
        errors.extend(found)
    return docs


def _blocks(content: str, path: str, errors: list[AnnotationError]) -> list[_Block]:
    """Cut a file into document blocks, reporting lines that belong to no document."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for lineno, raw in enumerate(content.splitlines(), start=1):
        line = raw.strip()
        head = line.split(maxsplit=1)[0] if line else ""
        if head == "@doc":
            parts = line.split()
            if current is not None:
                errors.append(AnnotationError(path, current.line, current.doc_id,
                                              f"no @end before the @doc on line {lineno}"))
            current = _Block(path, parts[1] if len(parts) > 1 else "?", lineno)
            if len(parts) == 2:
                blocks.append(current)
            else:  # its lines are swallowed, so they are not reported one by one as outside a document
                errors.append(AnnotationError(path, lineno, None, "@doc takes exactly one document id"))
        elif head == "@end":
            if current is None:
                errors.append(AnnotationError(path, lineno, None, "@end without an open @doc"))
            elif line != "@end":
                errors.append(AnnotationError(path, lineno, current.doc_id, "@end takes nothing after it"))
            else:
                current.closed = True
            current = None
        elif current is not None:
            current.lines.append((lineno, line))
        elif line:
            errors.append(AnnotationError(path, lineno, None, "text outside a document (missing @doc?)"))
    if current is not None:
        errors.append(AnnotationError(path, current.line, current.doc_id, "document has no @end"))
    return blocks


@dataclass
class _Directives:
    """What the `@` lines of one document say."""

    date: dt.date | None = None
    arguments: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # event -> (line, role, id)
    event_lines: dict[str, int] = field(default_factory=dict)  # event -> its first @E line
    relations: list[Record] = field(default_factory=list)
    overrides: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # entity -> (line, values)


Fail = Callable[[int, str], None]


def _parse_block(block: _Block, errors: list[AnnotationError]) -> SourceDoc | None:
    """Turn one block into a record; returns None (and appends to `errors`) when it has problems."""
    before = len(errors)

    def fail(lineno: int, reason: str) -> None:
        errors.append(AnnotationError(block.path, lineno, block.doc_id, reason))

    directives = _Directives()
    text_lines = [(n, line) for n, line in block.lines if not _read_directive(n, line, directives, fail)]
    text, spans = _read_text(text_lines, fail)
    by_id = _check_references(spans, directives, fail)
    if len(errors) > before:
        return None
    entities: list[Record] = []
    events: list[Record] = []
    for span in spans:
        if span.ann_id.startswith("T"):
            entity: Record = {"id": span.ann_id, "type": span.type, "text": span.text,
                              "start": span.start, "end": span.end}
            if span.type in NUMERIC_TYPES:
                try:
                    preceding = text[max(0, span.start - PRECEDING_CHARS):span.start]
                    following = text[span.end:span.end + FOLLOWING_CHARS]
                    entity.update(_values(span, preceding, following, directives.date,
                                          directives.overrides.get(span.ann_id, (0, {}))[1]))
                except Exception as exc:  # the normalizer is another module's code: report, do not crash
                    fail(span.line, f"rasid.numbers.normalize failed on {span.text!r} ({span.type}): {exc!r}")
            entities.append(entity)
        else:
            events.append({"id": span.ann_id, "type": span.type,
                           "trigger": {"text": span.text, "start": span.start, "end": span.end},
                           "arguments": [{"role": role, "entity": filler}
                                         for _, role, filler in directives.arguments.get(span.ann_id, [])]})
    if len(errors) > before:
        return None
    record: Record = {"id": block.doc_id, "text": text, "entities": entities, "events": events,
                      "relations": directives.relations}
    if directives.date is not None:
        record["date"] = directives.date.isoformat()
    return SourceDoc(block.path, block.line, canonical(record), {i: s.line for i, s in by_id.items()})


def _read_directive(lineno: int, line: str, directives: _Directives, fail: Fail) -> bool:
    """Record an `@` line in `directives`; False for a text line."""
    if not line.startswith("@"):
        return False
    head, _, rest = line.partition(" ")
    rest = rest.strip()
    if head == "@date":
        if directives.date is not None:
            fail(lineno, "a second @date")
        elif not _DATE_RE.fullmatch(rest):
            fail(lineno, f"@date needs YYYY-MM-DD, got {rest!r}")
        else:
            try:
                directives.date = dt.date.fromisoformat(rest)
            except ValueError as exc:
                fail(lineno, f"@date {rest!r} is not a date: {exc}")
    elif head == "@R":
        parts = rest.split()
        if len(parts) != 3:
            fail(lineno, "@R needs TYPE HEAD TAIL")
        else:
            directives.relations.append({"type": parts[0], "head": parts[1], "tail": parts[2]})
    elif m := _EVENT_DIRECTIVE_RE.fullmatch(line):
        args = directives.arguments.setdefault(m.group(1), [])
        directives.event_lines.setdefault(m.group(1), lineno)
        for token in (m.group(2) or "").split():
            arg = _ARG_RE.fullmatch(token)
            if arg is None:
                fail(lineno, f"argument {token!r} is not ROLE=ID")
            else:
                args.append((lineno, arg.group(1), arg.group(2)))
    elif m := _OVERRIDE_DIRECTIVE_RE.fullmatch(line):
        _read_override(m.group(1), m.group(2) or "", lineno, directives.overrides, fail)
    else:
        fail(lineno, f"unknown directive {head!r}")
    return True


def _read_text(text_lines: list[tuple[int, str]], fail: Fail) -> tuple[str, list[_Span]]:
    """The document text (outer blank lines dropped, lines joined by newlines) and its spans."""
    while text_lines and not text_lines[0][1]:
        text_lines = text_lines[1:]
    while text_lines and not text_lines[-1][1]:
        text_lines = text_lines[:-1]
    pieces: list[str] = []
    spans: list[_Span] = []
    offset = 0
    for lineno, line in text_lines:
        plain = _parse_markup(line, lineno, offset, spans, fail)
        pieces.append(plain)
        offset += len(plain) + 1
    return "\n".join(pieces), spans


def _check_references(spans: list[_Span], directives: _Directives, fail: Fail) -> dict[str, _Span]:
    """Span ids must be unique; `@E<n>` must name a trigger and `@T<n>` a numeric entity. Returns spans by id."""
    by_id: dict[str, _Span] = {}
    for span in spans:
        if span.ann_id in by_id:
            fail(span.line, f"id {span.ann_id} is already used on line {by_id[span.ann_id].line}")
        else:
            by_id[span.ann_id] = span
    for event_id, lineno in directives.event_lines.items():
        if event_id not in by_id:
            fail(lineno, f"@{event_id}: no trigger [{event_id}:TYPE ...] in the document")
    for ann_id, (lineno, _) in directives.overrides.items():
        span = by_id.get(ann_id)
        if span is None:
            fail(lineno, f"@{ann_id}: no entity [{ann_id}:TYPE ...] in the document")
        elif span.type not in NUMERIC_TYPES:
            fail(lineno, f"@{ann_id}: overrides apply to {'/'.join(NUMERIC_TYPES)} entities, not {span.type}")
    return by_id


def _read_override(ann_id: str, payload: str, lineno: int, overrides: dict[str, tuple[int, dict[str, Any]]],
                   fail: Fail) -> None:
    try:
        values = json.loads(payload)
    except json.JSONDecodeError as exc:
        fail(lineno, f"@{ann_id} needs a JSON object: {exc}")
        return
    if not isinstance(values, dict):
        fail(lineno, f"@{ann_id} needs a JSON object, got {payload!r}")
    elif reserved := sorted(set(values) & set(ENTITY_CORE_KEYS)):
        fail(lineno, f"@{ann_id} cannot override {', '.join(reserved)}")
    elif ann_id in overrides:
        fail(lineno, f"a second @{ann_id} (the first is on line {overrides[ann_id][0]})")
    else:
        overrides[ann_id] = (lineno, values)


def _parse_markup(line: str, lineno: int, offset: int, spans: list[_Span], fail: Fail) -> str:
    """Strip the markup of one text line, appending its spans (offsets into the document text)."""
    out: list[str] = []
    stack: list[tuple[str, str, int]] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and line[i + 1:i + 2] in ("[", "]"):
            out.append(line[i + 1])
            i += 2
        elif ch == "[":
            m = _SPAN_HEAD_RE.match(line, i + 1)
            if m is None:
                fail(lineno, f"'[' at column {i + 1} does not open a span [T1:TYPE words]; write \\[ for a bracket")
                return "".join(out)
            stack.append((m.group(1), m.group(2), len(out)))
            i = m.end()
        elif ch == "]":
            if not stack:
                fail(lineno, f"']' at column {i + 1} closes no span; write \\] for a bracket")
                return "".join(out)
            ann_id, ann_type, start = stack.pop()
            if start == len(out):
                fail(lineno, f"span {ann_id} is empty")
            span_text = "".join(out[start:])
            spans.append(_Span(ann_id, ann_type, offset + start, offset + len(out), span_text, lineno))
            i += 1
        else:
            out.append(ch)
            i += 1
    for ann_id, _, _ in stack:
        fail(lineno, f"span {ann_id} is not closed on its line")
    return "".join(out)


def _values(span: _Span, preceding: str, following: str, date: dt.date | None,
            override: dict[str, Any]) -> dict[str, Any]:
    """Normalized keys for a numeric entity: the normalizer's (told the text around the span), then the annotator's
    overrides."""
    values: dict[str, Any] = {}
    normalize = _normalizer()
    if normalize is not None:
        result = normalize(span.text, span.type, date, preceding, following)
        if not isinstance(result, dict):
            raise TypeError(f"returned {type(result).__name__}, not dict")
        values.update((k, v) for k, v in result.items() if k not in ENTITY_CORE_KEYS)
    for key, value in override.items():
        if value is None and key != "value":
            values.pop(key, None)
        else:
            values[key] = value
    return values


def _normalizer() -> Callable[..., dict[str, Any]] | None:
    """`rasid.numbers.normalize`, imported late because that module is written separately and may be missing."""
    try:
        numbers = importlib.import_module("rasid.numbers")
    except ModuleNotFoundError as exc:
        if exc.name != "rasid.numbers":
            raise
        warnings.warn("rasid.numbers is missing: numeric entities get only their @T overrides", stacklevel=2)
        return None
    return numbers.normalize
