"""The voxels outside a CT's scanned field of view (its PixelPaddingValue, read as air) are left
out of a segment's statistics as a rectangle's, and the record of where they lie survives a
series resampled onto even slices (a missing slice made up) and a 4D series: until session 45
both kept none, so their padding counted as air (-1024 HU) in every figure."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pydicom
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct, write_perfusion_ct  # noqa: E402
from whole_slice import whole_slice  # noqa: E402

from neuroview.app.frames import frame_volume  # noqa: E402
from neuroview.app.view_measure import segment_statistics  # noqa: E402
from neuroview.core.labels import LabelMap  # noqa: E402
from neuroview.io import load  # noqa: E402


def _pad_more(path: Path, corner: int) -> None:
    """Pad a square of ``corner`` columns and rows in the file's image too (a slice whose field
    of view is smaller than its neighbours')."""
    ds = pydicom.dcmread(path)
    pixels = ds.pixel_array.copy()
    pixels[:corner, :corner] = int(ds[0x00280120].value)
    ds.PixelData = pixels.tobytes()
    ds.save_as(path)


def _check(figures, hu: np.ndarray) -> None:
    """``figures`` left out where ``hu`` is NaN and are those of the rest."""
    scanned = hu[np.isfinite(hu)]
    assert figures.outside_scan == hu.size - scanned.size > 200
    assert figures.mean == pytest.approx(scanned.mean(), rel=1e-12) and figures.minimum == scanned.min()
    assert figures.std == pytest.approx(scanned.std(), rel=1e-12) and figures.maximum == scanned.max()
    assert figures.lines()[-1] == f"{hu.size - scanned.size} voxels outside the scanned field left out"


def test_a_made_up_slice_leaves_out_where_either_neighbour_was_padding(tmp_path):
    written = write_ct(tmp_path / "ct", fov_mm=80.0, n_slices=6)
    (written.folder / "CT002.dcm").unlink()               # slice 3 of 6 missing: made up
    _pad_more(written.folder / "CT003.dcm", 12)
    hu = written.hu.copy()
    hu[:12, :12, 3] = np.nan                              # [column, row]: the file's rows first
    volume = load(written.folder)
    assert volume.shape[2] == 6 and "1 missing slice" in " ".join(volume.warnings)
    mixed = (hu[:, :, 1] + hu[:, :, 3]) / 2               # NaN where either is padding
    mixed = np.sign(mixed) * np.floor(np.abs(mixed) + 0.5)  # rounded half away from zero
    assert np.array_equal(volume.array[:, :, 2][np.isfinite(mixed)], mixed[np.isfinite(mixed)])
    _check(whole_slice(volume, 2), mixed)
    _check(whole_slice(volume, 3), hu[:, :, 3])          # an acquired slice: its own padding
    labels = LabelMap.empty_like(volume)
    labels.array[:, :, 2:4] = 1
    both = segment_statistics(volume, labels, 1)
    _check(both, np.stack([mixed, hu[:, :, 3]], axis=2))
    assert both.voxels == 2 * 48 * 48                     # the segment's own size, all of it


def test_each_time_point_of_a_4d_ct_leaves_out_its_own_padding(tmp_path):
    folder, hus = write_perfusion_ct(tmp_path)   # time point 2's field is smaller
    volume = load(folder)
    assert volume.array.shape == (48, 48, 4, 2)
    for t in (0, 1):
        shown = frame_volume(volume, t)
        _check(whole_slice(shown, 2), hus[t][:, :, 2])
        labels = LabelMap.empty_like(shown)
        labels.array[:, :, 2] = 1
        _check(segment_statistics(shown, labels, 1), hus[t][:, :, 2])


def test_a_segment_on_a_ct_leaves_out_its_padding(tmp_path):
    written = write_ct(tmp_path / "ct", fov_mm=80.0)
    volume = load(written.folder)
    labels = LabelMap.empty_like(volume)
    labels.array[:, :20, 1:3] = 1
    _check(segment_statistics(volume, labels, 1), written.hu[:, :20, 1:3])
