"""Classic 4D runs for the gap tests (test_dicom_4d_gap, test_dicom_4d_running): the files of a
written volume indexed by slice, each stamped with its per-slice times, and a copy of the run
with one slice missing or left out (a NaN ImagePositionPatient)."""

from __future__ import annotations

import shutil

import numpy as np
import pydicom

from neuroview.io import scan


def by_slice(written, stamp) -> list:
    """The files of one written volume in slice order (k: the nearest of its positions), each
    read, passed to ``stamp(ds, k)`` and saved again."""
    files = [None] * len(written.files)
    for path in written.files:
        ds = pydicom.dcmread(path)
        k = int(np.argmin(np.linalg.norm(written.positions_lps
                                         - np.array(ds.ImagePositionPatient, float), axis=1)))
        stamp(ds, k)
        ds.save_as(path)
        files[k] = path
    return files


def damaged(tmp_path, files, t: int, k: int, damage: str):
    """``tmp_path/whole`` copied to ``tmp_path/damaged`` with slice ``k`` of time point ``t``
    "missing file" or given a NaN position: (the damaged copy's candidate, the whole run loaded)."""
    shutil.copytree(tmp_path / "whole", tmp_path / "damaged")
    bad = tmp_path / "damaged" / files[t][k].name
    if damage == "missing file":
        bad.unlink()
    else:
        ds = pydicom.dcmread(bad)
        ds.ImagePositionPatient = [0, "NaN", 0]
        ds.save_as(bad)
    (whole,) = scan(tmp_path / "whole").candidates
    (candidate,) = scan(tmp_path / "damaged").candidates
    return candidate, whole.load()
