"""``neuroview info`` on a 4D NIfTI says how many time points (or a DWI's volumes) it holds, the
TR (``pixdim[4]`` in the header's time unit) and the b-values of the ``.bval`` beside it: it
showed ``64x64x30x20`` alone (session 34's 4D walk)."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.cli.main import main


def _save(path, n, unit="unknown", step=1.0):
    img = nib.Nifti1Image(np.zeros((8, 6, 4, n), np.int16), np.diag([3.0, 3.0, 4.0, 1.0]))
    img.header.set_xyzt_units("mm", unit)
    img.header["pixdim"][4] = step
    nib.save(img, path)
    return path


def _lines(capsys, path) -> list[str]:
    assert main(["info", str(path)]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_run_says_its_time_points_and_tr(tmp_path, capsys):
    lines = _lines(capsys, _save(tmp_path / "bold.nii.gz", 20, "msec", 2000.0))
    assert lines[0].startswith("[1] bold.nii.gz | - | 8x6x4x20 | ")
    assert lines[2] == "    20 time points, TR 2 s (pixdim[4] = 2000 msec)"


def test_a_dwi_says_its_volumes_and_b_values(tmp_path, capsys):
    path = _save(tmp_path / "dwi.nii.gz", 4)
    (tmp_path / "dwi.bval").write_text("0 1000 1000 2000\n")
    lines = _lines(capsys, path)
    assert lines[2] == ("    4 volumes, b-values 0 1000 1000 2000 (dwi.bval); pixdim[4] = 1 with "
                        "no time unit (no TR)")


def test_a_bval_of_another_count_is_a_warning(tmp_path, capsys):
    path = _save(tmp_path / "dwi.nii", 4, "sec", 3.0)
    (tmp_path / "dwi.bval").write_text("0 1000 1000\n")
    lines = _lines(capsys, path)
    assert lines[2:] == ["    4 time points, TR 3 s (pixdim[4] = 3 sec)",
                         "    warning: dwi.bval: 3 b-values for 4 volumes; the b-values are not shown"]


def test_a_3d_image_and_a_single_volume_say_nothing_more(tmp_path, capsys):
    nib.save(nib.Nifti1Image(np.zeros((8, 6, 4), np.int16), np.eye(4)), tmp_path / "t1.nii.gz")
    assert len(_lines(capsys, tmp_path / "t1.nii.gz")) == 2
    assert len(_lines(capsys, _save(tmp_path / "one.nii.gz", 1, "sec", 2.0))) == 2


def _save_mgh(path, n, tr):
    shape = (8, 6, 4, n) if n > 1 else (8, 6, 4)   # nibabel writes no 4th axis of 1
    img = nib.MGHImage(np.zeros(shape, np.float32), np.diag([3.0, 3.0, 4.0, 1.0]))
    img.header["tr"] = tr   # FreeSurfer's TR, in ms
    nib.save(img, path)
    return path


def test_a_4d_mgh_says_its_time_points_and_tr(tmp_path, capsys):
    lines = _lines(capsys, _save_mgh(tmp_path / "bold.mgz", 20, 2000.0))
    assert lines[0].startswith("[1] bold.mgz | - | 8x6x4x20 | ")
    assert lines[2] == "    20 time points, TR 2 s (tr = 2000 ms)"
    lines = _lines(capsys, _save_mgh(tmp_path / "run.mgh", 5, 0.0))
    assert lines[2] == "    5 time points, tr = 0 ms (no TR)"
    assert len(_lines(capsys, _save_mgh(tmp_path / "one.mgz", 1, 2000.0))) == 2
