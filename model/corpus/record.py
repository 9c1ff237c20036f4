"""The canonical document record (the schema's output record without scores) and where a record came from.

A record is a plain dict so that it can be read from and written to JSON unchanged, and so that the validator can
inspect records that are malformed. `canonical` fixes key and list order so that the same annotations always
serialize to the same bytes (compile output is compared byte for byte in CI).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]

# Keys every entity has; anything else on an entity is a normalized value (value, unit, approximate, ...).
ENTITY_CORE_KEYS = ("id", "type", "text", "start", "end")


@dataclass
class SourceDoc:
    """A record plus its origin, so that problems can be reported as `file:line: [doc] reason`.

    `line` is the `@doc` line of an authoring file or the line of a JSONL file; `id_lines` maps entity and trigger
    ids to the authoring line that marks them (empty for JSONL).
    """

    path: str
    line: int | None
    record: Record
    id_lines: dict[str, int] = field(default_factory=dict)

    @property
    def doc_id(self) -> str | None:
        doc_id = self.record.get("id")
        return doc_id if isinstance(doc_id, str) else None

    def line_of(self, ann_id: object) -> int | None:
        """The authoring line of an annotation id, else the document's own line."""
        return self.id_lines.get(ann_id, self.line) if isinstance(ann_id, str) else self.line


def canonical(record: Record) -> Record:
    """The record with fixed key order, entities sorted by offset, events by trigger offset.

    Arguments and relations keep their order (it is the annotator's and carries no meaning, but reordering it
    would make diffs noisy).
    """
    out: Record = {"id": record["id"], "text": record["text"]}
    if record.get("date") is not None:
        out["date"] = record["date"]
    out["entities"] = sorted((_entity(e) for e in record.get("entities", [])),
                             key=lambda e: (e["start"], e["end"], e["id"]))
    out["events"] = sorted((_event(e) for e in record.get("events", [])),
                           key=lambda e: (e["trigger"]["start"], e["trigger"]["end"], e["id"]))
    out["relations"] = [{"type": r["type"], "head": r["head"], "tail": r["tail"]}
                        for r in record.get("relations", [])]
    return out


def _entity(entity: Record) -> Record:
    out = {key: entity[key] for key in ENTITY_CORE_KEYS}
    out.update((k, v) for k, v in entity.items() if k not in ENTITY_CORE_KEYS)
    return out


def _event(event: Record) -> Record:
    trigger = event["trigger"]
    return {"id": event["id"], "type": event["type"],
            "trigger": {"text": trigger["text"], "start": trigger["start"], "end": trigger["end"]},
            "arguments": [{"role": a["role"], "entity": a["entity"]} for a in event.get("arguments", [])]}
