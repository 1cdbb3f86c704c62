"""A worklist's folder of cases for the worklist tests: ``tmp_path/cases`` with a small file per
case (the worklist lists cases by their names; no test here reads their voxels)."""

from __future__ import annotations


def case_folder(tmp_path, names=None, count: int = 2):
    """``tmp_path/cases`` holding ``names``, by default ``c01.nii.gz`` ... ``c0{count}.nii.gz``."""
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in names or [f"c0{number}.nii.gz" for number in range(1, count + 1)]:
        (cases / name).write_bytes(b"x")
    return cases
