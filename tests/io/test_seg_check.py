"""The memory ``load_seg`` asks for before it reads a DICOM SEG is what the reader it will use
needs: a BINARY SEG, read a frame at a time into one label map, is opened within an allowance
that the old demand (two bytes of every frame: 32 MiB here) refused; one past its need is
refused unread with one line; a FRACTIONAL SEG (highdicom's volume) still asks for every frame.
On an image of the same matrix with other voxels the labels are resampled: the check asks for
both maps and the brain's masks (it took that image for the SEG's grid by its shape)."""

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
    with pytest.raises(LoadError, match="the DICOM SEG's frames needs 32.0 MB of memory, "
                                        "only 20.0 MB is available"):
        load_seg(path, volume)


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
