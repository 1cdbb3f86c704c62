"""The series chooser names a CT NIfTI's modality as ``neuroview info`` does: ``CT (from its
values)`` where it showed ``-`` (one rule, ``io.modality_guess``, read in the scan's worker); an
MR-like NIfTI beside it still shows ``-``."""

from __future__ import annotations

import sys
from pathlib import Path

import nibabel as nib
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import head_hu  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_chooser_lists_a_ct_nifti_as_ct_from_its_values(qtbot, window, tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    affine = np.diag([3, 3, 5, 1.0])
    nib.save(nib.Nifti1Image(head_hu(64, 8, 3.0).astype(np.int16), affine), folder / "ct.nii.gz")
    mr = np.random.default_rng(0).uniform(0, 900, (32, 32, 8)).astype(np.float32)
    nib.save(nib.Nifti1Image(mr, affine), folder / "t1.nii.gz")
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    dialog = window.series_dialog
    texts = sorted(dialog.list.item(row).text() for row in range(dialog.list.count()))
    assert texts[0].startswith("ct.nii.gz | CT (from its values) | 64x64x8 |"), texts
    assert texts[1].startswith("t1.nii.gz | - | 32x32x8 |"), texts
    dialog.reject()
