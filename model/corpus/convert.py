"""Converters between canonical JSONL and the formats annotation tools and NER toolkits read.

What each format carries (a JSONL -> format -> JSONL round trip preserves exactly this):

- `conll`: word-level BIO, one `word TAG` per line, a blank line after each sentence, `# id = ...` and
  `# date = ...` lines before each document. Entities only: triggers, arguments, relations and normalized
  values are lost. Words are rasid.text.word_spans, sentences rasid.text.sentence_spans (merged where an entity
  would cross them). Spacing is lost: the text read back is the words joined by single spaces, one sentence per
  line, so offsets and the spacing inside surfaces change («حزيران/يونيو» comes back as «حزيران / يونيو») while
  the words, the entities' words and types, the id and the date do not; entity ids become T1, T2, ... in text
  order. Sentence breaks are derived again on writing, so they can differ where punctuation had no space after
  it («..» becomes «. .»).
- `brat`: a folder of `<doc id>.txt` + `<doc id>.ann` standoff files with T, E and R lines; triggers are T lines of
  the event type, a role used twice is written ROLE, ROLE2 (brat's convention). Everything but the date and
  normalized values is carried, ids included.
- `labelstudio`: a Label Studio JSON export (a list of tasks, each with `data.text` and one annotation whose
  `result` holds `labels` regions and `relation` results). Entities and triggers are regions (a region whose
  label is an event type is a trigger), event arguments are relations from trigger to entity labelled with the
  role, relations between entities are labelled with their type. The id and date travel in `data`. Everything
  but normalized values is carried, ids included.
- `doccano`: sequence-labelling JSONL, `{"id", "text", "label": [[start, end, TYPE], ...], "date"?}` with
  entities and triggers as labels. Arguments, relations and values are lost; ids are renumbered in text order.
- `doccano-rel`: doccano's relation-extraction JSONL, `{"id", "text", "entities": [{"id", "label",
  "start_offset", "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}], "date"?}` with integer ids;
  arguments are relations from a trigger labelled with the role. Only values are lost; ids are renumbered.

Readers take the first annotation of a Label Studio task, ignore brat A, M, N and * lines, and raise FormatError
(file, line or document, reason) on anything they cannot represent.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rasid.align import Document
from rasid.labels import EVENT_TYPES

from .errors import CorpusError
from .jsonl import iter_jsonl, read_jsonl, write_jsonl
from .record import Record, canonical

FORMATS = ("jsonl", "conll", "brat", "labelstudio", "doccano", "doccano-rel")
_CONLL_META_RE = re.compile(r"# (id|date) = (.*)")
_BRAT_ID_RE = re.compile(r"[TE]\d+")
_SAFE_NAME_RE = re.compile(r"[\w-][\w.-]*")


class FormatError(CorpusError):
    """Input a converter cannot read, or a record a format cannot hold."""


def read(fmt: str, path: str | Path) -> list[Record]:
    """Canonical records from a file (a folder for brat) in format `fmt`."""
    try:
        return _READERS[fmt](Path(path))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # a field missing or of the wrong kind
        raise FormatError(path, None, None, f"malformed {fmt} input ({exc!r}); run validate on it") from None


def write(fmt: str, records: list[Record], path: str | Path) -> None:
    """Write canonical records in format `fmt` to a file (a folder for brat)."""
    _WRITERS[fmt](records, Path(path))


# --- CoNLL -----------------------------------------------------------------------------------------------------

def to_conll(records: list[Record]) -> str:
    """Word-level BIO of the entity layer; see the module docstring for what is lost."""
    lines: list[str] = []
    for rec in records:
        doc = Document.from_text(rec["text"])
        tags = ["O"] * len(doc.words)
        spans = []
        for ent in rec["entities"]:
            span = doc.word_index(ent["start"], ent["end"])
            if span is None:
                raise FormatError(None, None, rec["id"], f"{ent['id']} is not on word boundaries")
            if any(t != "O" for t in tags[span[0]:span[1]]):
                raise FormatError(None, None, rec["id"], f"{ent['id']} overlaps another entity")
            tags[span[0]:span[1]] = [f"B-{ent['type']}"] + [f"I-{ent['type']}"] * (span[1] - span[0] - 1)
            spans.append(span)
        lines.append(f"# id = {rec['id']}")
        if rec.get("date"):
            lines.append(f"# date = {rec['date']}")
        for lo, hi in _merge_sentences(doc.sentences, spans):
            lines.extend(f"{rec['text'][s:e]} {tag}" for (s, e), tag in zip(doc.words[lo:hi], tags[lo:hi]))
            lines.append("")
    return "".join(line + "\n" for line in lines)


def _merge_sentences(sentences: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence word ranges, joined where an entity would cross a sentence break (BIO cannot)."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sentences:
        if merged and any(s < lo < e for s, e in spans):
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def from_conll(content: str, path: str = "<input>") -> list[Record]:
    """Records from BIO lines; text is rebuilt from the words (one sentence per line)."""
    docs: list[dict[str, Any]] = []
    sentence: list[tuple[str, str]] = []

    def new_doc(doc_id: str) -> dict[str, Any]:
        docs.append({"id": doc_id, "date": None, "sentences": []})
        return docs[-1]

    def flush() -> None:
        if sentence:
            (docs[-1] if docs else new_doc(Path(path).stem))["sentences"].append(list(sentence))
            sentence.clear()

    for lineno, line in enumerate(content.splitlines(), start=1):
        meta = _CONLL_META_RE.fullmatch(line.strip())
        if meta:
            flush()
            if meta.group(1) == "id":
                new_doc(meta.group(2).strip())
            elif docs:
                docs[-1]["date"] = meta.group(2).strip()
            continue
        if not line.strip():
            flush()
            continue
        parts = line.split()
        if len(parts) != 2 or not (parts[1] == "O" or parts[1][:2] in ("B-", "I-")):
            raise FormatError(path, lineno, docs[-1]["id"] if docs else None, f"expected 'word TAG', got {line!r}")
        sentence.append((parts[0], parts[1]))
    flush()
    return [_conll_record(d) for d in docs]


def _conll_record(doc: dict[str, Any]) -> Record:
    """Words joined by spaces, sentences by newlines; B-/I- runs become entities T1, T2, ..."""
    text = ""
    entities: list[Record] = []
    for sentence in doc["sentences"]:
        open_entity: Record | None = None
        for k, (word, tag) in enumerate(sentence):
            if text:
                text += " " if k else "\n"
            start = len(text)
            text += word
            if tag == "O":
                open_entity = None
            elif tag.startswith("I-") and open_entity is not None and open_entity["type"] == tag[2:]:
                open_entity["end"] = len(text)
            else:  # B-, or an I- that starts an entity (the conlleval reading)
                open_entity = {"type": tag[2:], "start": start, "end": len(text)}
                entities.append(open_entity)
    for i, ent in enumerate(entities, start=1):
        ent.update(id=f"T{i}", text=text[ent["start"]:ent["end"]])
    return canonical({"id": doc["id"], "text": text, "date": doc["date"], "entities": entities, "events": [],
                      "relations": []})


# --- brat ------------------------------------------------------------------------------------------------------

def to_brat(records: list[Record], folder: Path) -> None:
    """A .txt and .ann pair per document; triggers get T ids above the entities' ids."""
    folder.mkdir(parents=True, exist_ok=True)
    for rec in records:
        if not _SAFE_NAME_RE.fullmatch(rec["id"]):
            raise FormatError(None, None, rec["id"], "document id cannot be a brat file name")
        lines = []
        for ent in rec["entities"]:
            _check_brat_span(rec, ent["id"], ent["text"], "T")
            lines.append(f"{ent['id']}\t{ent['type']} {ent['start']} {ent['end']}\t{ent['text']}")
        next_t = max((int(e["id"][1:]) for e in rec["entities"]), default=0) + 1
        for event in rec["events"]:
            _check_brat_span(rec, event["id"], event["trigger"]["text"], "E")
            trig = event["trigger"]
            lines.append(f"T{next_t}\t{event['type']} {trig['start']} {trig['end']}\t{trig['text']}")
            seen: dict[str, int] = defaultdict(int)
            args = []
            for arg in event["arguments"]:
                seen[arg["role"]] += 1
                suffix = str(seen[arg["role"]]) if seen[arg["role"]] > 1 else ""
                args.append(f"{arg['role']}{suffix}:{arg['entity']}")
            lines.append("\t".join([event["id"], " ".join([f"{event['type']}:T{next_t}", *args])]))
            next_t += 1
        for i, rel in enumerate(rec["relations"], start=1):
            lines.append(f"R{i}\t{rel['type']} Arg1:{rel['head']} Arg2:{rel['tail']}")
        (folder / f"{rec['id']}.txt").write_text(rec["text"], encoding="utf-8")
        (folder / f"{rec['id']}.ann").write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _check_brat_span(rec: Record, ann_id: str, text: str, prefix: str) -> None:
    if not _BRAT_ID_RE.fullmatch(ann_id) or not ann_id.startswith(prefix):
        raise FormatError(None, None, rec["id"], f"id {ann_id!r} is not a brat {prefix}<number> id")
    if "\n" in text:
        raise FormatError(None, None, rec["id"], f"{ann_id} spans a line break (brat would need fragments)")


def from_brat(folder: Path) -> list[Record]:
    """Records from every .ann file of a folder (with its .txt), in file name order; id = file stem."""
    if not folder.is_dir():
        raise FormatError(folder, None, None, "brat input must be a folder of .txt/.ann files")
    return [_brat_record(ann) for ann in sorted(folder.glob("*.ann"))]


def _brat_record(ann: Path) -> Record:
    doc_id = ann.stem
    txt = ann.with_suffix(".txt")
    if not txt.is_file():
        raise FormatError(ann, None, doc_id, f"no {txt.name} next to it")
    text = txt.read_text(encoding="utf-8")
    spans: dict[str, Record] = {}
    events: list[tuple[int, str, str, str, list[tuple[str, str]]]] = []
    relations: list[Record] = []
    for lineno, line in enumerate(ann.read_text(encoding="utf-8").splitlines(), start=1):
        def fail(reason: str) -> FormatError:
            return FormatError(ann, lineno, doc_id, reason)

        if not line.strip() or line[0] in "AMN#*":
            continue
        fields = line.split("\t")
        if line[0] == "T":
            if len(fields) != 3 or len(fields[1].split(" ")) != 3 or ";" in fields[1]:
                raise fail("expected 'Tn<TAB>TYPE START END<TAB>text' (fragments are not supported)")
            ann_type, start, end = fields[1].split(" ")
            span = {"id": fields[0], "type": ann_type, "start": int(start), "end": int(end), "text": fields[2]}
            if text[span["start"]:span["end"]] != span["text"]:
                raise fail(f"text {span['text']!r} does not match offsets {start}:{end}")
            spans[fields[0]] = span
        elif line[0] == "E":
            parts = fields[1].split() if len(fields) == 2 else []
            if not parts or ":" not in parts[0] or not all(":" in p for p in parts):
                raise fail("expected 'En<TAB>TYPE:Tn ROLE:Tm ...'")
            ev_type, trigger = parts[0].split(":", 1)
            args = [(role.rstrip("0123456789"), filler) for role, filler in (p.split(":", 1) for p in parts[1:])]
            events.append((lineno, fields[0], ev_type, trigger, args))
        elif line[0] == "R":
            parts = fields[1].split() if len(fields) == 2 else []
            if len(parts) != 3 or not parts[1].startswith("Arg1:") or not parts[2].startswith("Arg2:"):
                raise fail("expected 'Rn<TAB>TYPE Arg1:Tn Arg2:Tm'")
            relations.append({"type": parts[0], "head": parts[1][5:], "tail": parts[2][5:]})
        else:
            raise FormatError(ann, lineno, doc_id, f"unknown brat line {line!r}")
    trigger_ids = {trigger for _, _, _, trigger, _ in events}
    record_events = []
    for lineno, event_id, ev_type, trigger, args in events:
        if trigger not in spans:
            raise FormatError(ann, lineno, doc_id, f"trigger {trigger} has no T line")
        trig = spans[trigger]
        record_events.append({"id": event_id, "type": ev_type,
                              "trigger": {"text": trig["text"], "start": trig["start"], "end": trig["end"]},
                              "arguments": [{"role": role, "entity": filler} for role, filler in args]})
    entities = [s for sid, s in spans.items() if sid not in trigger_ids]
    return canonical({"id": doc_id, "text": text, "entities": entities, "events": record_events,
                      "relations": relations})


# --- Label Studio ------------------------------------------------------------------------------------------------

def to_labelstudio(records: list[Record]) -> list[dict[str, Any]]:
    """Label Studio tasks with one annotation each."""
    tasks = []
    for n, rec in enumerate(records, start=1):
        result: list[dict[str, Any]] = []
        for ent in rec["entities"]:
            result.append(_ls_region(ent["id"], "label", ent["start"], ent["end"], ent["text"], ent["type"]))
        for event in rec["events"]:
            trig = event["trigger"]
            result.append(_ls_region(event["id"], "trigger", trig["start"], trig["end"], trig["text"], event["type"]))
        for event in rec["events"]:
            result.extend(_ls_relation(event["id"], a["entity"], a["role"]) for a in event["arguments"])
        result.extend(_ls_relation(r["head"], r["tail"], r["type"]) for r in rec["relations"])
        data = {"text": rec["text"], "doc_id": rec["id"]}
        if rec.get("date"):
            data["date"] = rec["date"]
        tasks.append({"id": n, "data": data, "annotations": [{"id": n, "result": result}]})
    return tasks


def _ls_region(region_id: str, from_name: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    return {"id": region_id, "from_name": from_name, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def _ls_relation(from_id: str, to_id: str, label: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": "right", "labels": [label]}


def from_labelstudio(tasks: Any, path: str = "<input>") -> list[Record]:
    """Records from a Label Studio JSON export (first annotation of each task)."""
    if not isinstance(tasks, list):
        raise FormatError(path, None, None, "a Label Studio export is a JSON list of tasks")
    records = []
    for task in tasks:
        data = task["data"]
        doc_id = str(data.get("doc_id", task.get("id")))
        text = data.get("text")
        if not isinstance(text, str):
            raise FormatError(path, None, doc_id, "task has no data.text")
        annotations = task.get("annotations") or [{"result": []}]
        regions: dict[str, Record] = {}
        links: list[tuple[str, str, str]] = []
        for item in annotations[0].get("result", []):
            labels = item.get("labels") if item.get("type") == "relation" else item.get("value", {}).get("labels")
            if not isinstance(labels, list) or len(labels) != 1:
                raise FormatError(path, None, doc_id, f"result {item.get('id')} needs exactly one label")
            if item.get("type") == "relation":
                links.append((item["from_id"], item["to_id"], labels[0]))
                continue
            value = item["value"]
            if text[value["start"]:value["end"]] != value.get("text", text[value["start"]:value["end"]]):
                raise FormatError(path, None, doc_id, f"region {item['id']} text does not match its offsets")
            regions[item["id"]] = {"id": item["id"], "type": labels[0], "text": text[value["start"]:value["end"]],
                                   "start": value["start"], "end": value["end"]}
        triggers = {rid: r for rid, r in regions.items() if r["type"] in EVENT_TYPES}
        events = {rid: {"id": rid, "type": r["type"],
                        "trigger": {"text": r["text"], "start": r["start"], "end": r["end"]}, "arguments": []}
                  for rid, r in triggers.items()}
        relations = []
        for head, tail, label in links:
            if head in events:
                events[head]["arguments"].append({"role": label, "entity": tail})
            else:
                relations.append({"type": label, "head": head, "tail": tail})
        record: Record = {"id": doc_id, "text": text, "date": data.get("date"),
                          "entities": [r for rid, r in regions.items() if rid not in triggers],
                          "events": list(events.values()), "relations": relations}
        records.append(canonical(record))
    return records


# --- doccano -----------------------------------------------------------------------------------------------------

def to_doccano(records: list[Record]) -> list[dict[str, Any]]:
    """Sequence-labelling lines: entities and triggers as [start, end, TYPE]."""
    out = []
    for rec in records:
        labels = [[e["start"], e["end"], e["type"]] for e in rec["entities"]]
        labels += [[ev["trigger"]["start"], ev["trigger"]["end"], ev["type"]] for ev in rec["events"]]
        out.append(_with_date({"id": rec["id"], "text": rec["text"], "label": sorted(labels)}, rec))
    return out


def from_doccano(lines: list[dict[str, Any]]) -> list[Record]:
    records = []
    for line in lines:
        spans = [{"type": t, "start": s, "end": e} for s, e, t in line.get("label", [])]
        records.append(_renumbered(line, spans, []))
    return records


def to_doccano_rel(records: list[Record]) -> list[dict[str, Any]]:
    """Relation-extraction lines with integer ids; arguments are trigger -> entity relations named by role."""
    out = []
    for rec in records:
        number: dict[str, int] = {}
        entities = []
        spans = [(e["id"], e["type"], e["start"], e["end"]) for e in rec["entities"]]
        spans += [(ev["id"], ev["type"], ev["trigger"]["start"], ev["trigger"]["end"]) for ev in rec["events"]]
        for ann_id, label, start, end in spans:
            number[ann_id] = len(number) + 1
            entities.append({"id": number[ann_id], "label": label, "start_offset": start, "end_offset": end})
        links = [(ev["id"], a["entity"], a["role"]) for ev in rec["events"] for a in ev["arguments"]]
        links += [(r["head"], r["tail"], r["type"]) for r in rec["relations"]]
        try:
            relations = [{"id": k, "from_id": number[h], "to_id": number[t], "type": label}
                         for k, (h, t, label) in enumerate(links, start=1)]
        except KeyError as exc:
            raise FormatError(None, None, rec["id"], f"link to unknown id {exc.args[0]}") from None
        out.append(_with_date({"id": rec["id"], "text": rec["text"], "entities": entities,
                               "relations": relations}, rec))
    return out


def from_doccano_rel(lines: list[dict[str, Any]]) -> list[Record]:
    records = []
    for line in lines:
        spans = [{"key": e["id"], "type": e["label"], "start": e["start_offset"], "end": e["end_offset"]}
                 for e in line.get("entities", [])]
        links = [(r["from_id"], r["to_id"], r["type"]) for r in line.get("relations", [])]
        records.append(_renumbered(line, spans, links))
    return records


def _with_date(obj: dict[str, Any], rec: Record) -> dict[str, Any]:
    if rec.get("date"):
        obj["date"] = rec["date"]
    return obj


def _renumbered(line: dict[str, Any], spans: list[dict[str, Any]], links: list[tuple[Any, Any, str]]) -> Record:
    """A record from id-less (or foreign-id) spans and links: T1.. and E1.. in text order, links re-pointed."""
    text = line["text"]
    doc_id = str(line.get("id"))
    ids: dict[Any, str] = {}
    entities, events = [], []
    for span in sorted(spans, key=lambda s: (s["start"], s["end"], s["type"])):
        if span["type"] in EVENT_TYPES:
            ann_id = f"E{len(events) + 1}"
            events.append({"id": ann_id, "type": span["type"], "arguments": [],
                           "trigger": {"text": text[span["start"]:span["end"]], "start": span["start"],
                                       "end": span["end"]}})
        else:
            ann_id = f"T{len(entities) + 1}"
            entities.append({"id": ann_id, "type": span["type"], "text": text[span["start"]:span["end"]],
                             "start": span["start"], "end": span["end"]})
        ids[span.get("key", ann_id)] = ann_id
    by_id = {e["id"]: e for e in events}
    relations = []
    for head, tail, label in links:
        if head not in ids or tail not in ids:
            raise FormatError(None, None, doc_id, f"relation {head} -> {tail} names an unknown entity id")
        if ids[head] in by_id:
            by_id[ids[head]]["arguments"].append({"role": label, "entity": ids[tail]})
        else:
            relations.append({"type": label, "head": ids[head], "tail": ids[tail]})
    return canonical({"id": doc_id, "text": text, "date": line.get("date"), "entities": entities, "events": events,
                      "relations": relations})


# --- dispatch ----------------------------------------------------------------------------------------------------

def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FormatError(path, exc.lineno, None, f"not JSON: {exc.msg}") from None


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _lines(path: Path) -> list[dict[str, Any]]:
    return [obj for _, obj in iter_jsonl(path)]


_READERS: dict[str, Callable[[Path], list[Record]]] = {
    "jsonl": lambda p: [canonical(r) for r in read_jsonl(p)],
    "conll": lambda p: from_conll(p.read_text(encoding="utf-8"), str(p)),
    "brat": from_brat,
    "labelstudio": lambda p: from_labelstudio(_read_json(p), str(p)),
    "doccano": lambda p: from_doccano(_lines(p)),
    "doccano-rel": lambda p: from_doccano_rel(_lines(p)),
}
_WRITERS: dict[str, Callable[[list[Record], Path], None]] = {
    "jsonl": lambda recs, p: write_jsonl(p, recs),
    "conll": lambda recs, p: _write_text(p, to_conll(recs)),
    "brat": to_brat,
    "labelstudio": lambda recs, p: _write_json(p, to_labelstudio(recs)),
    "doccano": lambda recs, p: write_jsonl(p, to_doccano(recs)),
    "doccano-rel": lambda recs, p: write_jsonl(p, to_doccano_rel(recs)),
}
