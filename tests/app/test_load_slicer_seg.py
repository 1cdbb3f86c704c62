"""A 3D Slicer segmentation (``.seg.nrrd``) loads with the names and colours its header gives
(``SegmentN_Name``, ``SegmentN_Color``, ``SegmentN_LabelValue``): read as a plain NRRD, its
segments came in as "Segment 1", "Segment 2" in neuroview's colours (session 32's walk). The file
is written as Slicer writes it: LPS space, gzip, segment fields in the header."""

from __future__ import annotations

import nrrd
import numpy as np
import pytest

from neuroview.app.session import Session
from neuroview.core.errors import LabelMapError
from neuroview.io import load

LPS = np.diag([-1.0, -1.0, 1.0, 1.0])


def _slicer_fields(*segments):
    fields = {}
    for n, (name, value, color, layer) in enumerate(segments):
        fields.update({f"Segment{n}_ID": f"Segment_{n + 1}", f"Segment{n}_Name": name,
                       f"Segment{n}_LabelValue": str(value), f"Segment{n}_Layer": str(layer),
                       f"Segment{n}_Color": " ".join(f"{c:g}" for c in color),
                       f"Segment{n}_Extent": "0 23 0 23 0 11",
                       f"Segment{n}_Tags": "Segmentation.Status:inprogress|"})
    return fields


def _write(path, array, volume, fields):
    lps = LPS @ volume.ijk_to_ras
    directions = lps[:3, :3].T
    if array.ndim == 4:   # Slicer's layers: the first (fastest) axis, a list with no direction
        directions = np.vstack([np.full(3, np.nan), directions])
    header = {"space": "left-posterior-superior", "space directions": directions,
              "space origin": lps[:3, 3], "kinds": ["domain"] * 3 if array.ndim == 3
              else ["list", "domain", "domain", "domain"], "encoding": "gzip",
              "Segmentation_MasterRepresentation": "Binary labelmap", **fields}
    nrrd.write(str(path), array, header, index_order="F")


def _two_lesions(volume):
    array = np.zeros(volume.shape, np.uint8)
    array[3:8, 4:9, 2:5] = 1
    array[14:20, 12:18, 6:9] = 2
    return array


def test_the_segments_come_with_their_slicer_names_and_colours(volume, tmp_path):
    array = _two_lesions(volume)
    path = tmp_path / "Segmentation.seg.nrrd"
    _write(path, array, volume, _slicer_fields(("left frontal lesion", 1, (0.1, 0.8, 0.2), 0),
                                               ("right parietal", 2, (0.9, 0.1, 0.9), 0)))
    s = Session(volume, tmp_path / "ws")
    s.load_labels(path)
    assert np.array_equal(s.labels.array, array)              # on the image grid, LPS flipped back
    named = {seg.value: (seg.name, seg.color, seg.origin, seg.file) for seg in s.segments}
    assert named == {1: ("left frontal lesion", (26, 204, 51), "loaded", "Segmentation.seg.nrrd"),
                     2: ("right parietal", (230, 26, 230), "loaded", "Segmentation.seg.nrrd")}
    assert load(path).source_metadata["segments"][0]["name"] == "left frontal lesion"


def test_a_plain_nrrd_and_an_own_sidecar_are_as_before(volume, tmp_path):
    array = _two_lesions(volume)
    plain = tmp_path / "mask.nrrd"
    _write(plain, array, volume, {})
    s = Session(volume, tmp_path / "ws")
    s.load_labels(plain)
    assert [seg.name for seg in s.segments] == ["Segment 1", "Segment 2"]
    assert "segments" not in load(plain).source_metadata


def test_overlapping_slicer_segments_are_refused_in_one_line(volume, tmp_path):
    layers = np.zeros((2, *volume.shape), np.uint8)      # Slicer's layers: the first axis
    layers[0, 3:8, 4:9, 2:5] = 1
    layers[1, 5:10, 4:9, 2:5] = 1                         # overlaps the first
    path = tmp_path / "overlap.seg.nrrd"
    _write(path, layers, volume, _slicer_fields(("a", 1, (1, 0, 0), 0), ("b", 1, (0, 1, 0), 1)))
    s = Session(volume, tmp_path / "ws")
    with pytest.raises(LabelMapError) as caught:
        s.load_labels(path)
    text = str(caught.value)
    assert "overlap.seg.nrrd" in text and "overlapping segments (2 layers)" in text
    assert "\n" not in text and not s.labels.array.any()


def test_labels_saved_as_seg_nrrd_read_back_by_pynrrd_simpleitk_and_neuroview(volume, tmp_path):
    """*Save labels* to NAME.seg.nrrd writes what Slicer reads: the voxels on the grid in LPS, and
    each segment's name, colour and value in the header (it refused any name but .nii/.nii.gz)."""
    import SimpleITK as sitk

    from neuroview.io.slicer_seg import slicer_segments

    s = Session(volume, tmp_path / "ws")
    s.segments.add("left frontal lesion", color=(26, 204, 51))
    s.segments.add("edema", color=(230, 26, 230))
    s.labels.array[...] = _two_lesions(volume)
    path = tmp_path / "case.seg.nrrd"
    s.save_labels(path)
    data, header = nrrd.read(str(path), index_order="F")
    assert np.array_equal(data, s.labels.array) and header["space"] == "left-posterior-superior"
    assert [(x["name"], x["value"], x["color"], x["layer"]) for x in slicer_segments(header)] == \
        [("left frontal lesion", 1, (26, 204, 51), 0), ("edema", 2, (230, 26, 230), 0)]
    image = sitk.ReadImage(str(path))
    assert np.array_equal(np.transpose(sitk.GetArrayFromImage(image), (2, 1, 0)), s.labels.array)
    lps = LPS @ volume.ijk_to_ras
    np.testing.assert_allclose(image.GetOrigin(), lps[:3, 3])
    np.testing.assert_allclose(image.GetSpacing(), [1.0, 1.0, 2.0])
    again = Session(volume, tmp_path / "ws2")
    again.load_labels(path)
    assert np.array_equal(again.labels.array, s.labels.array)
    assert [(x.name, x.color) for x in again.segments] == [("left frontal lesion", (26, 204, 51)),
                                                          ("edema", (230, 26, 230))]
    (tmp_path / "case.seg.segments.json").unlink()     # Slicer's own file has no sidecar: the header
    third = Session(volume, tmp_path / "ws3")
    third.load_labels(path)
    assert [(x.name, x.color) for x in third.segments] == [("left frontal lesion", (26, 204, 51)),
                                                          ("edema", (230, 26, 230))]
