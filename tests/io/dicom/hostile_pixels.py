"""Hostile image files whose pixels cannot be read, made from pydicom's own test files (a frame
cut short, a file cut inside its compressed pixel data, a deflated dataset cut short, pixel data
under another transfer syntax, read by the fast path or by pydicom) and a NIfTI whose
``vox_offset`` is beyond its file, a byte short of it, or inside its header; each with the reason
neuroview gives (``PATH: REASON``). Shared by the reader's tests and the window's
(``tests/ui/test_hostile_pixels_window.py``)."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pydicom
from damage import _with_syntax
from pydicom.data import get_testdata_file
from pydicom.encaps import encapsulate, generate_frames

J2K, JPEG_LS, RLE, JPEG = ("MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm",
                           "MR_small_RLE.dcm", "JPEG-LL.dcm")


def frame_cut(source: str):
    """The file with its one frame cut to its first half (the fragment's length made to fit, as
    a PACS that stored half a stream writes it)."""
    def make(path: Path) -> None:
        ds = pydicom.dcmread(get_testdata_file(source))
        frame = bytes(next(generate_frames(ds.PixelData, number_of_frames=1)))
        ds.PixelData = encapsulate([frame[:len(frame) // 2]])
        ds.save_as(path)
    return make


def file_cut(source: str, keep: float = 0.9):
    """The file's bytes cut at ``keep`` of its length (inside its pixel data)."""
    def make(path: Path) -> None:
        data = Path(get_testdata_file(source)).read_bytes()
        path.write_bytes(data[:int(len(data) * keep)])
    return make


def relabelled(source: str, syntax: str):
    """The file's dataset under a meta header that names another transfer syntax."""
    def make(path: Path) -> None:
        path.write_bytes(_with_syntax(Path(get_testdata_file(source)).read_bytes(), syntax))
    return make


def twelve_bit(source: str, syntax: str):
    """The file with 12 of its 16 bits stored (as a CT's: pydicom reads such pixels, not the
    fast path), under a meta header that names ``syntax``."""
    def make(path: Path) -> None:
        ds = pydicom.dcmread(get_testdata_file(source))
        ds.BitsStored, ds.HighBit = 12, 11
        ds.save_as(path)
        path.write_bytes(_with_syntax(path.read_bytes(), syntax))
    return make


def nifti_offset(offset: float, gz: bool):
    """A 10^3 int16 NIfTI-1 (2352 bytes) whose ``vox_offset`` is set to ``offset``."""
    def make(path: Path) -> None:
        import nibabel as nib

        image = nib.Nifti1Image(np.arange(1000, dtype=np.int16).reshape(10, 10, 10), np.eye(4))
        data = bytearray(image.header.binaryblock + b"\0" * 4 + image.get_fdata().astype(
            np.int16).tobytes(order="F"))
        struct.pack_into("<f", data, 108, offset)
        path.write_bytes(gzip.compress(bytes(data)) if gz else bytes(data))
    return make


HOSTILE = {
    "j2k_frame_cut.dcm": (frame_cut(J2K), "cannot decode pixel data (the JPEG 2000 data are cut "
                                          "short or damaged)"),
    "rle_frame_cut.dcm": (frame_cut(RLE), "cannot decode pixel data (the RLE data are cut short or "
                                          "damaged)"),
    "jpegls_frame_cut.dcm": (frame_cut(JPEG_LS), "cannot decode pixel data (the JPEG-LS frame "
                             "ends without its end-of-image marker: cut short or damaged)"),
    "jpeg_file_cut.dcm": (file_cut(JPEG), "DICOM file is truncated (it ends inside its compressed "
                                          "pixel data)"),
    "deflate_file_cut.dcm": (file_cut("image_dfl.dcm"), "DICOM file is damaged (its deflated "
                                                        "dataset is cut short)"),
    "native_as_jpegls.dcm": (relabelled("MR_small.dcm", "1.2.840.10008.1.2.4.80"),
                             "cannot decode pixel data (the pixel data are not in the fragments "
                             "JPEG-LS data are kept in: a wrong transfer syntax in the header, or "
                             "damaged)"),
    "j2k_as_native.dcm": (relabelled(J2K, "1.2.840.10008.1.2.1"),
                          "the pixel data are compressed (in fragments) where the header's "
                          "transfer syntax says uncompressed: a wrong transfer syntax"),
    "j2k_as_native_12_bit.dcm": (twelve_bit(J2K, "1.2.840.10008.1.2.1"),
                                 "the pixel data are compressed (in fragments) where the header's "
                                 "transfer syntax says uncompressed: a wrong transfer syntax"),
    "offset_beyond.nii": (nifti_offset(100000.0, False), "header puts the voxels at byte 100000, "
                                                         "past the end of the file (2352 bytes)"),
    "offset_beyond.nii.gz": (nifti_offset(100000.0, True), "header puts the voxels at byte 100000, "
                             "past the end of the file's data (2352 bytes inflated)"),
    "offset_one_short.nii": (nifti_offset(353.0, False), "file is truncated: the header "
                             "declares 2000 bytes of voxels (10x10x10), the file holds 1999 bytes"),
    "offset_negative.nii.gz": (nifti_offset(-352.0, True), "header puts the voxels at byte -352, "
                               "before the end of its 352-byte header (damaged header)"),
}
"""{file name: (maker, the reason neuroview gives)}."""


def make_hostile(folder: Path, name: str) -> tuple[Path, str]:
    """The hostile file ``name`` of :data:`HOSTILE` made in ``folder``: (path, its line)."""
    make, reason = HOSTILE[name]
    path = folder / name
    make(path)
    return path, f"{path}: {reason}"
