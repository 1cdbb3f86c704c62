"""``neuroview convert`` of a NIfTI DWI writes the FSL ``.bval`` and ``.bvec`` beside it, as it
does for a DICOM one: the ``.bvec`` was left behind (session 34). FSL's ``.bvec`` is in the
file's voxel axes (x negated where the affine's determinant is positive), so it is checked in
world space, before and after, with nibabel's affines."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main

BVALS = "0 1000 1000 2000\n"
BVEC_ROWS = ["0 0.70710678 -0.6 0.123456789", "0 0.70710678 0.8 -0.5", "0 0 0 0.857122"]


def _world(bvec, affine) -> np.ndarray:
    """FSL ``.bvec`` rows back to world (RAS) directions, one row a volume."""
    axes = affine[:3, :3] / np.linalg.norm(affine[:3, :3], axis=0)
    voxel = np.array(bvec, dtype=float)
    if np.linalg.det(axes) > 0:
        voxel[0] = -voxel[0]
    return (axes @ voxel).T


def _dwi(tmp_path, affine):
    path = tmp_path / "in" / "dwi.nii.gz"
    path.parent.mkdir()
    data = np.arange(10 * 8 * 5 * 4, dtype=np.int16).reshape(10, 8, 5, 4)
    nib.save(nib.Nifti1Image(data, affine), path)
    (tmp_path / "in" / "dwi.bval").write_text(BVALS)
    (tmp_path / "in" / "dwi.bvec").write_text("\n".join(BVEC_ROWS) + "\n")
    return path


def _oblique() -> np.ndarray:
    turn = nib.eulerangles.euler2mat(0.3, -0.2, 0.1)
    affine = np.eye(4)
    affine[:3, :3] = turn @ np.diag([2.0, 2.0, 3.0])
    affine[:3, 3] = [-10.0, 20.0, 5.0]
    return affine


def test_a_nifti_dwi_gets_its_bvec_copied(tmp_path, capsys):
    """Without ``--tilt resample`` convert keeps the voxel axes (same affine, same voxels): the
    ``.bvec`` is copied as it is, number for number (the world directions are then the same)."""
    source = _dwi(tmp_path, _oblique())
    output = tmp_path / "out" / "dwi2.nii.gz"
    output.parent.mkdir()
    assert main(["convert", str(source), str(output)]) == 0
    assert capsys.readouterr().out.splitlines() == [   # one line per file written
        str(output), str(tmp_path / "out" / "dwi2.bval"), str(tmp_path / "out" / "dwi2.bvec")]
    written = nib.load(output)
    np.testing.assert_allclose(written.affine, nib.load(source).affine, atol=1e-5)
    assert (tmp_path / "out" / "dwi2.bval").read_text().split() == BVALS.split()
    rows = (tmp_path / "out" / "dwi2.bvec").read_text().splitlines()
    assert [row.split() for row in rows] == [row.split() for row in BVEC_ROWS]
    np.testing.assert_allclose(_world(np.loadtxt(tmp_path / "out" / "dwi2.bvec"), written.affine),
                               _world(np.loadtxt(tmp_path / "in" / "dwi.bvec"),
                                      nib.load(source).affine), atol=1e-6)


def test_a_resampled_tilt_reexpresses_the_bvec(tmp_path, capsys):
    """``--tilt resample`` turns the slice axis of a tilted grid onto the slices' normal: the
    numbers change so that each volume's direction in world space stays the same."""
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    affine[1, 2] = 0.6   # a gantry tilt: each slice 0.6 mm further along y
    source = _dwi(tmp_path, affine)
    output = tmp_path / "out" / "dwi2.nii.gz"
    output.parent.mkdir()
    assert main(["convert", str(source), str(output), "--tilt", "resample"]) == 0
    written = nib.load(output)
    assert not np.allclose(written.affine[:3, 2], affine[:3, 2])   # the axes did change
    ours = np.loadtxt(tmp_path / "out" / "dwi2.bvec")
    assert ours.shape == (3, 4)
    assert not np.allclose(ours, np.loadtxt(tmp_path / "in" / "dwi.bvec"), atol=1e-3)
    np.testing.assert_allclose(_world(ours, written.affine),
                               _world(np.loadtxt(tmp_path / "in" / "dwi.bvec"), affine), atol=1e-5)


def test_a_bvec_of_another_count_is_said_and_not_written(tmp_path, capsys):
    source = _dwi(tmp_path, np.diag([2.0, 2.0, 3.0, 1.0]))
    (tmp_path / "in" / "dwi.bvec").write_text("0 1 0\n0 0 1\n1 0 0\n")
    assert main(["info", str(source)]) == 0
    assert ("    warning: dwi.bvec: 9 numbers for 3 x 4 volumes; the gradient directions are not "
            "read") in capsys.readouterr().out.splitlines()
    output = tmp_path / "out" / "dwi2.nii.gz"
    output.parent.mkdir()
    assert main(["convert", str(source), str(output)]) == 0
    assert sorted(p.name for p in output.parent.iterdir()) == ["dwi2.bval", "dwi2.nii.gz"]


def test_a_bvec_beside_a_bval_of_another_count_is_named_in_its_warning(tmp_path, capsys):
    """The ``.bvec`` of a ``.bval`` that does not fit the volumes is not read either: the one
    warning line says so (it was left out in silence), and ``convert`` writes neither."""
    source = _dwi(tmp_path, np.diag([2.0, 2.0, 3.0, 1.0]))
    (tmp_path / "in" / "dwi.bval").write_text("0 1000 1000\n")
    assert main(["info", str(source)]) == 0
    assert ("    warning: dwi.bval: 3 b-values for 4 volumes; the b-values are not shown, and "
            "dwi.bvec beside it is not read either") in capsys.readouterr().out.splitlines()
    output = tmp_path / "out" / "dwi2.nii.gz"
    output.parent.mkdir()
    assert main(["convert", str(source), str(output)]) == 0
    assert sorted(p.name for p in output.parent.iterdir()) == ["dwi2.nii.gz"]


@pytest.mark.parametrize("tilt", ["keep", "resample"])
def test_convert_frame_of_a_dwi_writes_its_one_b_value_and_direction(tmp_path, capsys, tilt):
    """The 3D file of ``--frame N`` gets a one-value ``.bval`` and a one-direction ``.bvec``
    (column N of the whole run's, in world space too where ``--tilt resample`` turns the axes):
    it got none, and FSL or MRtrix then had no b-value. Each file written is printed; which
    volume it was is said on stderr."""
    affine = _oblique() if tilt == "keep" else np.diag([2.0, 2.0, 3.0, 1.0])
    affine[1, 2] = affine[1, 2] if tilt == "keep" else 0.6   # a gantry tilt to resample
    source = _dwi(tmp_path, affine)
    (tmp_path / "out").mkdir()
    whole = tmp_path / "out" / "dwi.nii.gz"
    assert main(["convert", str(source), str(whole), "--tilt", tilt]) == 0
    capsys.readouterr()
    whole_bvec = np.loadtxt(tmp_path / "out" / "dwi.bvec")
    for frame, b_value in ((4, "2000"), (3, "1000"), (1, "0")):
        output = tmp_path / "out" / f"b{frame}.nii.gz"
        args = ["convert", str(source), str(output), "--frame", str(frame), "--tilt", tilt]
        assert main(args) == 0
        captured = capsys.readouterr()
        bval, bvec = output.with_name(f"b{frame}.bval"), output.with_name(f"b{frame}.bvec")
        assert captured.out.splitlines() == [str(output), str(bval), str(bvec)]
        assert (f"neuroview convert: note: b{frame}.nii.gz: volume {frame} of 4, b = {b_value}"
                in captured.err.splitlines())
        assert bval.read_text().split() == [b_value]
        assert np.loadtxt(bval, ndmin=1).tolist() == [float(BVALS.split()[frame - 1])]
        one = np.loadtxt(bvec, ndmin=2)
        assert one.shape == (3, 1)
        np.testing.assert_allclose(one[:, 0], whole_bvec[:, frame - 1], atol=1e-6)
        written = nib.load(output)
        np.testing.assert_allclose(written.affine, nib.load(whole).affine, atol=1e-5)
        np.testing.assert_allclose(_world(one, written.affine)[0],
                                   _world(np.loadtxt(tmp_path / "in" / "dwi.bvec"),
                                          affine)[frame - 1], atol=1e-5)
        # resampled too, outside the slices (the fill was each file's own until session 35)
        np.testing.assert_array_equal(np.asanyarray(written.dataobj),
                                      np.asanyarray(nib.load(whole).dataobj)[..., frame - 1])


def test_convert_frame_of_a_run_says_the_time_point_and_its_time(tmp_path, capsys):
    path = tmp_path / "bold.nii.gz"
    img = nib.Nifti1Image(np.zeros((6, 6, 4, 5), dtype=np.int16), np.eye(4))
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = 2.0
    nib.save(img, path)
    assert main(["convert", str(path), str(tmp_path / "t3.nii.gz"), "--frame", "3"]) == 0
    assert ("neuroview convert: note: t3.nii.gz: time point 3 of 5, t = 4 s"
            in capsys.readouterr().err.splitlines())
