"""Bad input: one line naming the file and the problem, a non-zero exit, never a traceback."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file

from neuroview.core.errors import CorruptFileError, LoadError, NoImageFoundError
from neuroview.io import load, scan


def _zero_byte(folder):
    path = folder / "empty.dcm"
    path.write_bytes(b"")
    return path, "file is empty (0 bytes)"


def _random_bytes(folder):
    path = folder / "noise.dcm"
    path.write_bytes(np.random.default_rng(1).bytes(4096))
    return path, "not a DICOM, NIfTI, MGH or NRRD file"


def _truncated_dicom(folder):
    path = folder / "truncated.dcm"
    data = open(get_testdata_file("CT_small.dcm"), "rb").read()
    path.write_bytes(data[: len(data) // 2])
    return path, "truncated"


def _truncated_compressed_dicom(folder):
    path = folder / "truncated_j2k.dcm"
    data = open(get_testdata_file("693_J2KR.dcm"), "rb").read()
    path.write_bytes(data[: len(data) - 5000])
    return path, "truncated"


def _dicom_without_pixels(folder):
    path = folder / "nopixels.dcm"
    ds = pydicom.dcmread(get_testdata_file("MR_small.dcm"))
    del ds.PixelData
    ds.save_as(path)
    return path, "DICOM image has no pixel data"


def _corrupt_nifti_header(folder):
    path = folder / "broken.nii"
    path.write_bytes(b"\x5c\x01\x00\x00" + b"\xff" * 348)
    return path, "broken.nii"


def _gzip_of_garbage(folder):
    path = folder / "garbage.nii.gz"
    path.write_bytes(gzip.compress(np.random.default_rng(2).bytes(2000)))
    return path, "garbage.nii.gz"


def _broken_gzip(folder):
    path = folder / "cut.nii.gz"
    path.write_bytes(gzip.compress(b"\x00" * 5000)[:40])
    return path, "cut.nii.gz"


def _empty_folder(folder):
    path = folder / "nothing"
    path.mkdir()
    return path, "folder is empty"


def _folder_of_non_images(folder):
    path = folder / "reports"
    path.mkdir()
    shutil.copy(get_testdata_file("reportsi.dcm"), path / "sr.dcm")
    return path, "SR structured report is not an image"


CORPUS = {f.__name__[1:]: f for f in (
    _zero_byte, _random_bytes, _truncated_dicom, _truncated_compressed_dicom,
    _dicom_without_pixels, _corrupt_nifti_header, _gzip_of_garbage, _broken_gzip,
    _empty_folder, _folder_of_non_images)}


@pytest.mark.parametrize("case", list(CORPUS))
def test_api_raises_a_load_error_naming_the_file(case, tmp_path):
    path, reason = CORPUS[case](tmp_path)
    with pytest.raises(LoadError) as info:
        load(path)
    message = str(info.value)
    assert str(path) in message and reason in message and "\n" not in message


@pytest.mark.parametrize("case", ["zero_byte", "random_bytes", "truncated_dicom",
                                  "dicom_without_pixels", "gzip_of_garbage", "empty_folder"])
def test_cli_prints_one_line_and_exits_non_zero(case, tmp_path, cli):
    path, reason = CORPUS[case](tmp_path)
    proc = cli("info", path)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("neuroview: error: ") and str(path) in lines[0] and reason in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout


def test_bad_files_beside_a_good_series_are_notes(tmp_path, make_series):
    series = make_series("with-bad-neighbours", n_slices=6)
    shutil.copytree(series.folder, tmp_path / "study")
    _, _ = _zero_byte(tmp_path / "study")
    _, _ = _truncated_dicom(tmp_path / "study")
    _, _ = _random_bytes(tmp_path / "study")
    result = scan(tmp_path / "study")
    assert len(result.candidates) == 1 and result.candidates[0].shape[2] == 6
    reasons = sorted(n.split(": ", 1)[-1] for n in result.notes)
    assert [r.split(" (")[0] for r in reasons] == [
        "DICOM file is truncated", "file is empty", "not a DICOM file"], reasons


def test_truncated_slice_in_a_series_fails_on_load_with_its_name(tmp_path, make_series):
    series = make_series("bad-slice", n_slices=6)
    shutil.copytree(series.folder, tmp_path / "s")
    victim = tmp_path / "s" / series.files[2].name
    candidate = scan(tmp_path / "s").candidates[0]
    data = victim.read_bytes()
    victim.write_bytes(data[:-3000])  # damaged after the scan, before the load
    with pytest.raises(LoadError) as info:
        candidate.load()
    assert str(victim) in str(info.value)


def test_errors_are_specific_types(tmp_path):
    with pytest.raises(CorruptFileError):
        load(_zero_byte(tmp_path)[0])
    with pytest.raises(NoImageFoundError):
        load(_empty_folder(tmp_path)[0])
