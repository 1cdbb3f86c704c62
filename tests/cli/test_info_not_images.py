"""``neuroview info`` on a study folder with a report and a note beside its series: the files that
are not images said in one line naming a few (``2 files skipped: not images (notes.txt,
report.pdf)``), each on its own line with ``--verbose``; it said them one line each, a folder of
reports filling the listing."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from window_files import classic_series  # noqa: E402

CLI_FORKED = "what `info` prints, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _study(tmp_path, notes: int = 1) -> Path:
    study = tmp_path / "study"
    classic_series(study / "t1", 300, 1000, n_slices=3)
    (study / "report.pdf").write_bytes(b"%PDF-1.4\n% a report, not an image\n")
    for k in range(notes):
        (study / f"notes{k}.txt").write_text("seen at the tumour board\n")
    return study


def test_files_that_are_not_images_are_said_in_one_line(cli, tmp_path):
    result = cli("info", _study(tmp_path))
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("note:")]
    assert notes == ["note: 2 files skipped: not images (notes0.txt, report.pdf)"]
    assert result.stdout.startswith("[1] #3 T1 window | MR | 12x16x3")


def test_many_are_counted_and_verbose_names_each(cli, tmp_path):
    study = _study(tmp_path, notes=4)
    notes = [line for line in cli("info", study).stdout.splitlines() if line.startswith("note:")]
    assert notes == ["note: 5 files skipped: not images (notes0.txt, notes1.txt, notes2.txt "
                     "and 2 more)"]
    verbose = [line for line in cli("info", "-v", study).stdout.splitlines()
               if line.startswith("note:")]
    assert verbose == [f"note: {study / name}: not a DICOM file"
                       for name in ("notes0.txt", "notes1.txt", "notes2.txt", "notes3.txt",
                                    "report.pdf")]
