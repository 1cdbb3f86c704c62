"""A DICOM file moved or deleted between the folder's scan and the read (a CD ejected, a sync
removing it) is one line in words naming the file: it was `DICOM file cannot be read again
(FileNotFoundError)`, an exception class as the reason (session 39, probing files that change
while read)."""

from __future__ import annotations

import os

import pytest
from raw_series import write_raw_series

from neuroview.core.errors import NeuroviewError
from neuroview.io.registry import scan


def test_a_file_gone_since_the_scan_is_said_in_words(tmp_path):
    paths = write_raw_series(tmp_path / "series", n=5)
    result = scan(str(tmp_path / "series"))
    os.remove(paths[2])
    with pytest.raises(NeuroviewError) as caught:
        for candidate in result.candidates:
            candidate.load()
    assert str(caught.value) == (f"{paths[2]}: DICOM file is gone since the folder was scanned "
                                 "(moved or deleted)")


def _load_after(tmp_path, change) -> str:
    paths = write_raw_series(tmp_path / "series", n=4)
    result = scan(str(tmp_path / "series"))
    change(paths[1])
    with pytest.raises(NeuroviewError) as caught:
        for candidate in result.candidates:
            candidate.load()
    return str(caught.value).replace(f"{paths[1]}: ", "<file>: ")


@pytest.mark.parametrize("keep", [300, -100])   # inside the header; inside the pixel data
def test_a_file_cut_since_the_scan_is_said_so(tmp_path, keep):
    """It was `the Explicit VR Little Endian data are damaged: not a stream a decoder can read`
    (cut in the header) or `cut short, or a wrong transfer syntax` (in the pixels)."""
    def cut(path):
        data = path.read_bytes()
        path.write_bytes(data[:keep])
        cut.sizes = len(data[:keep]), len(data)

    said = _load_after(tmp_path, cut)
    assert said == (f"<file>: DICOM file was cut short since the folder was scanned "
                    f"({cut.sizes[0]} of its {cut.sizes[1]} bytes are left) (open the folder again)")


def test_a_file_replaced_by_one_of_its_size_is_said_so(tmp_path):
    said = _load_after(tmp_path, lambda path: path.write_bytes(
        bytes(range(256)) * (path.stat().st_size // 256) + b"\x01" * (path.stat().st_size % 256)))
    assert said == ("<file>: DICOM file was replaced since the folder was scanned (it is not the "
                    "image scanned) (open the folder again)")


def test_a_file_replaced_by_another_slice_of_the_series_is_said_so(tmp_path):
    """Another valid image of the same size in its place (slice 3 copied over slice 2) loaded
    without a word until session 40: slice 3 twice, slice 2 gone."""
    said = _load_after(tmp_path, lambda path: path.write_bytes(
        path.with_name("IM0002.dcm").read_bytes()))
    assert said == ("<file>: DICOM file was replaced since the folder was scanned (it is not the "
                    "image scanned) (open the folder again)")


def _rewrite(path, **values):
    import pydicom

    ds = pydicom.dcmread(path)
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    ds.save_as(path, enforce_file_format=True)


def test_the_same_instance_moved_is_said_so(tmp_path):
    said = _load_after(tmp_path, lambda path: _rewrite(path, ImagePositionPatient=[0, 0, 9]))
    assert said == ("<file>: DICOM file was replaced since the folder was scanned (its image lies "
                    "at (0, 0, 9) mm now, at (0, 0, 2) mm when scanned) (open the folder again)")


def test_the_same_image_stored_otherwise_is_said_so(tmp_path):
    said = _load_after(tmp_path, lambda path: _rewrite(path, RescaleSlope=2, RescaleIntercept=0))
    assert said == ("<file>: DICOM file changed since the folder was scanned (the same image, "
                    "stored otherwise now) (open the folder again)")


def test_the_same_image_written_again_loads_as_it_is_now(tmp_path):
    """A file touched or written again with the same image and header (a copy, a sync) is the
    image scanned: its pixels are read as they are now."""
    import numpy as np

    paths = write_raw_series(tmp_path / "series", n=4)
    before = scan(str(tmp_path / "series")).candidates[0].load().array.copy()
    result = scan(str(tmp_path / "series"))
    os.utime(paths[0], ns=(1, 1))
    data = bytearray(paths[1].read_bytes())
    data[-2:] = b"\x07\x00"   # its last pixel: 7 now
    paths[1].unlink()
    paths[1].write_bytes(bytes(data))   # another inode, another time
    volume = result.candidates[0].load()
    changed = np.argwhere(volume.array != before)
    assert len(changed) == 1 and volume.array[tuple(changed[0])] == 7


@pytest.mark.parametrize("change", ["cut", "replaced", "gone"])
def test_the_status_line_says_a_file_changed(tmp_path, change):
    """The window's status line (no path in it) said 'its DICOM files make no image' for a file
    cut or replaced since the scan, and 'a damaged file, or not an image' for one gone."""
    from neuroview.core.errors import short_reason

    paths = write_raw_series(tmp_path / "series", n=4)
    result = scan(str(tmp_path / "series"))
    if change == "cut":
        paths[1].write_bytes(paths[1].read_bytes()[:300])
    elif change == "replaced":
        paths[1].write_bytes(paths[2].read_bytes())
    else:
        os.remove(paths[1])
    with pytest.raises(NeuroviewError) as caught:
        result.candidates[0].load()
    assert short_reason(caught.value) == "a file was changed or removed since the folder was scanned"
