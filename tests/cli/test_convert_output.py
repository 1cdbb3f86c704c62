"""``neuroview convert IN OUT``: an OUTPUT named like a file of another format (``out.txt``) is
refused in one line naming the accepted endings, and nothing is created; a folder (existing, no
ending, or ending in '/') and a ``.nii``/``.nii.gz`` name work, read back by nibabel."""

from __future__ import annotations

import gzip

import nibabel as nib
import numpy as np
import pytest

CLI_FORKED = "what `convert` says and writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


@pytest.fixture
def image(tmp_path):
    data = np.arange(8 * 9 * 10, dtype=np.int16).reshape(8, 9, 10)
    path = tmp_path / "a.nii"
    nib.save(nib.Nifti1Image(data, np.diag([2.0, 2.0, 3.0, 1.0])), path)
    return path, data


@pytest.mark.parametrize("name", ["out.txt", "t1.nrrd", "labels.mgz", "view.png"])
def test_an_output_with_another_ending_is_refused(cli, image, tmp_path, name):
    path, _ = image
    result = cli("convert", path, tmp_path / name)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and ".nii.gz" in lines[0] and "folder" in lines[0]
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("name, written", [
    ("out.txt/", "out.txt/001_a.nii.gz"), ("study.2024", "study.2024/001_a.nii.gz"),
    ("t1.nii.gz", "t1.nii.gz"), ("t1.nii", "t1.nii")])
def test_folders_and_nifti_names_are_written(cli, image, tmp_path, name, written):
    path, data = image
    result = cli("convert", path, f"{tmp_path}/{name}")   # as typed: a final '/' is kept
    assert result.returncode == 0, result.stderr
    assert np.array_equal(np.asarray(nib.load(tmp_path / written).dataobj), data)


@pytest.mark.parametrize("typed", ["out/", "out//"])
def test_the_printed_path_has_one_slash_after_the_folder(cli, image, tmp_path, monkeypatch, typed):
    """It printed ``out//001_a.nii.gz`` for ``out//`` (session 40's CLI walk): joined as typed."""
    path, _ = image
    monkeypatch.chdir(tmp_path)
    result = cli("convert", path, typed)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["out/001_a.nii.gz"]


def test_an_existing_folder_with_a_dot_is_a_folder(cli, image, tmp_path):
    path, data = image
    (tmp_path / "scans.old").mkdir()
    result = cli("convert", path, tmp_path / "scans.old")
    assert result.returncode == 0, result.stderr
    assert np.array_equal(np.asarray(nib.load(tmp_path / "scans.old" / "001_a.nii.gz").dataobj), data)


def test_no_gzip_writes_uncompressed_nii_files_into_a_folder(cli, image, tmp_path):
    """``--no-gzip`` (dcm2niix's ``-z n``): the folder gets ``.nii`` files, not gzip streams,
    holding the same voxels and geometry as the ``.nii.gz`` written without the flag."""
    path, data = image
    plain = cli("convert", path, tmp_path / "plain", "--no-gzip")
    packed = cli("convert", path, tmp_path / "packed")
    assert plain.returncode == 0 and packed.returncode == 0, plain.stderr + packed.stderr
    written = tmp_path / "plain" / "001_a.nii"
    assert [p.name for p in (tmp_path / "plain").iterdir()] == ["001_a.nii"]
    assert written.read_bytes()[344:348] == b"n+1\0"   # a NIfTI-1 magic, not gzip's 1f 8b
    mine, theirs = nib.load(written), nib.load(tmp_path / "packed" / "001_a.nii.gz")
    assert np.array_equal(np.asarray(mine.dataobj), data)
    assert np.array_equal(mine.affine, theirs.affine)
    assert gzip.decompress((tmp_path / "packed" / "001_a.nii.gz").read_bytes()) == written.read_bytes()


def test_no_gzip_with_a_gz_file_name_is_refused(cli, image, tmp_path):
    path, _ = image
    result = cli("convert", path, tmp_path / "t1.nii.gz", "--no-gzip")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "t1.nii.gz" in lines[0] and "--no-gzip" in lines[0]
    assert not (tmp_path / "t1.nii.gz").exists()


def test_a_series_that_cannot_be_decoded_costs_only_that_series(cli, tmp_path):
    """A folder whose first series cannot be decoded (pydicom's JPEG 2000 file with a broken
    header) still gives the other series, as dcm2niix does: one error line naming the file, the
    good series written (voxels as pydicom reads them), exit status 1."""
    import pydicom
    from pydicom.data import get_testdata_file

    folder = tmp_path / "in"
    folder.mkdir()
    broken = pydicom.dcmread(get_testdata_file("JPEG2000-embedded-sequence-delimiter.dcm"))
    broken.SeriesNumber = 1
    broken.save_as(folder / "broken.dcm")
    good = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    good.SeriesNumber = 5
    good.save_as(folder / "ct.dcm")
    result = cli("convert", folder, tmp_path / "out")
    assert result.returncode == 1
    ours = [line for line in result.stderr.splitlines() if line.startswith("neuroview")
            and ": warning: " not in line]  # the one-image series' own warning (its depth)
    assert len(ours) == 2, result.stderr
    assert "broken.dcm" in ours[0] and "cannot decode pixel data" in ours[0]
    assert ours[1] == "neuroview convert: 1 of 2 series not converted (lines above)"
    (written,) = sorted((tmp_path / "out").glob("*.nii.gz"))   # with its .json
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [written.name[:-7] + ".json", written.name]
    voxels = np.asarray(nib.load(written).dataobj).squeeze()
    expected = good.pixel_array * float(good.RescaleSlope) + float(good.RescaleIntercept)
    np.testing.assert_array_equal(voxels.T, expected)  # voxel (i, j) is column i, row j
