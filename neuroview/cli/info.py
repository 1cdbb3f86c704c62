"""``neuroview info PATH``: every series or volume found, with its warnings."""

from __future__ import annotations

from ..io import scan
from .progress import TextProgress


def register(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or DICOMDIR")


def run(args) -> int:
    result = scan(args.paths, progress=TextProgress())
    for number, candidate in enumerate(result.candidates, start=1):
        print(f"[{number}] {candidate.describe()}")
        extra = f"    format {candidate.source_format or '-'}, {candidate.n_files} file(s)"
        print(f"{extra}, confidence {candidate.confidence:.2f}")
        for warning in candidate.warnings:
            print(f"    warning: {warning}")
    for note in result.notes:
        print(f"note: {note}")
    return 0
