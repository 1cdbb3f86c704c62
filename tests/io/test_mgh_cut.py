"""An uncompressed ``.mgh`` cut inside its 284-byte header is one line naming the file. Cut
before byte 110 (the end of the fields nibabel reads) it was `internal error: TypeError: buffer
is too small for requested array` in ``info``, ``convert`` and the window (``bench/fuzz_readers.py
--only mgh``, session 39); a ``.mgz`` cut there was already refused."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main
from neuroview.core.errors import CorruptFileError
from neuroview.io.nifti import load_nifti


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    path = tmp_path_factory.mktemp("mgh") / "whole.mgh"
    nib.save(nib.MGHImage(np.arange(4 * 5 * 6, dtype=np.int16).reshape(4, 5, 6), np.eye(4)), path)
    return path.read_bytes()


@pytest.mark.parametrize("cut", [1, 30, 109, 200, 283])
def test_an_mgh_cut_inside_its_header_is_named(tmp_path, whole, cut):
    path = tmp_path / "brain.mgh"
    path.write_bytes(whole[:cut])
    with pytest.raises(CorruptFileError) as caught:
        load_nifti(path)
    assert str(caught.value) == (f"{path}: file is truncated: it ends at byte {cut}, inside its "
                                 "284-byte MGH header")


def test_info_on_a_cut_mgh_says_one_line(tmp_path, whole, capsys):
    path = tmp_path / "brain.mgh"
    path.write_bytes(whole[:30])
    assert main(["info", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"neuroview: error: {path}: file is truncated: it ends at byte 30, inside its "
                   "284-byte MGH header")


def test_a_whole_mgh_still_loads(tmp_path, whole):
    path = tmp_path / "brain.mgh"
    path.write_bytes(whole)
    volume = load_nifti(path)
    assert np.array_equal(volume.array, np.arange(120, dtype=np.int16).reshape(4, 5, 6))


@pytest.mark.parametrize("axis, count", [(0, -2147483648), (3, -1), (1, 0)])
def test_an_mgh_of_dimensions_below_one_is_named(tmp_path, whole, capsys, axis, count):
    """A negative count made nibabel seek before the file's start for its footer: `invalid
    header ([Errno 22] Invalid argument)`; 0 was nibabel's `Dimensions of the data should be
    non-zero`."""
    dims = [4, 5, 6, 1]
    dims[axis] = count
    path = tmp_path / "brain.mgh"
    path.write_bytes(whole[:4] + np.array(dims, ">i4").tobytes() + whole[20:])
    for argv in (["info", str(path)], ["convert", str(path), str(tmp_path / "out") + "/"]):
        assert main(argv) == 1
        assert capsys.readouterr().err.strip() == (
            f"neuroview: error: {path}: header declares dimensions ({', '.join(map(str, dims))}): "
            "each must be at least 1")


@pytest.mark.parametrize("cut", [90, 110, 200, None])
def test_an_mgz_of_zero_slices_is_named_as_a_nii_is(tmp_path, whole, capsys, cut):
    """A .mgz whose header says 0 slices, whole or cut inside its 284-byte header: the .nii's
    words, 'header declares dimensions (...): each must be at least 1'. Cut, it was nibabel's
    'invalid header (Dimensions of the data should be non-zero)' until session 41."""
    import gzip

    dims = np.array([4, 5, 0, 1], ">i4").tobytes()
    path = tmp_path / "brain.mgz"
    path.write_bytes(gzip.compress((whole[:4] + dims + whole[20:])[:cut]))
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {path}: header declares dimensions (4, 5, 0, 1): each must be at least 1")


def test_an_mgh_declaring_petabytes_is_named(tmp_path, whole, capsys):
    """100000^3 floats: nibabel's seek to the footer past them (4e15 bytes, past what a file
    system allows) was `invalid header ([Errno 22] Invalid argument)` (session 41)."""
    path = tmp_path / "brain.mgh"
    path.write_bytes(whole[:4] + np.array([100000, 100000, 100000, 1], ">i4").tobytes() + whole[20:])
    held = len(whole) - 284
    for argv in (["info", str(path)], ["convert", str(path), str(tmp_path / "out") + "/"]):
        assert main(argv) == 1
        assert capsys.readouterr().err.strip() == (
            f"neuroview: error: {path}: file is truncated: the header declares 1862645.1 GB of "
            f"voxels (100000x100000x100000), the file holds {held} bytes")
