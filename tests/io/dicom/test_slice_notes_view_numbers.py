"""The notes of a split series (``this one has slices 3-4 of 6 (coronal view)``) and of a 4D run's
filled gap (``coronal view: time point 2 slice 4 from time point 1``) number the slices as the
view along them does, from the I, P or L end, as ``info``'s made-up slices do since b887b8a7:
both counted from the first slice along the array until session 45, so in a coronal series (its
slices running towards P) the numbers were the view's read from the other end. The numbers
expected are counted here from the loaded volumes' positions along the view's axis (R, A, S)."""

from __future__ import annotations

import re
import shutil

import numpy as np
from pydicom.uid import generate_uid
from series_maker import SeriesSpec, write_series

from neuroview.io import scan
from neuroview.io.dicom import DicomOptions
from tests.io.dicom.four_d_runs import by_slice


def view_number(positions_mm: np.ndarray, k: int) -> int:
    """Slice ``k``'s number in a view that counts from the low end of the world axis."""
    return 1 + int(np.count_nonzero(positions_mm < positions_mm[k] - 1e-3))


def test_a_split_series_names_its_slices_as_the_coronal_view_numbers_them(tmp_path, mni_volume):
    offsets = [0.0, 4.2, 5.3, 12.7, 16.9, 18.0]   # steps 4.2, 1.1, 7.4, 4.2, 1.1: 3 chunks of 2
    written = write_series(tmp_path / "s", mni_volume, SeriesSpec(
        orientation="coronal", modality="CT", rows=12, cols=10, slice_offsets=offsets,
        n_slices=len(offsets)))
    ras_all = -written.positions_lps[:, 1]   # each slice's RAS y (its first voxel's), LPS's -y
    said = []
    for candidate in scan(tmp_path / "s", dicom_options=DicomOptions(uneven="split")).candidates:
        volume = candidate.load()
        (note,) = [w for w in volume.warnings if "split into" in w]
        first, last = map(int, re.search(r"this one has slices (\d+)-(\d+) of 6 \(coronal view\)",
                                         note).groups())
        along_a = [float((volume.ijk_to_ras @ [0, 0, k, 1])[1]) for k in range(volume.shape[2])]
        numbers = sorted(view_number(ras_all, int(np.argmin(np.abs(ras_all - a)))) for a in along_a)
        assert (first, last) == (numbers[0], numbers[-1]), (note, numbers)
        said.append((first, last))
    assert sorted(said) == [(1, 2), (3, 4), (5, 6)]


def test_a_filled_time_point_gap_names_the_slice_as_the_coronal_view_numbers_it(tmp_path,
                                                                                mni_volume):
    n_slices, uid, files = 5, generate_uid(), []
    for t in range(3):
        written = write_series(tmp_path / "whole", mni_volume, SeriesSpec(
            orientation="coronal", rows=12, cols=10, n_slices=n_slices, series_uid=uid, seed=3 + t,
            value_scale=1.0 + 0.25 * t, first_instance=1 + n_slices * t,
            extra=(("TemporalPositionIdentifier", t + 1), ("AcquisitionNumber", 1))))
        files.append(by_slice(written, lambda ds, k: None))
    shutil.copytree(tmp_path / "whole", tmp_path / "gap")
    (tmp_path / "gap" / files[1][1].name).unlink()   # time point 2's second slice along k
    (whole,) = scan(tmp_path / "whole").candidates
    (gap,) = scan(tmp_path / "gap").candidates
    ours, truth = gap.load(), whole.load()
    (k,) = [k for k in range(n_slices)
            if not np.array_equal(ours.frame(1)[:, :, k], truth.frame(1)[:, :, k])]
    along_a = np.array([(ours.ijk_to_ras @ [0, 0, j, 1])[1] for j in range(n_slices)])
    (note,) = [w for w in ours.warnings if "from its time point" in w]
    assert (f"(coronal view: time point 2 slice {view_number(along_a, k)} from time point 1)"
            in note), (note, k)
    assert view_number(along_a, k) != k + 1   # the array's count from the first slice differs
