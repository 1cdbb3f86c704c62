"""A ``.nii.gz`` or ``.mgz`` whose gzip trailer does not match what its stream holds (the CRC-32
or the length written over, as a bad sector or a hostile file does) is one line naming the file.
The voxels were read up to what the header declares, short of the trailer: such a file converted
without a word (NRRD's reader already refused it), and one small enough that nibabel's first read
reached the trailer was `no NIfTI-1, NIfTI-2 or MGH header at its start` (session 41). A trailer
cut short still reads where every voxel inflates (``tests/cli/test_nifti_cut_short.py``)."""

from __future__ import annotations

import struct

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main
from neuroview.io.nifti import load_nifti

VOXELS = np.random.default_rng(0).integers(0, 30000, (32, 32, 16)).astype(np.int16)
"""Random: 22 kB compressed, more than the 8 kB gzip reads at once, so the header reads first."""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gz")
    nib.save(nib.Nifti1Image(VOXELS, np.eye(4)), folder / "big.nii.gz")
    nib.save(nib.Nifti1Image(VOXELS[:8, :8, :4], np.eye(4)), folder / "small.nii.gz")
    nib.save(nib.MGHImage(VOXELS, np.eye(4)), folder / "big.mgz")
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def _crc(data):
    return data[:-8] + b"\0\0\0\0" + data[-4:]


def _length(data):
    return data[:-4] + struct.pack("<I", 5)


def _cut(data):
    return data[:-8]


@pytest.mark.parametrize("name", ["big.nii.gz", "small.nii.gz", "big.mgz"])
@pytest.mark.parametrize("damage, said", [
    (_crc, "its checksum does not match: damaged"),
    (_length, "its length does not match the length its trailer records: damaged"),
])
def test_a_lying_or_missing_gzip_trailer_is_one_line(tmp_path, files, capsys, name, damage, said):
    path = tmp_path / name
    path.write_bytes(damage(files[name]))
    assert main(["convert", str(path), str(tmp_path / "out.nii.gz")]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"neuroview: error: {path}: compressed data is broken or truncated ({said})"
    assert not (tmp_path / "out.nii.gz").exists()


def test_a_small_file_cut_in_its_trailer_opens_in_info(tmp_path, files, capsys):
    """nibabel cannot tell its type (its first read reaches the cut), yet every voxel is there: it
    reads as a bigger file cut there does (it was "compressed data is broken or truncated (the
    stream ends before its end: cut short)" until session 41)."""
    path = tmp_path / "small.nii.gz"
    path.write_bytes(_cut(files["small.nii.gz"]))
    assert main(["info", str(path)]) == 0
    assert "8x8x4" in capsys.readouterr().out


@pytest.mark.parametrize("name, cut", [("big.nii.gz", False), ("small.nii.gz", False),
                                       ("big.mgz", False), ("big.nii.gz", True), ("big.mgz", True),
                                       ("small.nii.gz", True)])
def test_whole_gzip_files_still_load(tmp_path, files, name, cut):
    """Cut in its trailer, a file whose voxels all inflate reads (as in nibabel and ITK:
    ``tests/cli/test_nifti_cut_short.py``), also one too small for nibabel to sniff (above)."""
    path = tmp_path / name
    path.write_bytes(_cut(files[name]) if cut else files[name])
    want = VOXELS[:8, :8, :4] if name.startswith("small") else VOXELS
    assert np.array_equal(np.asarray(load_nifti(path).array), want)


@pytest.mark.parametrize("name", ["big.nii.gz", "big.mgz"])
@pytest.mark.parametrize("after", [bytes(512), b"not gzip, 21 bytes..."])
def test_bytes_after_a_whole_member_still_load(tmp_path, files, name, after):
    """Zeros padding the file (tapes, CDs) or bytes that are no gzip member after the last one
    (gunzip ignores them with a warning; nibabel never reads them) do not make the file damaged."""
    path = tmp_path / name
    path.write_bytes(files[name] + after)
    assert np.array_equal(np.asarray(load_nifti(path).array), VOXELS)
