"""A DICOM SEG of a model's brain and lesions is written a frame at a time (``io.seg_frames``):
read back by pydicom and by highdicom, each segment's frame at each source slice holds that
segment's voxels there (the brain whole, the lesions inside it included), also on frames whose
pixel count is no multiple of 8 (frames packed bit after bit, split mid-byte); and the save holds
a few bytes a voxel, where it held a full-volume plane per segment and highdicom's int64 sum of
them (about 26 bytes a voxel)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import highdicom as hd
import numpy as np
import pydicom
import pytest

from neuroview.core.extent import encode_extent
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io.seg import save_seg
from tests.io.seg_axial import axial_headers, modelled, on_grid

ROOT = Path(__file__).resolve().parents[2]
SLICES = 12


def _key(position) -> tuple:
    return tuple(round(float(x), 3) for x in position)


def _lps(ijk: np.ndarray, ijk_to_lps: np.ndarray) -> set:
    points = (ijk_to_lps @ np.c_[ijk, np.ones(len(ijk))].T)[:3].T
    return {tuple(p) for p in np.round(points, 3)}


def _assert_frames(path, headers, wanted: dict) -> None:
    """The SEG at ``path`` says its segments overlap, and holds one frame of each segment at
    each source slice ``k`` (``headers[k]``): ``wanted[number][:, :, k]``, the slice's pixels."""
    ds = pydicom.dcmread(path)
    assert ds.SegmentsOverlap == "YES"
    pixels = ds.pixel_array.reshape(-1, ds.Rows, ds.Columns)
    slice_at = {_key(h.ImagePositionPatient): k for k, h in enumerate(headers)}
    seen = []
    for index, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
        number = int(item.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        k = slice_at[_key(item.PlanePositionSequence[0].ImagePositionPatient)]
        source = item.DerivationImageSequence[0].SourceImageSequence[0]
        assert source.ReferencedSOPInstanceUID == headers[k].SOPInstanceUID
        assert np.array_equal(pixels[index] == 1, wanted[number][:, :, k].T), (number, k)
        seen.append((number, k))
    assert sorted(seen) == [(n, k) for n in sorted(wanted) for k in range(len(headers))]


@pytest.mark.parametrize("columns, rows", [(40, 36), (27, 25)])   # 1440 pixels a frame; 675
def test_each_segment_frame_holds_its_voxels_at_its_source_slice(tmp_path, columns, rows):
    headers, ijk_to_ras = axial_headers(SLICES, columns, rows)
    label_map, brain, lesions = modelled((columns, rows, SLICES), ijk_to_ras)
    mapping = save_seg(label_map, headers, tmp_path / "seg.dcm")
    wanted = {number: brain if value == 4 else lesions[value - 1] for number, value in mapping.items()}
    assert lesions[0].sum() and (lesions[0] & brain).sum() == lesions[0].sum()   # inside the brain
    assert 0 < (lesions[2] & brain).sum() < lesions[2].sum()                      # half outside

    _assert_frames(tmp_path / "seg.dcm", headers, wanted)

    seg = hd.seg.segread(tmp_path / "seg.dcm")   # highdicom's own volume and geometry
    volume = seg.get_volume(combine_segments=False, skip_overlap_checks=True)
    ras_to_lps = np.diag([-1.0, -1.0, 1.0, 1.0])
    for index, number in enumerate(seg.segment_numbers):
        found = np.argwhere(np.asarray(volume.array)[..., index] > 0)
        assert _lps(found, np.asarray(volume.affine)) == _lps(np.argwhere(wanted[number]),
                                                                ras_to_lps @ ijk_to_ras), number


def _old_of_new(rows: int, columns: int, grid: str) -> tuple[np.ndarray, tuple]:
    """The map of a label grid's voxels to the series' (``on_grid``), and its shape: its axes
    in another order and two of them flipped (a frame is a view of it, read back to front), or
    sheared in the slice's plane (a frame is not: gathered voxel by voxel)."""
    out = np.zeros((4, 4))
    out[3, 3] = 1
    if grid == "flipped":   # (slice, column flipped, row), the slice flipped: columns x rows
        out[0, 1], out[0, 3], out[1, 2], out[2, 0], out[2, 3] = -1, columns - 1, 1, -1, SLICES - 1
        return out, (SLICES, columns, rows)
    out[0, 0], out[0, 1], out[0, 3], out[1, 1], out[2, 2] = 1, 1, -(rows - 1), 1, 1   # i + j
    return out, (columns + rows - 1, rows, SLICES)


@pytest.mark.parametrize("grid", ["flipped", "sheared"])
def test_a_label_grid_of_other_axes_gives_the_same_frames(tmp_path, grid):
    """The label map on a grid whose axes are not the series' (a NIfTI's, a resampled map's):
    each segment's frame at each slice holds its voxels there, the brain whole."""
    columns, rows = 27, 25
    headers, ijk_to_ras = axial_headers(SLICES, columns, rows)
    label_map, brain, lesions = modelled((columns, rows, SLICES), ijk_to_ras)
    old_of_new, shape = _old_of_new(rows, columns, grid)
    mapping = save_seg(on_grid(label_map, brain, old_of_new, shape), headers, tmp_path / "seg.dcm")
    wanted = {number: brain if value == 4 else lesions[value - 1] for number, value in mapping.items()}
    _assert_frames(tmp_path / "seg.dcm", headers, wanted)


def test_a_brain_whose_extent_is_its_voxels_does_not_overlap(tmp_path):
    headers, ijk_to_ras = axial_headers(SLICES, 27, 25)
    label_map, _brain, _lesions = modelled((27, 25, SLICES), ijk_to_ras)
    around = label_map.array == 4   # the brain with a hole at each lesion, as drawn
    segment = label_map.segments.get(4)
    label_map.segments.put(dataclasses.replace(segment, extent=encode_extent(around)))
    save_seg(label_map, headers, tmp_path / "seg.dcm")
    ds = pydicom.dcmread(tmp_path / "seg.dcm")
    assert ds.SegmentsOverlap == "NO"
    pixels = ds.pixel_array.reshape(-1, 25, 27)
    brain_frames = [i for i, item in enumerate(ds.PerFrameFunctionalGroupsSequence)
                    if item.SegmentIdentificationSequence[0].ReferencedSegmentNumber == 4]
    assert int((pixels[brain_frames] == 1).sum()) == int(around.sum())


def test_two_context_segments_whose_extents_meet_on_background_overlap(tmp_path):
    """Two model segments under the lesions (a brain of two halves), whose extents share a slab
    that holds neither's voxels: each goes whole, and the SEG says its segments overlap."""
    headers, ijk_to_ras = axial_headers(SLICES, 27, 25)
    labels = np.zeros((27, 25, SLICES), np.uint8)
    left, right = np.zeros(labels.shape, bool), np.zeros(labels.shape, bool)
    left[2:15, 3:20, 2:10], right[12:25, 3:20, 2:10] = True, True
    labels[2:12, 3:20, 2:10], labels[15:25, 3:20, 2:10] = 1, 2   # columns 12-14: background
    table = SegmentTable()
    for value, mask in ((1, left), (2, right)):
        segment = table.add(f"half {value}", value=value, origin="model", model="lesionseg@2.5.1")
        table.put(dataclasses.replace(segment, extent=encode_extent(mask)))
    mapping = save_seg(LabelMap(labels, ijk_to_ras, table), headers, tmp_path / "seg.dcm")
    ds = pydicom.dcmread(tmp_path / "seg.dcm")
    assert ds.SegmentsOverlap == "YES"
    pixels = ds.pixel_array.reshape(-1, 25, 27) == 1
    for number, value in mapping.items():
        frames = [i for i, item in enumerate(ds.PerFrameFunctionalGroupsSequence)
                  if item.SegmentIdentificationSequence[0].ReferencedSegmentNumber == number]
        assert int(pixels[frames].sum()) == int((left if value == 1 else right).sum())


MEASURE = """
import sys, tracemalloc
from neuroview.io.seg import save_seg
from tests.io.seg_axial import axial_headers, modelled, on_grid
headers, ijk_to_ras = axial_headers(4, 64)
# the first SEG of a process loads pydicom's and highdicom's code tables (about 110 MB, once)
save_seg(modelled((64, 64, 4), ijk_to_ras)[0], headers, sys.argv[1] + "/warm.dcm")
headers, ijk_to_ras = axial_headers(64, 256)
label_map = modelled((256, 256, 64), ijk_to_ras)[0]
tracemalloc.start()
save_seg(label_map, headers, sys.argv[1] + "/seg.dcm")
print(tracemalloc.get_traced_memory()[1] / label_map.array.nbytes)
"""


def test_saving_holds_a_few_bytes_a_voxel_not_a_plane_per_segment(tmp_path):
    """256x256x64 (4 MiB of labels), a brain and three lesions: Python's allocation peak while
    saving, measured in a fresh process. It was 26 times the label map's bytes."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", MEASURE, str(tmp_path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    peak = float(out.stdout.split()[-1])
    assert peak < 5.0, f"saving peaked at {peak:.1f} x the label map's bytes"
