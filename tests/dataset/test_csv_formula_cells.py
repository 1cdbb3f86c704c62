"""Case paths that start like a spreadsheet formula (``=``, ``+``, ``-``, ``@``) in the CSVs
neuroview writes and reads back (``rank.csv``, a PACS worklist's CSV): written with a leading
apostrophe, so a lead opening the CSV in a spreadsheet sees text, and read back as the path they
were (they were written bare: ``=2+3.nii.gz`` a formula, session 41)."""

from __future__ import annotations

import csv
import os

import pytest

from neuroview.core.csv_text import FORMULA_STARTS, cell_value, spreadsheet_text

NAMES = ["=2+3.nii.gz", "+1.nii.gz", "-a.nii.gz", "@b.nii.gz", "'=c.nii.gz", "''-d.nii.gz",
         "'e.nii.gz", "plain.nii.gz"]


@pytest.mark.parametrize("value", [*NAMES, "", "'", "=", "\tx", "a=b"])
def test_a_cell_comes_back_as_it_was_written_and_never_starts_a_formula(value):
    cell = spreadsheet_text(value)
    assert cell_value(cell) == value
    assert not cell.startswith(FORMULA_STARTS)


def test_a_ranking_of_such_cases_is_text_in_a_spreadsheet_and_opens_as_the_worklist(tmp_path):
    from neuroview.cli.batch_cases import plan_cases
    from neuroview.dataset.rank import CaseUncertainty, write_ranking_csv
    from neuroview.dataset.worklist import Worklist
    from neuroview.ui.rank_dialog import read_ranking

    pool = tmp_path / "pool"
    pool.mkdir()
    for name in NAMES:
        (pool / name).write_bytes(b"")
    output = pool / "rank.csv"
    write_ranking_csv(output, [CaseUncertainty(name, str(pool / name), 0.5, 0.1, 3, 4)
                               for name in NAMES], worklist=pool)
    with open(output, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert [row[1] for row in rows][:2] == ["'=2+3.nii.gz", "'+1.nii.gz"]

    worklist = Worklist.open(output)
    assert [c.case_id for c in worklist.cases] == NAMES
    assert [str(c.path) for c in worklist.cases] == [str(pool / name) for name in NAMES]
    assert all(c.path.is_file() for c in worklist.cases)
    assert worklist.shares == pool   # its worklist column read back too
    assert [r["path"] for r in read_ranking(output)] == [str(pool / name) for name in NAMES]
    assert [r["id"] for r in read_ranking(output)] == NAMES
    cases, _ = plan_cases(str(output), str(tmp_path / "out"))   # segment rank.csv
    assert cases == [os.path.join(str(pool), name) for name in NAMES]
