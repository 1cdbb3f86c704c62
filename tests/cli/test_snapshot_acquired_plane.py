"""``neuroview snapshot`` of a sagittal T2 spine (4 mm slices over 0.6 mm pixels) without
``--view`` draws its own plane, as it draws a scout's: the stack of vertebral bodies and their
discs. Until
session 51 it drew the axial reformat of the thick slices (session 51's walk)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from neuroview.render.png import read_png

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from spine_maker import write_spine  # noqa: E402

CLI_FORKED = "what `snapshot` draws, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_a_sagittal_spine_is_drawn_sagittally_by_default(cli, tmp_path):
    write_spine(tmp_path / "spine", n_slices=5)
    out = tmp_path / "spine.png"
    result = cli("snapshot", tmp_path / "spine", "--size", "160x160", "--out", out,
                 env={"DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out} (160x160, sagittal)"
    rgb = read_png(out).astype(int)
    disc = rgb.min(axis=2) > 0.5 * rgb.min(axis=2).max()   # light grey, not the yellow crosshair
    w = rgb.shape[1]
    bands = [np.count_nonzero(np.diff(disc[:, x].astype(int)) == 1) for x in range(w // 4, w // 2)]
    assert bands.count(5) >= 5, bands   # columns down through the vertebral bodies: their 5 discs
