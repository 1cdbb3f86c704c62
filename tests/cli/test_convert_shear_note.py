"""convert --tilt resample of a grid sheared in a way no gantry tilt makes (no two of its axes
perpendicular): untilted() leaves it, and the file is written sheared with no qform; it was
written without the warning --tilt keep gives, so nothing said ITK tools refuse it."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.cli.convert import _write
from neuroview.core.volume import Volume


def test_a_shear_resample_cannot_undo_is_said(tmp_path):
    affine = np.eye(4)
    affine[:3, 1], affine[:3, 2] = [0.5, 1.0, 0.0], [0.3, 0.3, 1.0]   # no two axes perpendicular
    volume = Volume(np.zeros((6, 6, 4), np.int16), affine)
    notes, beside, gone = _write(volume, str(tmp_path / "sheared.nii.gz"), "resample")
    assert beside == [] and gone == []   # no .bval/.bvec for a 3D image; no tilt undone
    assert int(nib.load(tmp_path / "sheared.nii.gz").header["qform_code"]) == 0
    assert len(notes) == 1 and "refuse it; --tilt resample cannot undo this shear" in notes[0]


def test_a_grid_without_shear_has_no_note(tmp_path):
    volume = Volume(np.zeros((6, 6, 4), np.int16), np.diag([0.5, 0.5, 2.0, 1.0]))
    assert _write(volume, str(tmp_path / "plain.nii.gz"), "resample") == ([], [], [])
