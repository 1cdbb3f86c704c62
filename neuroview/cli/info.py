"""``neuroview info PATH``: every series or volume found, with its warnings."""

from __future__ import annotations

from ..io import scan
from ..io.dicom.codecs import prepare_pydicom_with
from .dicom_flags import add_dicom_flags, dicom_options
from .lazy_imports import import_pydicom
from .progress import TextProgress


def register(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or DICOMDIR")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help=f"list every note (by default the first {NOTES_SHOWN})")
    add_dicom_flags(parser)


NOTES_SHOWN = 10


def run(args) -> int:
    # pydicom only if a file needs it (as for convert), then without the network libraries and
    # codecs it imports at once: a little-endian series read by neuroview's reader never does
    prepare_pydicom_with(import_pydicom)
    result = scan(args.paths, progress=TextProgress(), dicom_options=dicom_options(args))
    for number, candidate in enumerate(result.candidates, start=1):
        print(f"[{number}] {candidate.describe()}")
        extra = f"    format {candidate.source_format or '-'}, {candidate.n_files} file(s)"
        print(f"{extra}, confidence {candidate.confidence:.2f}")
        for warning in candidate.warnings:
            print(f"    warning: {warning}")
    notes = result.notes if args.verbose else result.notes[:NOTES_SHOWN]
    for note in notes:
        print(f"note: {note}")
    if len(notes) < len(result.notes):
        print(f"note: ... and {len(result.notes) - len(notes)} more (--verbose lists them all)")
    return 0
