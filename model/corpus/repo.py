"""Where the corpus lives in the repository, and loading documents from any mix of files and folders.

Commands default to paths under the repository root, found by walking up from the current directory to the
first folder that holds both `pyproject.toml` and `annotations/`, so they work from any subfolder.
"""
from __future__ import annotations

from pathlib import Path

from .authoring import AnnotationError, read_authoring
from .errors import CorpusError
from .jsonl import read_sources
from .record import SourceDoc

SPLITS = ("train", "dev", "test")


def find_root(start: str | Path | None = None) -> Path:
    """The repository root above `start` (default: the current directory)."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "annotations").is_dir():
            return folder
    raise CorpusError(None, None, None, f"no rasid repository (pyproject.toml + annotations/) above {here}")


def src_dir(root: Path) -> Path:
    return root / "annotations" / "src"


def corpus_dir(root: Path) -> Path:
    return root / "annotations" / "corpus"


def splits_path(root: Path) -> Path:
    return root / "annotations" / "splits.json"


def stats_path(root: Path) -> Path:
    return root / "annotations" / "STATS.md"


def agreement_path(root: Path) -> Path:
    return root / "annotations" / "agreement.json"


def source_files(root: Path) -> list[Path]:
    """The authoring files, in name order (the order compile reads them)."""
    return sorted(src_dir(root).glob("*.txt"))


def expand(paths: list[str | Path]) -> list[Path]:
    """Files named, plus the .txt and .jsonl files (sorted) of folders named."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".txt", ".jsonl") and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise CorpusError(path, None, None, "no such file or folder")
    return files


def load(path: Path, errors: list[CorpusError] | None = None) -> list[SourceDoc]:
    """Documents of one authoring (.txt) or JSONL (.jsonl) file.

    With `errors`, problems are collected there instead of raised; a malformed JSONL line or an unreadable
    file stops that file, a bad authoring document only itself.
    """
    try:
        if path.suffix == ".jsonl":
            return read_sources(path)
        if path.suffix == ".txt":
            found: list[AnnotationError] | None = [] if errors is not None else None
            docs = read_authoring(path, found)
            if errors is not None and found:
                errors.extend(found)
            return docs
        raise CorpusError(path, None, None, "expected an authoring .txt file or a .jsonl file")
    except CorpusError as exc:
        if errors is None:
            raise
        errors.append(exc)
        return []


def load_all(paths: list[str | Path], errors: list[CorpusError] | None = None) -> list[SourceDoc]:
    """Documents of every file under `paths` (see `expand` and `load`)."""
    return [doc for path in expand(paths) for doc in load(path, errors)]
