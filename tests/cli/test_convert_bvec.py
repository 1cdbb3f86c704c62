"""``neuroview convert`` of a NIfTI DWI writes the FSL ``.bval`` and ``.bvec`` beside it, as it
does for a DICOM one: the ``.bvec`` was left behind (session 34). FSL's ``.bvec`` is in the
file's voxel axes (x negated where the affine's determinant is positive), so it is checked in
world space, before and after, with nibabel's affines."""

from __future__ import annotations

import nibabel as nib
import numpy as np

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


def test_convert_frame_of_a_dwi_says_which_volume_and_b_value_it_wrote(tmp_path, capsys):
    """The 3D file of ``--frame N`` keeps no ``.bval``: the b-value of the volume written is said
    on stderr (it said nothing); stdout still lists only the file written."""
    source = _dwi(tmp_path, np.diag([2.0, 2.0, 3.0, 1.0]))
    output = tmp_path / "out" / "b2000.nii.gz"
    output.parent.mkdir()
    assert main(["convert", str(source), str(output), "--frame", "4"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [str(output)]
    assert ("neuroview convert: note: b2000.nii.gz: volume 4 of 4, b = 2000"
            in captured.err.splitlines())
    np.testing.assert_array_equal(np.asanyarray(nib.load(output).dataobj),
                                  np.asanyarray(nib.load(source).dataobj)[..., 3])
    assert sorted(p.name for p in output.parent.iterdir()) == ["b2000.nii.gz"]


def test_convert_frame_of_a_run_says_the_time_point_and_its_time(tmp_path, capsys):
    path = tmp_path / "bold.nii.gz"
    img = nib.Nifti1Image(np.zeros((6, 6, 4, 5), dtype=np.int16), np.eye(4))
    img.header.set_xyzt_units("mm", "sec")
    img.header["pixdim"][4] = 2.0
    nib.save(img, path)
    assert main(["convert", str(path), str(tmp_path / "t3.nii.gz"), "--frame", "3"]) == 0
    assert ("neuroview convert: note: t3.nii.gz: time point 3 of 5, t = 4 s"
            in capsys.readouterr().err.splitlines())
