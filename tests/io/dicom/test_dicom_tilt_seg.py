"""A DICOM SEG of a gantry-tilted CT reads back: written on the series' own frames (each slice
shifted along the image plane as the table moved), its positions step off the slices' normal,
which highdicom's volume geometry refuses; *File > Load labels* and ``Session.load_labels`` said
"the SEG frames do not form a regular volume" for the SEG neuroview had just saved (until
session 36)."""

from __future__ import annotations

import tempfile

import numpy as np
import pydicom

from neuroview import Session
from neuroview.core.labels import LabelMap, Segment, SegmentTable
from neuroview.io import scan
from neuroview.io.seg import load_seg, read_series_headers, save_seg

TILTED = dict(modality="CT", orientation="gantry 15", slice_step=5.0, n_slices=12,
              tilt_mm_per_slice=5.0 * np.tan(np.radians(15)), description="tilted head")


def _places(mask, ijk_to_ras) -> np.ndarray:
    """RAS mm of the voxels of ``mask``, to 0.01 mm."""
    ijk = np.argwhere(mask)
    return np.round(ijk @ ijk_to_ras[:3, :3].T + ijk_to_ras[:3, 3], 2)


def test_a_tilted_cts_seg_reads_back_on_its_grid(make_series, tmp_path):
    series = make_series("tilted seg", **TILTED)
    volume = scan(series.folder).candidates[0].load()
    ijk = np.indices(volume.shape).reshape(3, -1).T
    ras = volume.ijk_to_ras_points(ijk).reshape(*volume.shape, 3)
    centre = volume.ijk_to_ras_points(np.array([[32, 28, 6]]))[0]
    array = (np.linalg.norm(ras - centre, axis=-1) < 14).astype(np.uint8)  # a 14 mm bleed
    array[2:6, 2:6, 1] = 2                                                 # and a corner
    table = SegmentTable()
    table.put(Segment(1, "bleed", (200, 40, 40)))
    table.put(Segment(2, "edge", (40, 200, 40)))
    save_seg(LabelMap(array, volume.ijk_to_ras, table), read_series_headers([series.folder]),
             tmp_path / "seg.dcm")
    ds = pydicom.dcmread(tmp_path / "seg.dcm")
    assert ds.NumberOfFrames == 2 * volume.shape[2]   # the series' own frames, tilted

    loaded = load_seg(tmp_path / "seg.dcm", volume)
    assert loaded.on_grid_of(volume) and np.array_equal(loaded.array, array)
    own = load_seg(tmp_path / "seg.dcm")   # its own grid: the same voxels at the same places
    assert sorted(map(tuple, _places(own.array == 1, own.ijk_to_ras))) == \
        sorted(map(tuple, _places(array == 1, volume.ijk_to_ras)))

    session = Session.open(series.folder, workspace=tempfile.mkdtemp(dir=tmp_path))
    session.load_labels(tmp_path / "seg.dcm")
    assert np.array_equal(session.labels.array, array)
    assert [s.name for s in session.segments] == ["bleed", "edge"]
