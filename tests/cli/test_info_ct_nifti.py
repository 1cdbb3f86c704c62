"""``neuroview info`` on a NIfTI CT says ``CT (from its values)`` where it said ``-``: the file
names no modality, but the window already takes its voxels for Hounsfield units (CT presets, HU
in the readout), so the listing says the same. An MR NIfTI still says ``-``."""

from __future__ import annotations

import sys
from pathlib import Path

import nibabel as nib
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import head_hu  # noqa: E402

from neuroview.cli.main import main  # noqa: E402
from neuroview.io import load  # noqa: E402


def _listing(capsys, path) -> str:
    assert main(["info", str(path)]) == 0
    return capsys.readouterr().out.splitlines()[0]


def test_a_ct_nifti_is_listed_as_ct_from_its_values(tmp_path, capsys):
    path = tmp_path / "head-ct.nii.gz"
    nib.save(nib.Nifti1Image(head_hu(64, 8, 3.0).astype(np.int16), np.diag([3, 3, 5, 1.0])), path)
    assert load(path).voxels_look_like_ct()          # as the window takes it
    assert _listing(capsys, path) == ("[1] head-ct.nii.gz | CT (from its values) | 64x64x8 | "
                                      "3x3x5 mm | RAS")


def test_an_mr_nifti_still_has_no_modality(mni_path, capsys):
    assert " | - | " in _listing(capsys, mni_path)


def test_a_4d_nifti_is_not_read_for_it(tmp_path, capsys):
    path = tmp_path / "run.nii"
    frames = np.repeat(head_hu(32, 4, 6.0).astype(np.int16)[..., None], 3, axis=3)
    nib.save(nib.Nifti1Image(frames, np.diag([6, 6, 5, 1.0])), path)
    assert " | - | " in _listing(capsys, path)
