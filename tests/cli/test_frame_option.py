"""``--frame N`` of ``neuroview snapshot`` and ``neuroview segment`` on a 4D NIfTI: the time point
drawn or segmented is N (1-based, as the window's *Time point* box); without it, time point 1 and
one line saying so; a wrong N is refused in one line naming the file."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.view_state import ViewerState
from neuroview.core.volume import Volume
from neuroview.io.nifti import load_nifti, save_nifti
from neuroview.render.png import read_png
from neuroview.render.slices import render_view
from tests.checkout import main_said

AFFINE = np.diag([2.0, 2.0, 2.0, 1.0])


@pytest.fixture
def fmri(tmp_path):
    """Three time points: a bright block that moves along i from one to the next."""
    data = np.zeros((24, 20, 16, 3), np.float32)
    for t in range(3):
        data[3 + 7 * t:9 + 7 * t, 4:14, 4:12, t] = 500.0
    return save_nifti(data, AFFINE, tmp_path / "fmri.nii.gz"), data


def _expected(path, frame, time_point="", size=(96, 80)):
    volume = load_nifti(path)
    state = ViewerState.for_volume(volume)
    state.frame = frame
    return render_view(volume, state, "axial", *size, time_point=time_point).rgb


def test_snapshot_frame_draws_that_time_point(capsys, fmri, tmp_path):
    path, _ = fmri
    out = tmp_path / "third.png"
    code, _out, err = main_said(capsys, "snapshot", path, "--frame", "3", "--size", "96x80", "--out", out)
    assert code == 0, err
    picture = read_png(out)   # too small a view for the time point's line: left out
    np.testing.assert_array_equal(picture, _expected(path, 2, "time point 3 of 3"))
    assert not np.array_equal(picture, _expected(path, 0))
    assert "time point" not in err
    # named above the caption, as the window's views name it (it was not until session 50)
    code, _out, err = main_said(capsys, "snapshot", path, "--frame", "3", "--size", "240x200", "--out", out)
    assert code == 0, err
    named = _expected(path, 2, "time point 3 of 3", (240, 200))
    np.testing.assert_array_equal(read_png(out), named)
    assert not np.array_equal(named, _expected(path, 2, "", (240, 200)))

    code, _out, err = main_said(capsys, "snapshot", path, "--size", "96x80", "--out", tmp_path / "first.png")
    assert code == 0
    np.testing.assert_array_equal(read_png(tmp_path / "first.png"), _expected(path, 0, "time point 1 of 3"))
    lines = [line for line in err.splitlines() if "time point" in line]
    assert lines == [f"note: {path}: 4D image of 3 time points: used time point 1 (choose another "
                     "with --frame N)"]


@pytest.mark.parametrize("frame", ["4"])   # --frame 0: test_arguments_before_reading.py
def test_a_frame_out_of_range_is_one_line(capsys, fmri, tmp_path, frame):
    path, _ = fmri
    code, _out, err = main_said(capsys, "segment", path, "-o", tmp_path / "m.nii.gz", "--frame", frame)
    assert code != 0 and "Traceback" not in err
    assert f"{path}: --frame {frame} is out of range: it is a 4D image of 3 time points" in err
    assert not (tmp_path / "m.nii.gz").exists()


def test_segment_frame_segments_that_time_point(capsys, tmp_path):
    """Time point 1 is an empty head (nothing to find), time point 2 a case with lesions: the
    mask of ``--frame 2`` is the bundled model's answer for that 3D image, on the 3D grid."""
    pytest.importorskip("torch")
    import nibabel as nib

    from neuroview.ai import segment_volume, synth

    case = synth.make_case(synth.load_nibabel_anatomy(), 7002, spacing=2.0, deform=False)
    image = np.stack([np.zeros_like(case.image), case.image], axis=-1)
    path = save_nifti(image, case.ijk_to_ras, tmp_path / "series.nii.gz")
    code, out, err = main_said(capsys, "segment", path, "-o", tmp_path / "mask.nii.gz", "--frame", "2",
                           "--device", "cpu")
    assert code == 0, err
    mask = nib.load(tmp_path / "mask.nii.gz")
    assert mask.shape == case.image.shape and np.allclose(mask.affine, case.ijk_to_ras)
    expected, *_ = segment_volume(Volume(case.image, case.ijk_to_ras), "", device="cpu")
    assert np.array_equal(np.asarray(mask.dataobj), expected) and expected.any()
