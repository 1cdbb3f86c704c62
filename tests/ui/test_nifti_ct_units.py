"""A CT opened as NIfTI (dcm2niix's output: no modality in the file) shows its values in HU, as
the DICOM series does: the window offers it the CT presets in HU, but the value under the cursor
and the statistics of a rectangle or a segment said "value 14", "mean 35.2" with no unit."""

from __future__ import annotations

import numpy as np
from viewer_pixels import open_case

from neuroview.app.view_measure import rectangle_statistics, segment_statistics
from neuroview.core.labels import LabelMap
from neuroview.core.volume import Volume
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _head_ct() -> np.ndarray:
    x = np.arange(48) - 23.5
    r = np.hypot(*np.meshgrid(x, x, indexing="ij"))
    slab = np.where(r < 20, 1000, -1000)
    slab = np.where(r < 17, 35, slab)
    return np.repeat(slab[:, :, None], 8, axis=2).astype(np.int16)


def test_a_nifti_ct_reads_in_hu_under_the_cursor(qtbot, window, tmp_path):
    path = tmp_path / "head_ct.nii.gz"
    save_nifti(_head_ct(), np.diag([0.9, 0.9, 5.0, 1.0]), path)
    open_case(qtbot, window, path)
    volume = window.controller.volume
    assert volume.modality == "" and volume.intensity_unit == ""     # nothing in the file says CT
    p_ras = (volume.ijk_to_ras @ [24, 24, 4, 1])[:3]
    assert window.controller.readout(p_ras).endswith("value 35 HU")


def test_statistics_of_a_nifti_ct_are_in_hu_and_of_an_mr_in_nothing():
    ct = Volume(_head_ct(), np.eye(4))
    labels = LabelMap.empty_like(ct)
    labels.array[20:28, 20:28, 2:6] = 1
    stats = segment_statistics(ct, labels, 1)
    assert (stats.mean, stats.unit) == (35.0, "HU")
    assert "mean 35.0 HU" in " ".join(stats.lines())
    box = rectangle_statistics(ct, (20, 20, 3), (27, 27, 3), np.array([1.0, 0, 0]),
                               np.array([0, 1.0, 0]), np.array([0, 0, 1.0]), 1.0)
    assert box.unit == "HU"
    mr = Volume(np.abs(_head_ct()).astype(np.float32) + 50, np.eye(4))   # no air, no HU
    assert segment_statistics(mr, labels, 1).unit == ""
