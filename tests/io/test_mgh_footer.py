"""An MGH whose dimensions are smaller than its data (2x10x6 declared over 12x10x6 voxels) is
refused in one line: nibabel took the voxels past the declared ones as the footer (TR, flip angle,
TE, TI, FoV) and the image was read cut to 2x10x6 with exit 0 (``bench/fuzz_readers.py``,
session 39). A FreeSurfer footer with its tags (nibabel's ``test.mgz``) still reads.

``neuroview info`` gives the loader's line for a ``.mgz`` too (it listed the file, 2x10x6, until
session 40), inflating nothing past the header where the gzip trailer's length leaves less than a
face of the image after the voxels; a face of zero voxels (a background slice) after the declared
ones, read as a footer of zeros ended by a tag 0, is refused on both routes."""

from __future__ import annotations

import gzip
import os
import struct

import nibabel as nib
import numpy as np
import pytest
from nibabel.testing import data_path

from neuroview.cli.main import main
from neuroview.core.errors import CorruptFileError
from neuroview.io.mgz_footer import footer_error
from neuroview.io.nifti import load_nifti
from tests.io.inflated_bytes import count_inflated


@pytest.fixture(scope="module")
def declared_small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mgh")
    voxels = np.random.default_rng(0).integers(0, 1000, (12, 10, 6)).astype(np.int16)
    nib.save(nib.MGHImage(voxels, np.eye(4)), folder / "whole.mgh")
    data = bytearray((folder / "whole.mgh").read_bytes())
    struct.pack_into(">i", data, 4, 2)   # dims[0]: 12 -> 2
    (folder / "small.mgh").write_bytes(data)
    (folder / "small.mgz").write_bytes(gzip.compress(bytes(data)))
    return folder


@pytest.mark.parametrize("name", ["small.mgh", "small.mgz"])
def test_dimensions_smaller_than_the_data_are_refused(declared_small, name):
    path = declared_small / name
    with pytest.raises(CorruptFileError) as caught:
        load_nifti(path)
    assert str(caught.value) == (
        f"{path}: 1220 bytes follow the 2x10x6 voxels its header declares and are no MGH footer "
        "(its TR would be 1.85e-37): the header's dimensions are smaller than its data "
        "(damaged header)")


def test_a_freesurfer_footer_with_its_tags_still_reads():
    path = os.path.join(data_path, "test.mgz")   # tags 41 (phase direction), 42, ... after TR
    volume, img = load_nifti(path), nib.load(path)
    assert np.array_equal(np.squeeze(volume.array), np.squeeze(np.asanyarray(img.dataobj)))


def _info(path, capsys):
    code = main(["info", str(path)])
    out, err = capsys.readouterr()
    return code, out, err.strip().splitlines()


def test_info_says_the_loaders_line(declared_small, capsys):
    path = declared_small / "small.mgz"
    with pytest.raises(CorruptFileError) as caught:
        load_nifti(path)
    code, out, errors = _info(path, capsys)
    assert (code, out, errors) == (1, "", [f"neuroview: error: {caught.value}"])


def test_a_background_face_past_the_declared_dimensions_is_refused(tmp_path, capsys):
    voxels = np.zeros((48, 48, 20), np.uint8)
    voxels[8:40, 8:40, 2:18] = np.random.default_rng(1).integers(1, 255, (32, 32, 16))
    nib.save(nib.MGHImage(voxels, np.eye(4)), tmp_path / "whole.mgz")
    data = bytearray(gzip.decompress((tmp_path / "whole.mgz").read_bytes()))
    struct.pack_into(">i", data, 12, 19)   # dims[2]: 20 -> 19, its last slice all zeros
    path = tmp_path / "lowered.mgz"
    path.write_bytes(gzip.compress(bytes(data)))
    with pytest.raises(CorruptFileError) as caught:
        load_nifti(path)
    assert str(caught.value) == (
        f"{path}: 2324 bytes follow the 48x48x19 voxels its header declares and are no MGH footer "
        "(its tags end at byte 20 (a tag 0) and 2300 bytes follow): the header's dimensions "
        "are smaller than its data (damaged header)")
    assert _info(path, capsys) == (1, "", [f"neuroview: error: {caught.value}"])


@pytest.fixture
def inflated(monkeypatch):
    import zlib

    from isal import isal_zlib

    return count_inflated(monkeypatch, zlib, isal_zlib)


def test_the_footer_check_inflates_nothing_where_the_trailer_leaves_less_than_a_face(
        tmp_path, inflated):
    """(``info`` itself inflates up to the centre slice of a 3D image to tell a CT by its values:
    the footer's check adds nothing to that.)"""
    voxels = np.random.default_rng(2).integers(0, 255, (64, 64, 64)).astype(np.uint8)
    img = nib.MGHImage(voxels, np.eye(4))
    img.header["tr"] = 2300.0
    nib.save(img, tmp_path / "t1.mgz")
    assert footer_error(str(tmp_path / "t1.mgz"), (64, 64, 64), 1, 284) is None
    assert inflated[0] == 0


def test_info_lists_a_freesurfer_footer_larger_than_a_face(capsys, inflated):
    path = os.path.join(data_path, "test.mgz")   # 3x4x5x2 floats, then 22 kB of tags
    code, out, errors = _info(path, capsys)
    assert (code, errors) == (0, []) and "3x4x5x2" in out
    assert inflated[0] > 22_000   # the footer was read
