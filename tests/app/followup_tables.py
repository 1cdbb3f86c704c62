"""Comparing follow-up lesion tables: helpers that test_followup_cli.py and the tests building on it
share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np

from neuroview.app.followup_lesions import RAS_COLUMNS, SIDE_COLUMNS


def shown_csv(view) -> str:
    """The follow-up window's table as the CSV it came from: its header, and each position read
    back from its side and distance (``L 21.1``: ``x_ras_mm`` -21.1)."""
    from neuroview.ui.followup_table import column_name, signed

    table = view.table
    header = [column_name(table, c) for c in range(table.columnCount())]
    sides = {i: RAS_COLUMNS[SIDE_COLUMNS.index(name)]
             for i, name in enumerate(header) if name in SIDE_COLUMNS}
    header = [sides.get(i, name) for i, name in enumerate(header)]
    rows = [[f"{signed(cell):.1f}" if i in sides else cell for i, cell in enumerate(cells)]
            for cells in view.table_text()]
    return "".join(",".join(row) + "\n" for row in [header, *rows])


def same_table(csv_a: str, csv_b: str) -> bool:
    """Same rows: words and part counts exactly, volumes within 2 %, positions within 0.3 mm.
    The ``location`` column the command and the window add is left out (``compare`` alone does
    not locate; tests/app/test_followup_locations.py and tests/ui/test_followup_options.py check
    it)."""
    rows_a, rows_b = _without_location(csv_a), _without_location(csv_b)
    if rows_a[0] != rows_b[0] or len(rows_a) != len(rows_b):
        return False
    for a, b in zip(rows_a[1:], rows_b[1:]):
        if a[:3] != b[:3] or a[10:] != b[10:]:
            return False
        volumes = np.array([a[3:5], b[3:5]], dtype=float)
        position = np.array([a[7:10], b[7:10]], dtype=float)
        if not (np.allclose(volumes[0], volumes[1], rtol=0.02, atol=1e-4)
                and np.abs(position[0] - position[1]).max() <= 0.3):
            return False
    return True


def _without_location(text: str) -> list[list[str]]:
    import csv

    rows = list(csv.reader(text.splitlines()))
    if rows and "location" in rows[0]:
        at = rows[0].index("location")
        rows = [row[:at] + row[at + 1:] for row in rows]
    return rows
