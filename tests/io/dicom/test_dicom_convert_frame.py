"""``neuroview convert --frame N``: one time point of a 4D series written as a 3D NIfTI, the
voxels and geometry of time point N of the 4D file ``convert`` writes without the flag; a time
point the series does not have, or a study of several series without ``--series``, is refused
in one line naming the input, and nothing is written."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.uid import generate_uid

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

N_TIMES = 3


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory, mni_volume):
    """An fMRI run as Siemens XA writes it: one Enhanced MR file per volume, each time point
    the anatomy at another scale, so every time point holds other voxels."""
    folder = tmp_path_factory.mktemp("xa-run")
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    for t in range(N_TIMES):
        write_enhanced(folder / f"v{t}.dcm", mni_volume,
                       EnhancedSpec(**uids, instance=t + 1, temporal_index=t + 1,
                                    acquisition_time=f"10101{t}.00", value_scale=1 + 0.5 * t,
                                    orientation_per_frame=True))
    return folder


@pytest.mark.parametrize("frame", [1, 2, 3])
def test_frame_n_is_time_point_n_of_the_4d_output(cli, run_folder, tmp_path, frame):
    whole = cli("convert", run_folder, tmp_path / "all", "--no-gzip")
    one = cli("convert", run_folder, tmp_path / "one", "--frame", frame)
    assert whole.returncode == 0 and one.returncode == 0, whole.stderr + one.stderr
    [four_d] = (tmp_path / "all").glob("*.nii")
    written = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert written == [f"005_fmri_run_frame{frame}.json", f"005_fmri_run_frame{frame}.nii.gz"]
    four_d, three_d = nib.load(four_d), nib.load(tmp_path / "one" / written[1])
    assert four_d.shape[3] == N_TIMES and three_d.shape == four_d.shape[:3]
    assert three_d.get_data_dtype() == four_d.get_data_dtype()
    np.testing.assert_allclose(three_d.affine, four_d.affine, atol=1e-5)
    expected = np.asarray(four_d.dataobj)[..., frame - 1]
    assert np.array_equal(np.asarray(three_d.dataobj), expected)
    others = [t for t in range(N_TIMES) if t != frame - 1]
    assert not any(np.array_equal(expected, np.asarray(four_d.dataobj)[..., t]) for t in others)


def test_frame_into_a_file_name(cli, run_folder, tmp_path):
    out = tmp_path / "t2.nii"
    result = cli("convert", run_folder, out, "--frame", "2")
    assert result.returncode == 0, result.stderr
    assert nib.load(out).shape == (36, 40, 12)


@pytest.mark.parametrize("frame", ["4"])   # --frame 0: test_arguments_before_reading.py
def test_a_frame_the_series_lacks_is_one_line_and_writes_nothing(cli, run_folder, tmp_path,
                                                                 frame):
    result = cli("convert", run_folder, tmp_path / "out", "--frame", frame)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {run_folder}: --frame {frame} is out of range: it is a 4D image of "
        f"{N_TIMES} time points"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_frame_of_a_study_of_several_series_needs_series(cli, run_folder, tmp_path, mni_volume):
    folder = tmp_path / "study"
    folder.mkdir()
    for path in run_folder.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    write_enhanced(folder / "other.dcm", mni_volume,
                   EnhancedSpec(series_uid=generate_uid(), series_number=7, description="t1"))
    result = cli("convert", folder, tmp_path / "out", "--frame", "2")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(folder) in lines[0] and "--series N" in lines[0]
    assert not (tmp_path / "out").exists()
    picked = cli("convert", folder, tmp_path / "out", "--frame", "2", "--series", "1")
    assert picked.returncode == 0, picked.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["005_fmri_run_frame2.json",
                                                                   "005_fmri_run_frame2.nii.gz"]
