"""``neuroview info`` on a NIfTI says what the window says once it has read the voxels: the
unit its values are shown in (a CT perfusion run's HU, as the pointer's readout names them) and
the loader's warnings (a time series of vectors opened as component 1 of each). It printed
neither: the listing of a CT run had no unit, and a warning the window showed was missing."""

from __future__ import annotations

import sys
from pathlib import Path

import nibabel as nib
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import head_hu  # noqa: E402

from neuroview.app.view_presets import shown_unit  # noqa: E402
from neuroview.cli.main import main  # noqa: E402
from neuroview.io import load  # noqa: E402


def _listing(capsys, path) -> list[str]:
    assert main(["info", str(path)]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_ct_perfusion_nifti_names_its_unit_as_the_window_does(tmp_path, capsys):
    path = tmp_path / "perfusion.nii.gz"
    run = np.repeat(head_hu(32, 4, 6.0).astype(np.int16)[..., None], 3, axis=3)
    run[10:14, 10:14, :, 1:] += 300   # the contrast coming in
    nib.save(nib.Nifti1Image(run, np.diag([6, 6, 5, 1.0])), path)
    assert shown_unit(load(path)) == "HU"            # the window's readout: "value 40 HU"
    assert "    values in HU" in _listing(capsys, path)


def test_an_mr_nifti_names_no_unit(mni_path, capsys):
    assert not any(line.strip().startswith("values in") for line in _listing(capsys, mni_path))


def test_a_load_warning_is_listed(tmp_path, capsys):
    path = tmp_path / "vectors.nii.gz"
    nib.save(nib.Nifti1Image(np.ones((6, 6, 4, 2, 3), np.float32), np.eye(4)), path)
    warnings = load(path).warnings
    assert warnings                                 # the window says them
    lines = _listing(capsys, path)
    for warning in warnings:
        assert f"    warning: {warning}" in lines
