"""An MGH whose dimensions are smaller than its data (2x10x6 declared over 12x10x6 voxels) is
refused in one line: nibabel took the voxels past the declared ones as the footer (TR, flip angle,
TE, TI, FoV) and the image was read cut to 2x10x6 with exit 0 (``bench/fuzz_readers.py``,
session 39). A FreeSurfer footer with its tags (nibabel's ``test.mgz``) still reads."""

from __future__ import annotations

import gzip
import os
import struct

import nibabel as nib
import numpy as np
import pytest
from nibabel.testing import data_path

from neuroview.core.errors import CorruptFileError
from neuroview.io.nifti import load_nifti


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
