"""`rasid annotations ...` commands: compile, validate, consistency, stats, convert, agree, select.

The main CLI registers them with `add_commands(subparsers)`; each command stores `func(args) -> int` (the exit
status) in the parsed arguments. `python -m rasid.corpus.cli annotations ...` runs them without the main CLI.
Default paths are under the repository root found from the current directory (or `--root`); paths given on the
command line are taken as written.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import agree, consistency, convert, stats
from .compiler import compile_corpus, write_compiled
from .errors import CorpusError
from .jsonl import dumps, write_jsonl
from .repo import SPLITS, agreement_path, corpus_dir, find_root, load_all, splits_path, src_dir
from .select import parse_spec, select
from .split import labels_of, read_splits
from .validate import validate_loaded


def add_commands(subparsers: Any) -> None:
    """Register `annotations` and its sub-commands on an argparse sub-parser collection."""
    parser = subparsers.add_parser("annotations", help="compile, check and convert the annotated corpus",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, help="repository root (default: found from the current directory)")
    sub = parser.add_subparsers(dest="annotations_command", required=True, metavar="COMMAND")

    cmd = sub.add_parser("compile", help="annotations/src/*.txt -> annotations/corpus/{train,dev,test}.jsonl")
    cmd.set_defaults(func=_guard(_compile))

    cmd = sub.add_parser("validate", help="check authoring files and JSONL; exit 1 on any problem")
    cmd.add_argument("paths", nargs="*", type=Path,
                     help="files or folders (default: annotations/src and annotations/corpus)")
    cmd.set_defaults(func=_guard(_validate))

    cmd = sub.add_parser("consistency", help="Markdown report of strings annotated inconsistently")
    cmd.add_argument("paths", nargs="*", type=Path, help="files or folders (default: annotations/src)")
    cmd.add_argument("--out", type=Path, help="write the report here instead of standard output")
    cmd.set_defaults(func=_guard(_consistency))

    cmd = sub.add_parser("stats", help="write annotations/STATS.md from the compiled corpus")
    cmd.add_argument("--out", type=Path, help="write here instead of annotations/STATS.md")
    cmd.set_defaults(func=_guard(_stats))

    cmd = sub.add_parser("convert", help="convert between JSONL and CoNLL, brat, Label Studio and doccano",
                         description=convert.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.add_argument("--from", dest="source_format", choices=convert.FORMATS, required=True)
    cmd.add_argument("--to", dest="target_format", choices=convert.FORMATS, required=True)
    cmd.add_argument("input", type=Path, help="input file (a folder for brat)")
    cmd.add_argument("output", type=Path, help="output file (a folder for brat)")
    cmd.set_defaults(func=_guard(_convert))

    cmd = sub.add_parser("agree", help="strict-match F1 between two versions; updates annotations/agreement.json")
    cmd.add_argument("a", type=Path, help="version A (reference): authoring or JSONL file or folder")
    cmd.add_argument("b", type=Path, help="version B: authoring or JSONL file or folder")
    cmd.add_argument("--out", type=Path, help="agreement file (default: annotations/agreement.json)")
    cmd.set_defaults(func=_guard(_agree))

    cmd = sub.add_parser("select", help="documents by id or id range (ng-1411..ng-1457) as JSONL, in id order")
    cmd.add_argument("ids", nargs="+", metavar="ID", help="an id (ng-1411) or an inclusive range (ng-1411..ng-1457)")
    cmd.add_argument("--except", dest="exclude", nargs="+", default=[], metavar="ID", help="ids or ranges to leave out")
    cmd.add_argument("--from", dest="paths", nargs="+", type=Path, metavar="PATH",
                     help="authoring or JSONL files or folders (default: annotations/corpus)")
    cmd.add_argument("--out", type=Path, help="write here instead of standard output")
    cmd.set_defaults(func=_guard(_select))


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: `python -m rasid.corpus.cli annotations COMMAND ...`."""
    parser = argparse.ArgumentParser(prog="python -m rasid.corpus.cli", description="rasid corpus tooling")
    add_commands(parser.add_subparsers(dest="command", required=True, metavar="annotations"))
    args = parser.parse_args(argv)
    return args.func(args)


def _guard(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Report bad input (or a missing file) as one `error: ...` line and exit 2, instead of a traceback."""
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (CorpusError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    return run


def _root(args: argparse.Namespace) -> Path:
    """The repository root, relative to the current directory when inside it (shorter messages)."""
    root = args.root.resolve() if args.root else find_root()
    here = Path.cwd()
    return Path(os.path.relpath(root, here)) if root.is_relative_to(here) else root


def _compile(args: argparse.Namespace) -> int:
    root = _root(args)
    known = read_splits(splits_path(root))
    compiled = compile_corpus(root)
    write_compiled(root, compiled)
    for problem in compiled.problems:
        print(problem, file=sys.stderr)
    sizes = ", ".join(f"{s} {len(compiled.corpus[s])}" for s in SPLITS)
    total = sum(len(v) for v in compiled.corpus.values())
    print(f"compiled {total} documents into {corpus_dir(root)}: {sizes}; "
          f"{len(set(compiled.splits) - set(known))} new split assignments")
    everything = {label for s in SPLITS for r in compiled.corpus[s] for label in labels_of(r)}
    for split in SPLITS:
        missing = everything - {label for r in compiled.corpus[split] for label in labels_of(r)}
        if missing:
            print(f"note: {split} has no {', '.join(sorted(missing))}")
    if compiled.problems:
        left_out = {(p.path, p.doc_id) for p in compiled.problems}
        print(f"{len(compiled.problems)} problems; documents left out of the corpus: "
              f"{', '.join(sorted(d or '?' for _, d in left_out))}", file=sys.stderr)
        return 1
    return 0


def _validate(args: argparse.Namespace) -> int:
    paths = args.paths
    if not paths:
        root = _root(args)
        paths = [p for p in (src_dir(root), corpus_dir(root)) if p.is_dir()]
    errors: list[CorpusError] = []
    docs = load_all(paths, errors)
    problems = validate_loaded(docs, errors)
    for problem in problems:
        print(problem)
    per_file = Counter(p.path for p in problems)
    files = sorted({d.path for d in docs} | set(per_file))
    if problems:
        print(f"\n{len(problems)} problems in {len(per_file)} of {len(files)} files "
              f"({len(docs)} documents read):")
        for path, count in sorted(per_file.items()):
            print(f"  {path}: {count}")
        return 1
    print(f"ok: {len(docs)} documents in {len(files)} files")
    return 0


def _consistency(args: argparse.Namespace) -> int:
    errors: list[CorpusError] = []
    docs = load_all(args.paths or [src_dir(_root(args))], errors)
    for error in errors:
        print(f"skipped: {error}", file=sys.stderr)
    text = consistency.report([d.record for d in docs])
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(text)
    return 0


def _stats(args: argparse.Namespace) -> int:
    print(f"wrote {stats.write_stats(_root(args), args.out)}")
    return 0


def _convert(args: argparse.Namespace) -> int:
    records = convert.read(args.source_format, args.input)
    convert.write(args.target_format, records, args.output)
    print(f"converted {len(records)} documents: {args.input} ({args.source_format}) -> "
          f"{args.output} ({args.target_format})")
    return 0


def _agree(args: argparse.Namespace) -> int:
    version_a = [d.record for d in load_all([args.a])]
    version_b = [d.record for d in load_all([args.b])]
    result = agree.compare(version_a, version_b)
    out = args.out or agreement_path(_root(args))
    agree.update_agreement(out, str(args.a), str(args.b), result)
    print(f"{result['documents']} documents compared; A = {args.a}, B = {args.b}")
    for layer in agree.LAYERS:
        s = result[layer]
        f1 = "n/a" if s["f1"] is None else f"{s['f1']:.3f}"
        print(f"  {layer:10} A {s['a']:5}  B {s['b']:5}  matched {s['matched']:5}  F1 {f1}")
    for key in ("only_in_a", "only_in_b", "text_differs"):
        if result[key]:
            print(f"  {key.replace('_', ' ')}: {', '.join(result[key])}")
    print(f"updated {out}")
    return 0


def _select(args: argparse.Namespace) -> int:
    docs = load_all(args.paths or [corpus_dir(_root(args))])
    chosen = select((d.record for d in docs), [parse_spec(t) for t in args.ids], [parse_spec(t) for t in args.exclude])
    if args.out:
        write_jsonl(args.out, chosen)
    else:
        sys.stdout.writelines(dumps(record) + "\n" for record in chosen)
    print(f"selected {len(chosen)} of {len(docs)} documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
