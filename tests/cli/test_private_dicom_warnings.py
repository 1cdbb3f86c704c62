"""A series whose birth date, patient name and frame of reference UID are invalid DICOM values
still converts, and nothing said on the terminal or logged quotes them: pydicom's warnings (a SEG
made of the series had ``Invalid value for VR UI: '1.2.840.99.abc'`` printed) name the file and
the attribute instead."""

from __future__ import annotations

import logging
import warnings

import nibabel as nib
import numpy as np
import pydicom

from neuroview.core.labels import LabelMap
from neuroview.io import load
from neuroview.io.seg import read_series_headers, save_seg
from tests.checkout import run_cli
from tests.dataset.fake_dicom import make_ct_series
from tests.private_warnings import SAID_NEVER, private_warnings, with_bad_values  # noqa: F401


def _bad_series(folder):
    _datasets, array, _ijk_to_ras = make_ct_series(folder, shape=(12, 10, 3))
    files = sorted(folder.glob("*.dcm"))
    with_bad_values(files)
    return files, array


def test_convert_loads_the_series_and_says_no_value(tmp_path):
    _files, array = _bad_series(tmp_path / "series")
    run = run_cli("convert", tmp_path / "series", tmp_path / "out.nii.gz")
    assert run.returncode == 0, run.stderr
    assert np.array_equal(np.asarray(nib.load(tmp_path / "out.nii.gz").dataobj), array)
    for private in SAID_NEVER:
        assert private not in run.stderr and private not in run.stdout


def test_a_seg_of_the_series_names_the_attribute_not_the_value(tmp_path, private_warnings,  # noqa: F811
                                                              caplog, capsys):
    files, _array = _bad_series(tmp_path / "series")
    volume = load(tmp_path / "series")
    mask = np.zeros(volume.shape, np.uint8)
    mask[3:7, 3:6, 1] = 1
    labels = LabelMap(mask, volume.ijk_to_ras)
    labels.segments.add("lesion", value=1)
    with caplog.at_level(logging.WARNING), warnings.catch_warnings():
        warnings.simplefilter("always")
        save_seg(labels, read_series_headers(files), tmp_path / "seg.dcm")
    seg = pydicom.dcmread(tmp_path / "seg.dcm")   # written, and whole
    assert seg.Modality == "SEG" and len(seg.SegmentSequence) == 1
    said = capsys.readouterr().err
    assert "FrameOfReferenceUID: Invalid value for VR UI (value not shown)" in said
    assert ": PatientName: The PN component length" in said   # the file named before the keyword
    for private in SAID_NEVER:
        assert private not in said and private not in caplog.text
