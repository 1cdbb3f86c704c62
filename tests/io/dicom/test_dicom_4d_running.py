"""A classic 4D run (5 slices x 4 time points, one file per slice) whose files carry no
per-volume number (AcquisitionNumber 1 throughout, no TemporalPositionIdentifier, one
AcquisitionTime for the whole series) with one slice of one time point missing or left out (a
NaN ImagePositionPatient): the number that runs on across the volumes tells the time points
apart (InstanceNumber 1..20, else a per-slice AcquisitionTime or ContentTime), every time point
is kept, the gap filled from the nearest time point and said. Where nothing tells, one warning
names the series and says what was kept.

Until session 29 such a run lost its last time point without a word on why (the duplicate-position
rule kept the 3 images every position holds; where the gap lay in time point 2, time points 2
and 3 of that slice held time points 3 and 4). dcm2niix 1.0.20260724 converts the undamaged
runs to the same 4 time points."""

from __future__ import annotations

import shutil

import nibabel as nib
import numpy as np
import pytest
from pydicom.uid import generate_uid
from series_maker import SeriesSpec, compare_in_world, run_dcm2niix, write_series

from neuroview.io import scan
from tests.io.dicom.four_d_runs import by_slice, damaged

N_TIMES, N_SLICES = 4, 5


def _run(folder, mni_volume, running: str, written_out: list | None = None) -> list[list]:
    """files[t][k]: time point t's file of slice k (``written_out``: each volume's
    ``WrittenSeries`` appended), slices acquired from k = 4 down to k = 0 in
    every volume. ``running``: the number that runs on across the volumes: "InstanceNumber"
    (1..20; otherwise 1..5 in every volume), "AcquisitionTime" or "ContentTime" (a time per
    slice; otherwise one AcquisitionTime for the series, no ContentTime), or "TriggerTime" (a
    cardiac phase's, per volume); "" for none."""
    uid, files = generate_uid(), []
    for t in range(N_TIMES):
        extra = (("AcquisitionNumber", 1),)
        if running == "TriggerTime":
            extra += (("TriggerTime", 40.0 * t),)
        first = 1 + N_SLICES * t if running == "InstanceNumber" else 1
        written = write_series(folder, mni_volume, SeriesSpec(
            rows=12, cols=10, n_slices=N_SLICES, series_uid=uid, seed=3 + t,
            value_scale=1.0 + 0.25 * t, first_instance=first, extra=extra))
        if written_out is not None:
            written_out.append(written)

        def stamp(ds, k, t=t):
            per_slice = f"1010{10 + 2 * t}.{4 * (N_SLICES - 1 - k)}00"
            ds.AcquisitionTime = per_slice if running == "AcquisitionTime" else "101010"
            if running == "ContentTime":
                ds.ContentTime = per_slice

        files.append(by_slice(written, stamp))
    return files


def _check_filled(ours, truth, t: int, k: int, source: int, name: str) -> None:
    assert ours.array.shape == truth.array.shape == (10, 12, N_SLICES, N_TIMES), ours.warnings
    np.testing.assert_array_equal(ours.ijk_to_ras, truth.ijk_to_ras)
    for other in range(N_TIMES):  # the other time points whole, voxel for voxel
        if other != t:
            np.testing.assert_array_equal(ours.frame(other), truth.frame(other))
    for slice_k in range(N_SLICES):
        expected = truth.frame(source if slice_k == k else t)[:, :, slice_k]
        np.testing.assert_array_equal(ours.frame(t)[:, :, slice_k], expected)
    said = [w for w in ours.warnings if "from its time point" in w or "from their time point" in w]
    assert said == [f"1 slice missing from its time point (left out or absent; time points "
                    f"told apart by {name}): filled with the same slice of the nearest time point "
                    f"(axial view: time point {t + 1} slice {k + 1} from time point {source + 1}); 4 time "
                    "points kept"], ours.warnings


@pytest.mark.parametrize("running", ["InstanceNumber", "AcquisitionTime", "ContentTime",
                                     "TriggerTime"])
@pytest.mark.parametrize("damage", ["NaN position", "missing file"])
def test_the_number_running_on_across_the_volumes_tells_the_time_points(tmp_path, mni_volume,
                                                                       running, damage):
    files = _run(tmp_path / "whole", mni_volume, running)
    candidate, truth = damaged(tmp_path, files, 1, 2, damage)
    ours = candidate.load()
    _check_filled(ours, truth, 1, 2, 0, running)
    # one slice of 20 from its neighbour in time: as a missing slice of a 3D series costs
    assert candidate.confidence == (0.5 if damage == "NaN position" else 0.75)


@pytest.mark.parametrize("running", ["InstanceNumber", "AcquisitionTime", "ContentTime",
                                     "TriggerTime"])
def test_the_undamaged_run_in_acquisition_order(tmp_path, mni_volume, running):
    """Each time point holds the volume written as it. Where InstanceNumber restarts at every
    volume (1..5) and a TriggerTime or ContentTime tells the volumes apart, they stood in the
    files' order until session 29 (the frames' order ended at InstanceNumber); dcm2niix
    1.0.20260724 mixes those three runs' time points too (each of its time points holds slices of
    several volumes), and converts the one numbered 1..20 as here."""
    written: list = []
    _run(tmp_path / "whole", mni_volume, running, written)
    (candidate,) = scan(tmp_path / "whole").candidates
    ours = candidate.load()
    assert ours.array.shape == (10, 12, N_SLICES, N_TIMES) and not ours.warnings, ours.warnings
    for t in range(N_TIMES):
        compare_in_world(ours.frame(t), ours.ijk_to_ras, written[t].values, written[t].ijk_to_ras)
    if running == "InstanceNumber":
        (reference_path,) = run_dcm2niix(tmp_path / "whole", tmp_path / "dcm2niix")
        reference = nib.load(reference_path)
        assert reference.shape == (10, 12, N_SLICES, N_TIMES)
        for t in range(N_TIMES):
            compare_in_world(ours.frame(t), ours.ijk_to_ras, reference.get_fdata()[..., t],
                             reference.affine)


@pytest.mark.parametrize("t, k, source", [
    (1, 4, 0),  # the first acquired slice of time point 2: instance 6
    (3, 0, 2),  # the last acquired slice of the run: instance 20 (numbering starts at 1)
    (0, 0, 1),  # the last acquired slice of time point 1: instance 5
])
def test_a_slice_acquired_first_or_last_in_its_volume(tmp_path, mni_volume, t, k, source):
    files = _run(tmp_path / "whole", mni_volume, "InstanceNumber")
    candidate, truth = damaged(tmp_path, files, t, k, "missing file")
    _check_filled(candidate.load(), truth, t, k, source, "InstanceNumber")


NOTHING = ("series 3 (T1 test): positions hold 3 to 4 images and nothing in the files "
           "(TemporalPositionIdentifier, AcquisitionNumber, TriggerTime, InstanceNumber, "
           "AcquisitionTime, ContentTime) tells which time point lacks a slice: the first 3 "
           "acquired at each position kept as time points 1 to 3, 4 images left out; where a "
           "slice is missing from a time point, that position's later slices may stand in the "
           "wrong time point")


@pytest.mark.parametrize("running, t, k", [
    ("", 1, 2),  # instances 1..5 in every volume, one acquisition time: nothing runs on
    ("InstanceNumber", 0, 4),  # instance 1 missing: the run's first image, or its 21st?
])
def test_nothing_tells_which_time_point_lacks_the_slice(tmp_path, mni_volume, running, t, k):
    files = _run(tmp_path / "whole", mni_volume, running)
    candidate, truth = damaged(tmp_path, files, t, k, "missing file")
    ours = candidate.load()
    assert ours.array.shape == (10, 12, N_SLICES, 3)
    assert NOTHING in ours.warnings, ours.warnings
    if not running:
        return  # (nothing orders the frames at a position: they stand in the files' order)
    for kept in range(3):  # the other slices whole; slice k holds its first 3 acquired
        for slice_k in range(N_SLICES):
            acquired = kept + (kept >= t) if slice_k == k else kept
            np.testing.assert_array_equal(ours.frame(kept)[:, :, slice_k],
                                          truth.frame(acquired)[:, :, slice_k])


def test_a_gap_in_a_run_stopped_during_its_last_volume(tmp_path, mni_volume):
    """Numbered 1..20 with slice 3 of time point 2 missing and the run stopped after 2 of the 5
    slices of time point 4 (the slices acquired first: k = 4, 3): time points 1 to 3 kept (2
    filled from 1), the cut-short volume left out, both said."""
    files = _run(tmp_path / "whole", mni_volume, "InstanceNumber")
    shutil.copytree(tmp_path / "whole", tmp_path / "damaged")
    for path in [files[1][2], *files[3][:3]]:
        (tmp_path / "damaged" / path.name).unlink()
    (candidate,) = scan(tmp_path / "damaged").candidates
    ours, (whole,) = candidate.load(), scan(tmp_path / "whole").candidates
    truth = whole.load()
    assert ours.array.shape == (10, 12, N_SLICES, 3), ours.warnings
    for t in (0, 2):
        np.testing.assert_array_equal(ours.frame(t), truth.frame(t))
    for k in range(N_SLICES):
        np.testing.assert_array_equal(ours.frame(1)[:, :, k], truth.frame(0 if k == 2 else 1)[:, :, k])
    assert any(w.endswith("3 time points kept, 1 holding half or fewer of the 5 positions left "
                          "out (2 images: a run stopped during its last volume, or files "
                          "missing)") and "told apart by InstanceNumber" in w
               for w in ours.warnings), ours.warnings
