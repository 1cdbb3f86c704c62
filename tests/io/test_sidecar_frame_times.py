"""Each time point's time read from a NIfTI's JSON sidecar (``io.nifti_sidecar.sidecar_frame_times``:
dcm2niix's ``FrameTimesStart``, BIDS' ``VolumeTiming``) only where it lists one finite time a
volume, never going back; anything else leaves the header's ``pixdim[4]`` to name them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroview.app.frames import frame_seconds
from neuroview.io.nifti import load_nifti, save_nifti


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    path = tmp_path_factory.mktemp("run") / "run.nii.gz"
    save_nifti(np.zeros((4, 4, 2, 4), np.float32), np.eye(4), path, frame_interval_s=2.0)
    return path


@pytest.mark.parametrize("fields, wanted", [
    ({"FrameTimesStart": [0, 1, 2.5, 7]}, [0, 1, 2.5, 7]),
    ({"VolumeTiming": [0.5, 1.5, 2.5, 9.5]}, [0.5, 1.5, 2.5, 9.5]),
    ({"FrameTimesStart": [0, 1, 2]}, [0, 2, 4, 6]),               # another count
    ({"FrameTimesStart": [0, 3, 2, 7]}, [0, 2, 4, 6]),            # going back
    ({"FrameTimesStart": ["0", "1", "2", "3"]}, [0, 2, 4, 6]),    # not numbers
    ({"FrameTimesStart": [0, 1, True, 3]}, [0, 2, 4, 6]),
    ({"FrameTimesStart": 5}, [0, 2, 4, 6]),
])
def test_a_sidecar_names_the_time_points_only_with_one_time_each(run, fields, wanted):
    run.with_name("run.json").write_text(json.dumps(fields))
    volume = load_nifti(run)
    assert [frame_seconds(volume, t) for t in range(4)] == wanted


def test_an_infinite_time_leaves_the_header_s_step(run):
    run.with_name("run.json").write_text('{"FrameTimesStart": [0, 1, Infinity, 3]}')
    assert [frame_seconds(load_nifti(run), t) for t in range(4)] == [0, 2, 4, 6]
