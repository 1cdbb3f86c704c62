"""The memory ``load_seg`` asks for before it reads a DICOM SEG is what the reader it will use
needs: a BINARY SEG, read a frame at a time into one label map, is opened within an allowance
that the old demand (two bytes of every frame: 32 MiB here) refused; one past its need is
refused unread with one line; a FRACTIONAL SEG (highdicom's volume) still asks for every frame,
and with a brain for highdicom's float planes of every segment. On an image of the same matrix
with other voxels the labels are resampled: the check asks for both maps and the brain's masks
(it took that image for the SEG's grid by its shape)."""

from __future__ import annotations

import tracemalloc
import types

import numpy as np
import pydicom
import pytest

import neuroview.core.memory as memory
import neuroview.io.seg_check as seg_check
from neuroview.core.errors import LoadError
from neuroview.io.seg import load_seg, resample_labels, save_seg
from tests.io.seg_axial import axial_headers, modelled

MiB = 1 << 20


@pytest.fixture
def saved(tmp_path):
    """A brain and three lesions on 256x256x64 (4 MiB of labels, 256 frames) saved as a SEG,
    the series' grid, and a small SEG read first (pydicom's and highdicom's code tables)."""
    headers, ijk_to_ras = axial_headers(4, 64)
    save_seg(modelled((64, 64, 4), ijk_to_ras)[0], headers, tmp_path / "warm.dcm")
    headers, ijk_to_ras = axial_headers(64, 256)
    label_map = modelled((256, 256, 64), ijk_to_ras)[0]
    save_seg(label_map, headers, tmp_path / "seg.dcm")
    load_seg(tmp_path / "warm.dcm")
    load_seg(tmp_path / "warm.dcm", _finer(types.SimpleNamespace(
        shape=(64, 64, 4), ijk_to_ras=axial_headers(4, 64)[1])))   # scipy.ndimage imported
    return tmp_path / "seg.dcm", label_map, types.SimpleNamespace(shape=label_map.shape,
                                                                   ijk_to_ras=ijk_to_ras)


def _available(monkeypatch, nbytes: int) -> None:
    """The check (and ``require_memory``) see ``nbytes`` free."""
    for module in (memory, seg_check):
        monkeypatch.setattr(module, "available_bytes", lambda: nbytes)


def _traced_load(path, volume) -> tuple:
    """``(label map, peak bytes traced)`` of ``load_seg(path, volume)``."""
    tracemalloc.start()
    try:
        back = load_seg(path, volume)
        return back, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_binary_seg_opens_within_what_its_read_needs(saved, monkeypatch):
    path, label_map, volume = saved
    assert 2 * 256 * 256 * int(pydicom.dcmread(path, stop_before_pixels=True).NumberOfFrames) == 32 * MiB
    _available(monkeypatch, 20 * MiB)
    back, peak = _traced_load(path, volume)
    assert (back.array == label_map.array).all()
    assert peak < 20 * MiB, f"the read took {peak / MiB:.1f} MiB, past the allowance it was let in"


def test_a_binary_seg_past_what_its_read_needs_is_one_line_unread(saved, monkeypatch):
    path, _label_map, volume = saved
    _available(monkeypatch, 8 * MiB)

    def no_read(*args, **kwargs):
        raise AssertionError("the SEG was read past the allowance")

    monkeypatch.setattr("highdicom.seg.segread", no_read)
    with pytest.raises(LoadError) as caught:
        load_seg(path, volume)
    text = str(caught.value)
    assert text.startswith(f"{path}: the DICOM SEG's frames needs 14.1 MB of memory, "
                           "only 8.0 MB is available"), text
    assert "\n" not in text


def test_a_fractional_seg_still_asks_for_every_frame_and_its_volume(saved, monkeypatch):
    path, _label_map, volume = saved
    ds = pydicom.dcmread(path)
    ds.SegmentationType = "FRACTIONAL"
    ds.save_as(path)
    _available(monkeypatch, 20 * MiB)
    # every frame twice (32 MiB), the map and the image's, a float32 plane a segment twice and a
    # mask each (144 MiB: the brain), the brain resampled (16 MiB)
    with pytest.raises(LoadError, match="the DICOM SEG's frames needs 200.0 MB of memory, "
                                        "only 20.0 MB is available"):
        load_seg(path, volume)


def _fractional(path, shape=(128, 128, 32)):
    """A FRACTIONAL SEG (highdicom's, 8 bits) of a brain and three lesions on an axial series of
    ``shape`` (columns, rows, slices), and that series' grid."""
    import highdicom as hd
    from pydicom.sr.codedict import codes
    from pydicom.sr.coding import Code

    from neuroview.io.seg_context import BRAIN_CODE
    from neuroview.io.seg_sources import sources_for_seg

    headers, ijk_to_ras = axial_headers(shape[2], shape[0], shape[1])
    label_map, brain, _lesions = modelled(shape, ijk_to_ras)
    planes = [label_map.array == n for n in (1, 2, 3)] + [brain]
    pixels = np.stack([np.transpose(p, (2, 1, 0)) for p in planes], axis=-1).astype(np.float32)
    kinds = [codes.SCT.Lesion] * 3 + [Code(*BRAIN_CODE, "Brain")]
    descriptions = [hd.seg.SegmentDescription(
        segment_number=n, segment_label=f"segment {n}", segmented_property_category=codes.SCT.Tissue,
        segmented_property_type=kind, algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL)
        for n, kind in enumerate(kinds, start=1)]
    hd.seg.Segmentation(
        source_images=sources_for_seg(headers), pixel_array=pixels,
        segmentation_type=hd.seg.SegmentationTypeValues.FRACTIONAL, max_fractional_value=255,
        segment_descriptions=descriptions, series_instance_uid=hd.UID(), series_number=5,
        sop_instance_uid=hd.UID(), instance_number=1, manufacturer="test",
        manufacturer_model_name="test", software_versions="1", device_serial_number="0",
        omit_empty_frames=False).save_as(path)
    return label_map, types.SimpleNamespace(shape=shape, ijk_to_ras=ijk_to_ras)


def test_a_fractional_seg_with_a_brain_asks_for_its_float_planes(saved, tmp_path, monkeypatch):
    path = tmp_path / "fractional.dcm"
    label_map, volume = _fractional(path)
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    need = seg_check.seg_read_bytes(ds, 128, 128, int(ds.NumberOfFrames), volume)
    _available(monkeypatch, need)
    back, peak = _traced_load(path, volume)
    assert (back.array == label_map.array).all()
    # the check asked 2 bytes of every frame (4 MiB) until session 35; the read takes 22 MiB
    assert need / 1.5 < peak < need, f"the read took {peak / MiB:.1f} MiB, asked {need / MiB:.1f}"


def _finer(volume) -> types.SimpleNamespace:
    """An image of the SEG's matrix with smaller voxels (0.9x, 0.92x, 1.14x the SEG's), on which
    the labels are resampled: the old check took it for the SEG's grid by its shape."""
    ijk_to_ras = volume.ijk_to_ras.copy()
    ijk_to_ras[:3, :3] = np.diag([-0.45, -0.55, 0.8])
    return types.SimpleNamespace(shape=volume.shape, ijk_to_ras=ijk_to_ras)


def test_a_seg_resampled_onto_the_image_asks_for_both_maps(saved, monkeypatch):
    path, label_map, volume = saved
    finer = _finer(volume)
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    need = seg_check.seg_read_bytes(ds, 256, 256, int(ds.NumberOfFrames), finer)
    assert need == 30 * MiB + (128 << 10)  # the two maps, the brain's masks, the file's frames
    _available(monkeypatch, need)
    back, peak = _traced_load(path, finer)
    assert (back.array == resample_labels(label_map, finer.shape, finer.ijk_to_ras).array).all()
    assert need / 1.5 < peak < need, f"the read took {peak / MiB:.1f} MiB, asked {need / MiB:.1f}"


def test_a_seg_resampled_past_the_memory_is_one_line_unread(saved, monkeypatch):
    path, _label_map, volume = saved
    _available(monkeypatch, 20 * MiB)   # the old check let it in (14.1 MB); the read takes 27
    monkeypatch.setattr("highdicom.seg.segread", lambda *a, **k: pytest.fail("the SEG was read"))
    with pytest.raises(LoadError) as caught:
        load_seg(path, _finer(volume))
    assert str(caught.value).startswith(f"{path}: the DICOM SEG's frames needs 30.1 MB of memory, "
                                        "only 20.0 MB is available"), str(caught.value)
