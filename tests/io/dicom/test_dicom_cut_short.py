"""A compressed file cut short by its pixel data's sequence delimiter (the last 8 bytes, every
frame whole): pydicom's ``emri_small_jpeg_2k_lossless_too_short.dcm``, read as dcm2niix reads
it. pydicom reads it as an empty dataset and neuroview refused it ('holds no readable data
elements'); a file cut inside a frame is still refused."""

from __future__ import annotations

import copy
import shutil

import nibabel as nib
import numpy as np
import pytest
from pydicom.data import get_testdata_file
from series_maker import run_dcm2niix

from neuroview.core.errors import NeuroviewError
from neuroview.io import load, scan
from neuroview.io.dicom.scan import read_file

CUT = "emri_small_jpeg_2k_lossless_too_short.dcm"


@pytest.fixture(scope="module")
def cut_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cut") / "in"
    folder.mkdir()
    shutil.copy(get_testdata_file(CUT), folder / CUT)
    return folder


def test_every_frame_is_read_as_from_the_whole_file(cut_folder):
    result = scan(cut_folder)
    (candidate,) = result.candidates
    volume = candidate.load()
    whole = load(get_testdata_file("emri_small_jpeg_2k_lossless.dcm"))
    assert volume.shape == whole.shape == (64, 64, 10)
    np.testing.assert_array_equal(volume.array, whole.array)
    np.testing.assert_allclose(volume.ijk_to_ras, whole.ijk_to_ras)
    # one of the series' warnings (info, convert, the window's notice bar), not a scan note
    assert not result.notes
    (note,) = [w for w in candidate.warnings if "delimiter" in w]
    assert note.startswith(str(cut_folder / CUT)) and "without their delimiter" in note
    assert note in volume.warnings


def test_the_voxels_are_dcm2niixs(cut_folder, tmp_path):
    (output,) = run_dcm2niix(cut_folder, tmp_path / "out")
    volume = load(cut_folder)
    # the same frames in the same order; dcm2niix's affine runs the rows the other way on an
    # image without position (README: 'Enhanced MR without plane positions')
    np.testing.assert_array_equal(volume.array, nib.load(output).get_fdata())


def test_a_worker_reads_the_file_again_with_its_frames(cut_folder):
    """A header sent back from a scan's worker process parses the file again."""
    frame = read_file(str(cut_folder / CUT)).frames[3]
    again = copy.copy(frame.header)  # what a worker sends: the path, not the dataset
    assert again.ds is None
    assert int(again.dataset().NumberOfFrames) == 10
    assert again.dataset().pixel_array.shape == (10, 64, 64)


def test_a_file_cut_inside_a_frame_is_refused_naming_it(tmp_path):
    data = open(get_testdata_file(CUT), "rb").read()
    path = tmp_path / "cut_in_frame.dcm"
    path.write_bytes(data[:-100])
    with pytest.raises(NeuroviewError, match="cut_in_frame.dcm"):
        load(path)
