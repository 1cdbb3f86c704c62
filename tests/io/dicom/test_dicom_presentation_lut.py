"""Presentation LUT Shape (2050,0020) INVERSE: the lowest value shown white (PS3.3 C.11.6.1), as
MONOCHROME1 asks. A radiograph that follows the standard says both (C.8.11.3: INVERSE "shall be
used if Photometric Interpretation is MONOCHROME1"): one inversion, not two, as pydicom's
``apply_presentation_lut`` and highdicom read it. The values stay as stored (dcm2niix ignores
the tag); the views draw the image inverted and a model reads it turned over.
"""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.pixels.processing import apply_presentation_lut
from quick_check import pydicom_record, quick_record
from series_maker import compare_in_world, run_dcm2niix

from neuroview.ai.segment import image_channels
from neuroview.io import load, scan

CLI_FORKED = "what `info` and `convert` print and write, not a process's start; no network runs"
TOP = 2000


def _copy(series, folder, change=lambda index, ds: None):
    folder.mkdir()
    for index, path in enumerate(sorted(series.files)):
        ds = pydicom.dcmread(path)
        change(index, ds)
        ds.save_as(folder / path.name, enforce_file_format=True)
    return folder


def _inverse(index, ds):
    """The twin stored turned over, said by the Presentation LUT Shape (still MONOCHROME2)."""
    ds.PixelData = (TOP - ds.pixel_array).astype(np.int16).tobytes()
    ds.PresentationLUTShape = "INVERSE"


@pytest.fixture(scope="module")
def plain(make_series):
    series = make_series("mono2", n_slices=8, rows=48, cols=40)
    return series, load(series.folder)


def test_an_inverse_series_is_shown_and_segmented_as_its_twin(plain, tmp_path, cli):
    series, twin = plain
    folder = _copy(series, tmp_path / "inverse", _inverse)
    (candidate,) = scan(folder).candidates
    volume = load(folder)
    assert candidate.display_inverted and volume.display_inverted and volume.warnings == []
    first = str(sorted(folder.iterdir())[0])   # read by neuroview's quick header reader
    assert quick_record(first) is not None and quick_record(first) == pydicom_record(first)
    np.testing.assert_array_equal(volume.array, TOP - twin.array)   # values as stored
    (seen,), _ = image_channels(volume)
    np.testing.assert_array_equal(seen, twin.array)   # a model reads the twin
    proc = cli("info", folder)
    assert "shown inverted (MONOCHROME1 or Presentation LUT Shape INVERSE" in proc.stdout
    # convert writes the values as stored, as dcm2niix does (it ignores the tag)
    (reference,) = run_dcm2niix(folder, tmp_path / "dcm2niix")
    reference = nib.load(reference)
    proc = cli("convert", folder, tmp_path / "out.nii.gz")
    assert proc.returncode == 0, proc.stderr
    assert "written with the values as stored" in proc.stderr   # and said so
    written = nib.load(tmp_path / "out.nii.gz")
    compare_in_world(written.get_fdata(), written.affine, reference.get_fdata(), reference.affine)


def test_monochrome1_with_inverse_is_inverted_once(plain, tmp_path):
    series, twin = plain

    def both(index, ds):
        _inverse(index, ds)
        ds.PhotometricInterpretation = "MONOCHROME1"

    volume = load(_copy(series, tmp_path / "both", both))
    assert volume.display_inverted
    np.testing.assert_array_equal(volume.frame_as_shown(), twin.array)


def test_identity_changes_nothing(plain, tmp_path):
    series, twin = plain
    volume = load(_copy(series, tmp_path / "identity",
                        lambda index, ds: setattr(ds, "PresentationLUTShape", "IDENTITY")))
    assert not volume.display_inverted
    np.testing.assert_array_equal(volume.array, twin.array)


def test_a_series_partly_inverse_is_shown_as_most_of_it_with_a_note(plain, tmp_path):
    series, _ = plain
    folder = _copy(series, tmp_path / "mixed",
                   lambda index, ds: _inverse(index, ds) if index >= 2 else None)
    (candidate,) = scan(folder).candidates
    assert candidate.display_inverted
    (note,) = [w for w in candidate.warnings if "INVERSE" in w]
    assert note.startswith("6 of 8 images ask to be shown inverted")
    assert "all shown inverted" in note


def test_pydicom_enhanced_mr_said_inverse(tmp_path):
    path = get_testdata_file("emri_small.dcm")   # MONOCHROME2, IDENTITY, 10 frames
    ds = pydicom.dcmread(path)
    assert ds.PresentationLUTShape == "IDENTITY"
    ds.PresentationLUTShape = "INVERSE"
    ds.save_as(tmp_path / "inverse.dcm", enforce_file_format=True)
    original, inverse = load(path), load(tmp_path / "inverse.dcm")
    assert not original.display_inverted and inverse.display_inverted
    np.testing.assert_array_equal(inverse.array, original.array)
    # the model input is what pydicom's presentation LUT gives (its maximum, minus the value)
    turned = apply_presentation_lut(ds.pixel_array, ds)
    assert sorted(inverse.frame_as_shown().ravel()) == sorted(turned.ravel())


def test_pydicom_radiograph_said_monochrome1_and_inverse(tmp_path):
    path = get_testdata_file("RG3_UNCR.dcm")
    if path is None:
        pytest.skip("pydicom-data's RG3_UNCR.dcm is not installed")
    ds = pydicom.dcmread(path)
    ds.PresentationLUTShape = "INVERSE"   # the pair the DX module asks for
    ds.save_as(tmp_path / "rg3.dcm", enforce_file_format=True)
    volume = load(tmp_path / "rg3.dcm")
    assert volume.display_inverted
    np.testing.assert_array_equal(volume.frame_as_shown()[:, :, 0],
                                  apply_presentation_lut(ds.pixel_array, ds).T)
