"""A header value is never quoted in an error line: a DICOM SEG, a series or a SEG's source
series whose number, code or UID element holds a patient's name is refused in one line naming
the file and the element (``the SEG's PixelSpacing (shared) does not hold numbers``); pydicom's,
highdicom's and Python's words that quoted the value (``could not convert string to float:
'...'``, ``PhotometricInterpretation 'Doe^Jane'``) are said without it, on the terminal and in
the log."""

from __future__ import annotations

import logging

import numpy as np
import pydicom
import pytest

from neuroview.cli import main as cli_main
from neuroview.core.errors import DicomError, SaveError
from neuroview.core.labels import LabelMap
from neuroview.core.named_paths import logged_traceback
from neuroview.io import load
from neuroview.io.seg import read_series_headers, save_seg
from tests.checkout import run_cli
from tests.dataset.fake_dicom import make_ct_series
from tests.private_values import MARKER, put_text, series_with_text
from tests.private_warnings import private_warnings  # noqa: F401


def _labels(volume) -> LabelMap:
    mask = np.zeros(volume.shape, np.uint8)
    mask[3:7, 3:6, 1] = 1
    labels = LabelMap(mask, volume.ijk_to_ras)
    labels.segments.add("lesion", value=1)
    return labels


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A clean series, SEGs of it with a name in a number element, and an RLE series with a
    name as its PhotometricInterpretation."""
    root = tmp_path_factory.mktemp("hostile")
    make_ct_series(root / "series", shape=(12, 10, 3))
    seg = root / "clean-seg.dcm"
    save_seg(_labels(load(root / "series")), read_series_headers([root / "series"]), seg)
    for name, edit in {
        "spacing": lambda ds: put_text(ds.SharedFunctionalGroupsSequence[0]
                                       .PixelMeasuresSequence[0], "PixelSpacing"),
        "position": lambda ds: put_text(ds.PerFrameFunctionalGroupsSequence[0]
                                        .PlanePositionSequence[0], "ImagePositionPatient"),
        "frames": lambda ds: put_text(ds, "NumberOfFrames"),
    }.items():
        ds = pydicom.dcmread(seg)
        edit(ds)
        ds.save_as(root / f"{name}-seg.dcm")
    series_with_text(root / "photometric", "PhotometricInterpretation", compress=True)
    return root


@pytest.mark.parametrize("seg, said", [
    ("spacing", "spacing-seg.dcm: the SEG's PixelSpacing (shared) does not hold numbers"),
    ("position", "position-seg.dcm: the SEG's ImagePositionPatient (frame 1) does not hold numbers"),
    ("frames", "frames-seg.dcm: the SEG's NumberOfFrames is not a whole number"),
])
def test_a_seg_holding_a_name_in_a_number_is_refused_naming_the_element(hostile, seg, said):
    run = run_cli("convert", hostile / "series", hostile / f"out-{seg}.nii.gz",
                  "--labels", hostile / f"{seg}-seg.dcm")
    assert run.returncode == 1
    assert said in run.stderr and "value not shown" in run.stderr
    assert MARKER not in run.stderr + run.stdout


def test_a_series_holding_a_name_as_its_photometric_is_refused_naming_it(hostile):
    run = run_cli("convert", hostile / "photometric", hostile / "out.nii.gz")
    assert run.returncode == 1
    assert "IM0000.dcm: DICOM header does not describe its pixels: PhotometricInterpretation " \
           "not a value DICOM defines, value not shown" in run.stderr
    assert MARKER not in run.stderr + run.stdout


@pytest.mark.parametrize("keyword, said", [
    ("SliceThickness", "cannot build a DICOM SEG from this series (SliceThickness of IM0000.dcm "
                       "is not a number (value not shown))"),
    ("PixelSpacing", "IM0000.dcm: the source image's PixelSpacing is not 2 numbers"),
    ("ImageOrientationPatient", "IM0000.dcm: the source image's ImageOrientationPatient is not 6 "
                                "numbers"),
])
@pytest.mark.usefixtures("private_warnings")
def test_a_seg_of_a_series_holding_a_name_in_a_number_names_the_element(tmp_path, keyword, said,
                                                                        caplog, capsys):
    files = series_with_text(tmp_path / "series", keyword)
    volume = load(tmp_path / "series")
    with caplog.at_level(logging.DEBUG), pytest.raises((SaveError, DicomError)) as refused:
        save_seg(_labels(volume), read_series_headers(files), tmp_path / "seg.dcm")
    assert said in str(refused.value)
    assert MARKER not in str(refused.value) + caplog.text + capsys.readouterr().err
    assert not (tmp_path / "seg.dcm").exists()


def test_an_internal_error_quoting_a_value_is_said_and_logged_without_it(monkeypatch, capsys):
    def run(argv, *rest):
        return float(MARKER)   # as a DS holding a name reaches float() in a library

    monkeypatch.setattr(cli_main, "_run", run)
    assert cli_main.main(["info", "x"]) == 1
    said = capsys.readouterr().err
    assert said.startswith("neuroview: internal error: ValueError: could not convert string to "
                           "float (value not shown)")
    assert MARKER not in said
    try:
        run([])
    except ValueError as error:
        logged = logged_traceback(error)
    assert "ValueError: could not convert string to float (value not shown)" in logged
    assert MARKER not in logged


def test_a_transfer_syntax_holding_a_name_is_not_quoted(tmp_path):
    make_ct_series(tmp_path / "series", shape=(12, 10, 3))
    file = tmp_path / "series" / "IM0000.dcm"
    ds = pydicom.dcmread(file)
    ds.file_meta.TransferSyntaxUID = MARKER
    pydicom.dcmwrite(file, ds, enforce_file_format=False)
    run = run_cli("convert", file, tmp_path / "out.nii.gz")
    assert run.returncode == 1
    assert run.stderr.startswith(f"neuroview: error: {file}: DICOM file declares transfer syntax "
                                 "(not a UID, value not shown), which is not a known transfer")
    assert MARKER not in run.stderr + run.stdout
