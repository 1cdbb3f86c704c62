"""``neuroview convert`` called from Python (a script, a notebook: ``main(["convert", ...])``)
leaves the process's cycle collector as it found it. The command's ``gc.freeze()`` (its scan's
objects kept out of the collector's sight, which saves 0.3-0.5 s of a large study's conversion)
froze every object alive in the calling process for good: 620,000 in a test worker, whose later
garbage in reference cycles was then never collected. Run as its own process it still freezes.
The test process has frozen what its collection made (``tests/conftest.py``), and a frozen object
freed meanwhile lowers the count: an object of the caller's, made before, is looked for instead."""

from __future__ import annotations

import gc

import nibabel as nib
import numpy as np

from neuroview.cli.main import main


def test_convert_from_python_freezes_nothing(tmp_path):
    path = tmp_path / "a.nii"
    nib.save(nib.Nifti1Image(np.arange(240, dtype=np.int16).reshape(6, 5, 8), np.eye(4)), path)
    before = gc.get_freeze_count()
    callers = ["made before the command"]   # a list: tracked by the collector (such a dict is not)
    try:
        assert main(["convert", str(path), str(tmp_path / "out.nii.gz")]) == 0
        assert gc.get_freeze_count() <= before
        assert any(obj is callers for obj in gc.get_objects()), "the caller's list was frozen"
    finally:
        if gc.get_freeze_count() > before:   # the old code's freeze: not left to later tests
            gc.unfreeze()
    assert np.array_equal(np.asanyarray(nib.load(tmp_path / "out.nii.gz").dataobj),
                          np.arange(240, dtype=np.int16).reshape(6, 5, 8))
