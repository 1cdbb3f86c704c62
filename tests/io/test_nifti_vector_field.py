"""A 5D NIfTI (dim[0]=5; dim[5]: the components of a vector at each voxel, as a displacement field
writes them) opens as a vector field of N components, one per step of the 4th axis, as ITK-SNAP's
component chooser shows them; it opened as a 4D image whose "time points" were its components."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.app.frames import frame_note, pick_time_point
from neuroview.io import load


def _field(path, n_times=1, extra=()):
    data = np.zeros((6, 7, 8, n_times, 3) + tuple(extra), np.float32)
    for c in range(3):
        data[:, :, :, :, c] = 10 * c + np.arange(n_times)[None, None, None, :]
    img = nib.Nifti1Image(data, np.diag([2.0, 2.0, 2.0, 1.0]))
    img.header.set_intent("vector")
    nib.save(img, path)
    return data


def test_a_displacement_field_opens_as_three_components(tmp_path):
    path = tmp_path / "warp.nii.gz"
    data = _field(path)
    assert nib.load(path).header["dim"][0] == 5
    volume = load(path)
    assert volume.array.shape == (6, 7, 8, 3) and volume.axis4 == "component"
    for c in range(3):
        np.testing.assert_array_equal(volume.frame(c), data[:, :, :, 0, c])
    assert frame_note(volume, 0).startswith(
        "Vector field with 3 components (a 5D NIfTI, e.g. a displacement field): the views show "
        "component 1 of 3")
    assert "time point" not in frame_note(volume, 1) and "component 2 of 3" in frame_note(volume, 1)
    shown, note = pick_time_point(volume, None, "warp.nii.gz")
    np.testing.assert_array_equal(shown.array, data[:, :, :, 0, 0])
    assert note == ("warp.nii.gz: vector field of 3 components: used component 1 "
                    "(choose another with --frame N)")


def test_a_time_series_of_vectors_keeps_its_time_points_and_says_so(tmp_path):
    path = tmp_path / "flow.nii.gz"
    data = _field(path, n_times=4)
    volume = load(path)
    assert volume.array.shape == (6, 7, 8, 4) and volume.axis4 == "time"
    np.testing.assert_array_equal(volume.frame(2), data[:, :, :, 2, 0])
    assert "flow.nii.gz: a time series of vectors with 3 components: each time point shows " \
           "component 1" in volume.warnings
