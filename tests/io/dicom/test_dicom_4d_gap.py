"""A classic 4D run (one file per slice, 5 slices x 4 time points) with one slice of time point 2
unusable (a NaN ImagePositionPatient: left out by .unplaced) or missing: every time point is
kept, the gap filled with the same slice of time point 1 (of time point 2 where the first is
damaged), and the warning says which; the same for a slice of the first or the last time point.

Until session 28 the short position made the duplicate-position rule keep 3 time points at every
position: time point 4 was lost whole. dcm2niix 1.0.20260724 stacks the 19 slices of such a run
as one 3D volume; the undamaged run is its 4D reference here."""

from __future__ import annotations

import shutil

import nibabel as nib
import numpy as np
import pytest
from pydicom.uid import generate_uid
from series_maker import SeriesSpec, compare_in_world, run_dcm2niix, write_series

from neuroview.io import scan
from tests.io.dicom.four_d_runs import by_slice, damaged

N_TIMES, N_SLICES, DAMAGED_K = 4, 5, 2


def _run(folder, mni_volume, volume_field: str) -> list[list]:
    """files[t][k]: time point t's file of slice k. Each volume's number in ``volume_field``
    (Philips: TemporalPositionIdentifier; Siemens: AcquisitionNumber), TriggerTime per volume,
    AcquisitionTime per slice (as scanners write it: the slices of a volume acquired in turn)."""
    uid, files = generate_uid(), []
    for t in range(N_TIMES):
        extra = (("TriggerTime", 250.0 * t), (volume_field, t + 1))
        if volume_field != "AcquisitionNumber":
            extra += (("AcquisitionNumber", 1),)
        written = write_series(folder, mni_volume, SeriesSpec(
            rows=12, cols=10, n_slices=N_SLICES, series_uid=uid, seed=3 + t,
            value_scale=1.0 + 0.25 * t, first_instance=1 + N_SLICES * t, extra=extra))

        def stamp(ds, k, t=t):
            ds.AcquisitionTime = f"1010{10 + 2 * t}.{4 * k}00"

        files.append(by_slice(written, stamp))
    return files


@pytest.mark.parametrize("volume_field", ["TemporalPositionIdentifier", "AcquisitionNumber"])
@pytest.mark.parametrize("damage", ["NaN position", "missing file"])
@pytest.mark.parametrize("damaged_t", [1, 3, 0])  # time point 2, the last, the first
def test_every_time_point_is_kept_and_the_gap_filled_from_its_neighbour(tmp_path, mni_volume,
                                                                       volume_field, damage,
                                                                       damaged_t):
    source = damaged_t - 1 if damaged_t else 1  # the earlier neighbour, else the later
    files = _run(tmp_path / "whole", mni_volume, volume_field)
    candidate, truth = damaged(tmp_path, files, damaged_t, DAMAGED_K, damage)
    ours = candidate.load()
    assert ours.array.shape == truth.array.shape == (10, 12, N_SLICES, N_TIMES)
    np.testing.assert_array_equal(ours.ijk_to_ras, truth.ijk_to_ras)
    for t in range(N_TIMES):  # the other time points whole, voxel for voxel
        if t != damaged_t:
            np.testing.assert_array_equal(ours.frame(t), truth.frame(t))
    differs = [k for k in range(N_SLICES)
               if not np.array_equal(ours.frame(damaged_t)[:, :, k], truth.frame(damaged_t)[:, :, k])]
    assert len(differs) == 1  # the gap, filled with time point 1's slice at that place
    (k,) = differs
    np.testing.assert_array_equal(ours.frame(damaged_t)[:, :, k], truth.frame(source)[:, :, k])
    said = [w for w in ours.warnings if "from its time point" in w or "from their time point" in w]
    assert said == [f"1 slice missing from its time point (left out or absent; time points "
                    f"told apart by {volume_field}): filled with the same slice of the nearest "
                    f"time point (axial view: time point {damaged_t + 1} slice {k + 1} from time point "
                    f"{source + 1}); 4 time points "
                    "kept"], ours.warnings
    (reference_path,) = run_dcm2niix(tmp_path / "whole", tmp_path / "dcm2niix")
    reference = nib.load(reference_path)
    assert reference.shape == (10, 12, N_SLICES, N_TIMES)
    expected = reference.get_fdata()
    for t in range(N_TIMES):
        compare_in_world(ours.frame(t), ours.ijk_to_ras, expected[..., t], reference.affine,
                         values=t != damaged_t)


def test_a_gap_in_a_run_stopped_during_its_last_volume(tmp_path, mni_volume):
    """Slice 3 of time point 2 missing and the run stopped after 2 of the 5 slices of time point
    4: time points 1 to 3 kept (2 filled from 1), the cut-short volume left out, both said."""
    files = _run(tmp_path / "whole", mni_volume, "AcquisitionNumber")
    shutil.copytree(tmp_path / "whole", tmp_path / "damaged")
    for path in [files[1][DAMAGED_K], *files[3][2:]]:
        (tmp_path / "damaged" / path.name).unlink()
    (candidate,) = scan(tmp_path / "damaged").candidates
    ours, (whole,) = candidate.load(), scan(tmp_path / "whole").candidates
    truth = whole.load()
    assert ours.array.shape == (10, 12, N_SLICES, 3)
    np.testing.assert_array_equal(ours.ijk_to_ras, truth.ijk_to_ras)
    for t in (0, 2):
        np.testing.assert_array_equal(ours.frame(t), truth.frame(t))
    assert sum(not np.array_equal(ours.frame(1)[:, :, k], truth.frame(1)[:, :, k])
               for k in range(N_SLICES)) == 1
    assert any(w.endswith("3 time points kept, 1 holding half or fewer of the 5 positions left "
                          "out (2 images: a run stopped during its last volume, or files "
                          "missing)") for w in ours.warnings), ours.warnings
