"""A DICOM SEG is read back a frame at a time into one label map (``io.seg_read``): the voxels
and geometry highdicom's own reader gives (its per-segment planes, the brain under the
lesions), on the SEG's grid and placed on an open volume's (the series' own, its axes
reversed, one shifted past the SEG's edge, one half a voxel off, which is resampled); and the
read holds a few bytes a voxel of the label map, where it held a plane per segment, a bool mask
per segment and copies of both."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import highdicom as hd
import numpy as np
import pytest

from neuroview.core.extent import inside
from neuroview.core.geometry import LPS_TO_RAS
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io.seg import load_seg, resample_labels, save_seg
from tests.io.seg_axial import axial_headers, modelled

ROOT = Path(__file__).resolve().parents[2]
SLICES = 12


def _expected(path, volume=None):
    """The label map and the brain's whole mask as highdicom reads them: a plane per segment
    (``get_volume``), the brain (segment 4) painted first, each lesion over it."""
    seg = hd.seg.segread(path)
    planes = seg.get_volume(combine_segments=False, skip_overlap_checks=True)
    array = np.asarray(planes.array)
    labels = np.zeros(array.shape[:3], np.uint8)
    for number in (4, 1, 2, 3):
        labels[array[..., seg.segment_numbers.index(number)] > 0] = number
    brain = (array[..., seg.segment_numbers.index(4)] > 0).astype(np.uint8)
    ijk_to_ras = LPS_TO_RAS @ np.asarray(planes.affine, float)
    if volume is not None:
        labels = resample_labels(LabelMap(labels, ijk_to_ras, SegmentTable()), volume.shape,
                                 volume.ijk_to_ras).array
        brain = resample_labels(LabelMap(brain, ijk_to_ras, SegmentTable()), volume.shape,
                                volume.ijk_to_ras).array
        ijk_to_ras = volume.ijk_to_ras
    return labels, brain > 0, ijk_to_ras


def _shifted(ijk_to_ras, voxels):
    moved = np.array(ijk_to_ras, float)
    moved[:3, 3] += moved[:3, :3] @ np.asarray(voxels, float)
    return moved


def _flipped(ijk_to_ras, shape):
    """The grid of ``shape`` at ``ijk_to_ras`` with its i and k axes running the other way."""
    flip = np.diag([-1.0, 1.0, -1.0, 1.0])
    flip[:3, 3] = [shape[0] - 1, 0, shape[2] - 1]
    return np.asarray(ijk_to_ras, float) @ flip


GRIDS = ["seg", "series", "past the edge", "flipped", "flipped past the edge", "half a voxel off"]


@pytest.mark.parametrize("columns, rows", [(40, 36), (27, 25)])
@pytest.mark.parametrize("grid", GRIDS)
def test_read_gives_highdicoms_voxels_and_geometry(tmp_path, columns, rows, grid):
    headers, ijk_to_ras = axial_headers(SLICES, columns, rows)
    label_map, brain, _lesions = modelled((columns, rows, SLICES), ijk_to_ras)
    path = tmp_path / "seg.dcm"
    save_seg(label_map, headers, path)
    volume = {"seg": None,
              "series": types.SimpleNamespace(shape=label_map.shape, ijk_to_ras=ijk_to_ras),
              "past the edge": types.SimpleNamespace(shape=(columns - 2, rows + 3, SLICES - 4),
                                                     ijk_to_ras=_shifted(ijk_to_ras, (5, -2, 3))),
              "flipped": types.SimpleNamespace(
                  shape=label_map.shape, ijk_to_ras=_flipped(ijk_to_ras, label_map.shape)),
              "flipped past the edge": types.SimpleNamespace(
                  shape=(columns + 4, rows - 3, SLICES - 5),
                  ijk_to_ras=_shifted(_flipped(ijk_to_ras, label_map.shape), (-3, 2, 4))),
              "half a voxel off": types.SimpleNamespace(
                  shape=label_map.shape, ijk_to_ras=_shifted(ijk_to_ras, (0.5, 0, 0)))}[grid]
    labels, whole, expected_affine = _expected(path, volume)
    back = load_seg(path, volume)
    assert back.array.dtype == np.uint8 and back.array.shape == labels.shape
    assert np.array_equal(back.array, labels)
    assert np.allclose(back.ijk_to_ras, expected_affine)
    brain_segment = back.segments.get(4)
    assert not brain_segment.visible
    assert np.array_equal(inside(brain_segment.extent, labels.shape, (0, 0, 0), labels.shape), whole)
    if grid == "series":   # the map saved, whole brain and lesions, voxel for voxel
        assert np.array_equal(back.array, label_map.array) and np.array_equal(whole, brain)
    if grid == "flipped":
        assert np.array_equal(back.array, label_map.array[::-1, :, ::-1])
    if "past the edge" in grid:   # voxels of the SEG beyond the volume dropped, the rest kept
        assert 0 < np.count_nonzero(back.array) < np.count_nonzero(label_map.array)


def test_a_seg_of_lesions_alone_reads_as_highdicoms_combined_volume(tmp_path):
    headers, ijk_to_ras = axial_headers(SLICES, 27, 25)
    label_map, _brain, _lesions = modelled((27, 25, SLICES), ijk_to_ras)
    label_map.array[label_map.array == 4] = 0
    label_map.segments.remove(4)
    save_seg(label_map, headers, tmp_path / "seg.dcm")
    hd_volume = hd.seg.segread(tmp_path / "seg.dcm").get_volume(combine_segments=True)
    back = load_seg(tmp_path / "seg.dcm")
    assert np.array_equal(back.array, np.asarray(hd_volume.array))
    assert np.allclose(back.ijk_to_ras, LPS_TO_RAS @ np.asarray(hd_volume.affine, float))
    assert all(not s.extent for s in back.segments.segments.values())


MEASURE = """
import sys, tracemalloc, types
from neuroview.io.seg import load_seg, save_seg
from tests.io.seg_axial import axial_headers, modelled
headers, ijk_to_ras = axial_headers(4, 64)
save_seg(modelled((64, 64, 4), ijk_to_ras)[0], headers, sys.argv[1] + "/warm.dcm")
headers, ijk_to_ras = axial_headers(64, 256)
label_map = modelled((256, 256, 64), ijk_to_ras)[0]
save_seg(label_map, headers, sys.argv[1] + "/seg.dcm")
volume = types.SimpleNamespace(shape=label_map.shape, ijk_to_ras=ijk_to_ras)
nbytes = label_map.array.nbytes
del label_map, headers
# the first SEG a process reads loads pydicom's and highdicom's code tables (once)
load_seg(sys.argv[1] + "/warm.dcm")
tracemalloc.start()
back = load_seg(sys.argv[1] + "/seg.dcm", volume)
print(tracemalloc.get_traced_memory()[1] / nbytes)
"""


def test_reading_holds_a_few_bytes_a_voxel_not_a_plane_per_segment(tmp_path):
    """256x256x64 (4 MiB of labels), a brain and three lesions, read onto the series' grid:
    Python's allocation peak, measured in a fresh process. It was 13.3 times the label map's
    bytes; now 3.4 (the label map, the brain's box, the file's 0.5 bytes a voxel of PixelData,
    0.7 of highdicom's per-frame headers at this size)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", MEASURE, str(tmp_path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    peak = float(out.stdout.split()[-1])
    assert peak < 4.5, f"reading peaked at {peak:.1f} x the label map's bytes"


@pytest.mark.parametrize("number", [0, 65535])
def test_a_frame_of_a_segment_the_seg_does_not_list_is_refused_naming_the_file(tmp_path, number):
    """A frame naming segment 65535 was an internal OverflowError (65535 written into the uint8
    map); one naming segment 0 was read as background, its voxels lost without a word."""
    import pydicom

    from neuroview.core.errors import CorruptFileError

    headers, ijk_to_ras = axial_headers(4, 10, 8)
    label_map = LabelMap(np.zeros((10, 8, 4), np.uint8), ijk_to_ras)
    label_map.array[2:5, 2:5, 1:3] = 1
    save_seg(label_map, headers, tmp_path / "seg.dcm")
    ds = pydicom.dcmread(tmp_path / "seg.dcm")
    for item in [*ds.PerFrameFunctionalGroupsSequence, *ds.get("SharedFunctionalGroupsSequence", [])]:
        if "SegmentIdentificationSequence" in item:   # per frame, or shared by one segment's
            item.SegmentIdentificationSequence[0].ReferencedSegmentNumber = number
    ds.save_as(tmp_path / "seg.dcm")
    with pytest.raises(CorruptFileError) as refused:
        load_seg(tmp_path / "seg.dcm")
    assert str(refused.value) == (f"{tmp_path / 'seg.dcm'}: SEG frame 1 belongs to segment {number}, "
                                  "which its segment list does not hold (segments 1)")


def test_a_segment_label_longer_than_256_characters_is_refused_naming_the_file(tmp_path):
    """As a sidecar's name (tests/app/test_sidecar_bounds.py): the window lays names out."""
    import pydicom

    from neuroview.core.errors import CorruptFileError

    headers, ijk_to_ras = axial_headers(4, 10, 8)
    label_map = LabelMap(np.zeros((10, 8, 4), np.uint8), ijk_to_ras)
    label_map.array[2:5, 2:5, 1:3] = 1
    save_seg(label_map, headers, tmp_path / "seg.dcm")
    ds = pydicom.dcmread(tmp_path / "seg.dcm")
    ds.SegmentSequence[0].SegmentLabel = "x" * 5000
    ds.save_as(tmp_path / "seg.dcm")
    with pytest.raises(CorruptFileError) as refused:
        load_seg(tmp_path / "seg.dcm")
    assert str(refused.value) == (f"{tmp_path / 'seg.dcm'}: not a readable DICOM SEG (segment 1's "
                                  "label is 5000 characters long (at most 256))")
