"""The memory ``load_seg`` asks for before it reads a DICOM SEG is what the reader it will use
needs: a BINARY SEG, read a frame at a time into one label map, is opened within an allowance
that the old demand (two bytes of every frame: 32 MiB here) refused; one past its need is
refused unread with one line; a FRACTIONAL SEG (highdicom's volume) still asks for every frame."""

from __future__ import annotations

import tracemalloc
import types

import pydicom
import pytest

import neuroview.core.memory as memory
import neuroview.io.seg_check as seg_check
from neuroview.core.errors import LoadError
from neuroview.io.seg import load_seg, save_seg
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
    return tmp_path / "seg.dcm", label_map, types.SimpleNamespace(shape=label_map.shape,
                                                                   ijk_to_ras=ijk_to_ras)


def _available(monkeypatch, nbytes: int) -> None:
    """The check (and ``require_memory``) see ``nbytes`` free."""
    for module in (memory, seg_check):
        monkeypatch.setattr(module, "available_bytes", lambda: nbytes)


def test_a_binary_seg_opens_within_what_its_read_needs(saved, monkeypatch):
    path, label_map, volume = saved
    assert 2 * 256 * 256 * int(pydicom.dcmread(path, stop_before_pixels=True).NumberOfFrames) == 32 * MiB
    _available(monkeypatch, 20 * MiB)
    tracemalloc.start()
    try:
        back = load_seg(path, volume)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
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
