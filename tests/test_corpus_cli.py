"""The `annotations` commands end to end on a throw-away repository."""
from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from rasid.corpus.cli import main

DOCS = """\
@doc a-1
@date 2025-01-05
أعلنت [T1:ORG سنتكوم] [E1:KILL مقتل] [T2:QUANTITY 14 عنصرًا] من [T3:ORG داعش] في [T4:LOC درعا].
@E1 AGENT=T1 TARGET=T3 QUANTITY=T2 LOCATION=T4
@R PARTNER_OF T1 T3
@end

@doc a-2
ضبطت [T1:ORG الشرطة] [T2:QUANTITY 3 أطنان] في [T3:LOC حمص] بعد [E1:OPERATION مداهمة] جرت [T4:DATE أمس].
@E1 AGENT=T1 LOCATION=T3 TIME=T4
@end
"""


@pytest.fixture(autouse=True)
def fake_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("rasid.numbers")
    module.normalize = lambda text, type, reference_date=None, preceding="", following="": {"value": None}
    monkeypatch.setitem(sys.modules, "rasid.numbers", module)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    src = tmp_path / "annotations" / "src"
    src.mkdir(parents=True)
    (src / "a.txt").write_text(DOCS, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "annotations")  # the root is found from a subfolder
    return tmp_path


def test_compile_writes_splits_and_is_repeatable(repo: Path, capsys) -> None:
    assert main(["annotations", "compile"]) == 0
    corpus = repo / "annotations" / "corpus"
    lines = [line for s in ("train", "dev", "test") for line in (corpus / f"{s}.jsonl").read_text().splitlines()]
    assert sorted(json.loads(line)["id"] for line in lines) == ["a-1", "a-2"]
    splits = json.loads((repo / "annotations" / "splits.json").read_text())
    assert set(splits) == {"a-1", "a-2"}
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    assert main(["annotations", "compile"]) == 0
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before
    assert "compiled 2 documents" in capsys.readouterr().out


def test_compile_leaves_out_bad_documents_and_fails(repo: Path, capsys) -> None:
    (repo / "annotations" / "src" / "b.txt").write_text("@doc b-1\nنص [T1:ORG ناقص\n@end\n", encoding="utf-8")
    assert main(["annotations", "compile"]) == 1
    err = capsys.readouterr().err
    assert "b.txt:2: [b-1]" in err and "left out of the corpus: b-1" in err
    assert "b-1" not in json.loads((repo / "annotations" / "splits.json").read_text())


def test_validate_exit_status_and_per_file_counts(repo: Path, capsys) -> None:
    assert main(["annotations", "validate"]) == 0
    assert "ok: 2 documents in 1 files" in capsys.readouterr().out
    bad = repo / "bad.txt"
    bad.write_text("@doc z\n[T1:ORG سنتكو]م و[E1:KILL قتل]\n@E1 TIME=T1\n@end\n", encoding="utf-8")
    assert main(["annotations", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "bad.txt:2: [z] T1" in out and f"{bad}: 3" in out


def test_convert_stats_consistency_and_agree(repo: Path, capsys) -> None:
    root = repo / "annotations"
    assert main(["annotations", "compile"]) == 0
    assert main(["annotations", "convert", "--from", "jsonl", "--to", "brat", "corpus/train.jsonl",
                 str(repo / "brat")]) == 0
    assert main(["annotations", "convert", "--from", "brat", "--to", "labelstudio", str(repo / "brat"),
                 str(repo / "ls.json")]) == 0
    assert json.loads((repo / "ls.json").read_text())
    assert main(["annotations", "stats"]) == 0
    assert "| documents |" in (root / "STATS.md").read_text()
    assert main(["annotations", "consistency", "--out", str(repo / "c.md")]) == 0
    assert (repo / "c.md").read_text().startswith("# Annotation consistency report")
    assert main(["annotations", "agree", "src/a.txt", "src"]) == 0
    stored = json.loads((root / "agreement.json").read_text())["comparisons"]
    assert [(c["a"], c["b"], c["entities"]["f1"]) for c in stored] == [("src/a.txt", "src", 1.0)]
    assert main(["annotations", "stats"]) == 0
    assert "### src/a.txt vs src" in (root / "STATS.md").read_text()


def test_bad_input_is_one_error_line(repo: Path, capsys) -> None:
    assert main(["annotations", "convert", "--from", "jsonl", "--to", "conll", "missing.jsonl", "out.conll"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_select_by_range_in_numeric_order(repo: Path, capsys) -> None:
    records = "".join(json.dumps({"id": f"ng-{n}", "text": "نص"}) + "\n" for n in (10, 9, 12, 11, 3))
    (repo / "mixed.jsonl").write_text(records + json.dumps({"id": "x-10", "text": "نص"}) + "\n", encoding="utf-8")
    out = repo / "picked" / "fresh.jsonl"
    assert main(["annotations", "select", "ng-9..ng-11", "ng-3", "--except", "ng-10",
                 "--from", str(repo / "mixed.jsonl"), "--out", str(out)]) == 0
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["ng-3", "ng-9", "ng-11"]
    assert "selected 3 of 6 documents" in capsys.readouterr().err


def test_select_reads_the_compiled_corpus_and_refuses_missing_or_bad_ids(repo: Path, capsys) -> None:
    assert main(["annotations", "compile"]) == 0
    capsys.readouterr()
    assert main(["annotations", "select", "a-1..a-2"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == ["a-1", "a-2"]
    assert main(["annotations", "select", "a-1", "a-7"]) == 2
    assert "no document with id a-7" in capsys.readouterr().err
    for bad in ("a-2..a-1", "a-1..b-3", "a1"):
        assert main(["annotations", "select", bad]) == 2
        assert capsys.readouterr().err.startswith("error: bad ")


def test_runs_as_a_module() -> None:
    done = subprocess.run([sys.executable, "-m", "rasid.corpus.cli", "annotations", "--help"],
                          capture_output=True, text=True, check=True)
    assert "compile" in done.stdout and "agree" in done.stdout
