"""Batch input: every record comes out, malformed lines are reported with their file and line."""
import io
import json

import pytest

from rasid.io import iter_inputs, read_conll


def test_jsonl_input_keeps_every_line_and_names_bad_ones(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "نص", "source": "x"}\n{broken\n\n{"id": "c"}\n[1, 2]\n', encoding="utf-8")
    recs = list(iter_inputs([str(path)]))
    assert [r["id"] for r in recs] == ["a", f"{path}:2", "c", f"{path}:5"]
    assert recs[0] == {"id": "a", "text": "نص", "source": "x"}
    assert "error" not in recs[0]
    assert recs[1]["error"].startswith(f"{path}:2: not JSON")
    assert "string 'text'" in recs[2]["error"] and recs[2]["error"].startswith(f"{path}:4")


def test_text_files_and_stdin(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("سطر أول\n\nسطر ثان\n", encoding="utf-8")
    assert [r["id"] for r in iter_inputs([str(path)])] == ["doc"]
    assert [r["text"] for r in iter_inputs([str(path)], lines=True)] == ["سطر أول", "سطر ثان"]
    stdin = io.StringIO(json.dumps({"id": "s", "text": "نص"}) + "\n")
    assert [r["id"] for r in iter_inputs(["-"], stdin=stdin)] == ["s"]
    assert [r["text"] for r in iter_inputs(["-"], stdin=io.StringIO("نص كامل\nسطر"))] == ["نص كامل\nسطر"]


def test_conll_reader_reports_bad_lines(tmp_path):
    good = tmp_path / "ok.txt"
    good.write_text("فرانكفورت B-LOC\n(د O\n\nأعلن O\nاتحاد B-ORG", encoding="utf-8")
    tokens, tags = read_conll(good)
    assert tokens == [["فرانكفورت", "(د"], ["أعلن", "اتحاد"]] and tags[1] == ["O", "B-ORG"]
    bad = tmp_path / "bad.txt"
    bad.write_text("كلمة O\nكلمة X-LOC\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.txt:2"):
        read_conll(bad)
