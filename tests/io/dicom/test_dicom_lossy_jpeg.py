"""Lossy JPEG (baseline) decoded as GDCM and DCMTK decode it.

JPEG lets decoders round the inverse DCT, chroma upsampling and colour conversion their own way.
Since GDCM moved last (a child process, for damaged files that end a process), pylibjpeg-libjpeg
decoded these files first and differed by 1-2 levels on up to 2,550 of 30,000 samples from
DCMTK's decoded copies; Pillow (libjpeg-turbo) decodes them as GDCM and DCMTK do.
"""

from __future__ import annotations

import shutil

import nibabel as nib
import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import load

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

# pydicom's JPEG baseline files made by DCMTK, and pydicom-data's copies of them decompressed by
# DCMTK (dcmdjpeg): RGB kept as RGB, YCbCr 4:4:4 and YCbCr 4:2:2 (pydicom's test pairs)
DCMTK_PAIRS = [
    ("SC_rgb_dcmtk_+eb+cr.dcm", "SC_rgb_dcmtk_ebcr_dcmd.dcm"),
    ("SC_rgb_dcmtk_+eb+cy+n1.dcm", "SC_rgb_dcmtk_ebcyn1_dcmd.dcm"),
    ("SC_rgb_dcmtk_+eb+cy+np.dcm", "SC_rgb_dcmtk_ebcynp_dcmd.dcm"),
]


@pytest.mark.parametrize("name, decoded", DCMTK_PAIRS)
def test_lossy_jpeg_voxels_equal_dcmtks_decoded_copy(name, decoded):
    volume = load(get_testdata_file(name))
    expected = pydicom.dcmread(get_testdata_file(decoded)).pixel_array  # rows x columns x RGB
    assert volume.axis4 == "channel" and volume.array.shape == (100, 100, 1, 3)
    np.testing.assert_array_equal(volume.array[:, :, 0, :], expected.transpose(1, 0, 2))


def test_lossy_jpeg_converts_to_dcm2niixs_voxels(cli, tmp_path):
    """The file the DICOM sweep (bench/dicom_sweep.py) found moved from same to differ: every
    sample of neuroview's NIfTI equals dcm2niix's at the same RAS position."""
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(get_testdata_file("SC_rgb_dcmtk_+eb+cr.dcm"), source / "image.dcm")
    proc = cli("convert", source, tmp_path / "nv", "--no-gzip")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (ours,) = sorted((tmp_path / "nv").glob("*.nii"))
    (theirs,) = run_dcm2niix(source, tmp_path / "d2n")
    ours, theirs = nib.load(ours), nib.load(theirs)
    ours_rgb = np.asarray(ours.dataobj)  # neuroview: x, y, 1, channel
    raw = np.asarray(theirs.dataobj)  # dcm2niix: RGB24, one structured value per voxel
    theirs_rgb = np.stack([raw[c] for c in theirs.get_data_dtype().names], -1)
    assert ours_rgb.shape == theirs_rgb.shape == (100, 100, 1, 3)
    for channel in range(3):
        compare_in_world(ours_rgb[..., channel].astype(float), ours.affine,
                         theirs_rgb[..., channel].astype(float), theirs.affine, rtol=0, atol=0)
