"""Grouping, splitting and warnings of DICOM series; DICOMDIR; notes; privacy; cancel."""

from __future__ import annotations

import shutil

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid
from series_maker import compare_in_world

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken
from neuroview.io import load, scan

CLI_FORKED = "what `info` and `convert` print and write, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_localizer_in_the_same_series_is_split_off(make_series):
    uid = generate_uid()
    main = make_series("split-main", series_uid=uid, n_slices=20)
    make_series("split-main/loc", series_uid=uid, orientation="sagittal", n_slices=3, seed=9)
    result = scan(main.folder)
    assert [c.shape[2] for c in result.candidates] == [20, 3]
    assert all(c.key.startswith(uid) for c in result.candidates)
    assert "series split into 2 parts" in result.candidates[1].warnings[0]
    assert result.best() is result.candidates[0]
    volume = result.best().load()
    compare_in_world(volume.array, volume.ijk_to_ras, main.values, main.ijk_to_ras)


def test_missing_slice_is_resampled_across_the_gap(make_series):
    series = make_series("missing", missing=(10,), n_slices=20, slice_step=2.5)
    candidate = scan(series.folder).candidates[0]
    assert candidate.shape[2] == 20 and candidate.spacing[2] == pytest.approx(2.5)
    assert any("resampled (linear)" in w for w in candidate.warnings)
    assert candidate.confidence < 1.0
    volume = candidate.load()
    # every acquired slice sits where it was acquired (before and after the gap) ...
    kept = [k for k in range(20) if k != 10]
    corners = volume.ijk_to_ras_points(np.array([[0.0, 0.0, k] for k in kept])) * [-1, -1, 1]
    np.testing.assert_allclose(corners, series.positions_lps, atol=1e-4)
    np.testing.assert_array_equal(volume.array[:, :, kept], series.values)
    # ... and the missing one is the mean of its neighbours, rounded as dcm2niix rounds
    mean = (series.values[:, :, 9] + series.values[:, :, 10]) / 2
    np.testing.assert_array_equal(volume.array[:, :, 10],
                                  np.sign(mean) * np.floor(np.abs(mean) + 0.5))


def test_uneven_spacing_warns(tmp_path, make_series):
    series = make_series("uneven-src", n_slices=12)
    for path in series.files:  # move every slice a little along z, each by a different amount
        ds = pydicom.dcmread(path)
        ds.ImagePositionPatient[2] = float(ds.ImagePositionPatient[2]) * 1.0 + (
            0.37 * (int(ds.InstanceNumber) % 3))
        ds.save_as(tmp_path / path.name)
    candidate = scan(tmp_path).candidates[0]
    assert any(w.startswith("uneven slice spacing") for w in candidate.warnings)


def test_repeated_positions_make_a_4d_series(make_series):
    uid = generate_uid()
    first = make_series("dyn", series_uid=uid, n_slices=10)
    make_series("dyn/t2", series_uid=uid, n_slices=10, seed=3)
    volume = load(first.folder)
    assert volume.array.shape == (56, 64, 10, 2) and volume.axis4 == "time"
    np.testing.assert_array_equal(volume.frame(0), volume.frame(1))
    compare_in_world(volume.frame(1), volume.ijk_to_ras, first.values, first.ijk_to_ras)


def test_some_duplicate_positions_warn(make_series):
    uid = generate_uid()
    first = make_series("dup", series_uid=uid, n_slices=10)
    make_series("dup/extra", series_uid=uid, n_slices=10, missing=tuple(range(3, 10)), seed=4)
    candidate = scan(first.folder).candidates[0]
    assert candidate.shape == (56, 64, 10)
    assert any(w.startswith("duplicate positions: 3 images") for w in candidate.warnings)


def test_gantry_tilt_is_loaded_on_the_sheared_grid(make_series):
    series = make_series("tilt", modality="CT", tilt_mm_per_slice=0.7, n_slices=16, slice_step=2.0)
    volume = load(series.folder)
    assert any("gantry tilt of 19.29 degrees" in w for w in volume.warnings)
    np.testing.assert_allclose(volume.ijk_to_ras, series.ijk_to_ras, atol=1e-4)
    np.testing.assert_allclose(volume.array, series.values)
    # each slice's first voxel sits exactly at its ImagePositionPatient
    corner_ras = volume.ijk_to_ras_points(np.array([[0, 0, k] for k in range(16)], float))
    np.testing.assert_allclose(corner_ras * [-1, -1, 1], series.positions_lps, atol=1e-4)


def test_inconsistent_rescale_is_applied_per_slice(make_series):
    slopes = tuple(1.0 + 0.25 * (k % 3) for k in range(12))
    series = make_series("rescale", n_slices=12, per_slice_slopes=slopes, intercept=-10)
    volume = load(series.folder)
    assert volume.array.dtype == np.float32
    assert any("rescale slope/intercept differ" in w for w in volume.warnings)
    np.testing.assert_allclose(volume.array, series.values, atol=1e-3)


def test_candidates_are_listed_by_series_number_then_description(tmp_path, make_series):
    for name, number, description in [("s5", 5, "b"), ("s2b", 2, "b"), ("s2a", 2, "a")]:
        series = make_series(f"order-{name}", series_number=number, description=description,
                             n_slices=4)
        shutil.copytree(series.folder, tmp_path / name)
    result = scan(tmp_path)
    assert [(c.series_number, c.description) for c in result.candidates] == [
        (2, "a"), (2, "b"), (5, "b")]


def test_dicomdir_is_followed(tmp_path, make_series):
    from pydicom.fileset import FileSet

    series = make_series("for-dicomdir", n_slices=8)
    fileset = FileSet()
    for path in series.files:
        fileset.add(pydicom.dcmread(path))
    fileset.write(tmp_path / "cd")
    dicomdir = tmp_path / "cd" / "DICOMDIR"
    for target in (dicomdir, tmp_path / "cd"):  # the DICOMDIR itself, or the folder holding it
        result = scan(target)
        assert len(result.candidates) == 1, result.notes
        assert result.candidates[0].n_files == 8 and not result.notes
        volume = result.candidates[0].load()
        compare_in_world(volume.array, volume.ijk_to_ras, series.values, series.ijk_to_ras)


def test_dicomdir_with_a_damaged_record_hierarchy_reads_the_files_its_records_name():
    """pydicom's DICOMDIR-nopatient: the DICOMDIR with its patient records' type changed to an
    invalid one. pydicom's FileSet refuses it (the whole index was skipped, "DICOMDIR cannot be
    read"); dcm2niix never reads the index, only the files. Its image records still name the
    31 files of the intact DICOMDIR: the same series, the same voxels, and one note saying what
    was damaged."""
    damaged = get_testdata_file("DICOMDIR-nopatient")
    intact = get_testdata_file("DICOMDIR")
    if damaged is None or intact is None:
        pytest.skip("pydicom's dicomdirtests are not installed")
    expected, result = scan(intact), scan(damaged)
    assert len(result.candidates) == len(expected.candidates) > 10
    assert [n for n in result.notes if n not in expected.notes] == [
        f"{damaged}: DICOMDIR record hierarchy is damaged (The UNKNOWN directory "
        "record at offset 976 is missing a required element); the 31 files its records name "
        "were read"]
    for want, got in zip(expected.candidates, result.candidates):
        assert (got.description, got.shape, got.n_files) == (want.description, want.shape,
                                                             want.n_files)
        a, b = want.load(), got.load()
        np.testing.assert_array_equal(b.array, a.array)
        np.testing.assert_allclose(b.ijk_to_ras, a.ijk_to_ras)


def test_non_images_and_other_files_are_notes(tmp_path, make_series):
    series = make_series("with-sr", n_slices=5)
    shutil.copytree(series.folder, tmp_path / "study")
    shutil.copy(get_testdata_file("reportsi.dcm"), tmp_path / "study" / "report.dcm")
    (tmp_path / "study" / "notes.txt").write_text("not an image")
    result = scan(tmp_path / "study")
    assert len(result.candidates) == 1
    assert any("SR structured report is not an image" in n for n in result.notes)
    assert any(n.endswith("notes.txt: not a DICOM file") for n in result.notes)


def test_single_2d_image_is_a_one_slice_volume():
    path = get_testdata_file("CT_small.dcm")
    ds = pydicom.dcmread(path)
    volume = load(path)
    assert volume.shape == (128, 128, 1) and volume.modality == "CT"
    expected = ds.pixel_array.T * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    np.testing.assert_array_equal(volume.array[:, :, 0], expected)
    assert volume.spacing[2] == pytest.approx(float(ds.SliceThickness))


def test_identifying_values_go_to_source_metadata_only(make_series, cli):
    series = make_series("private", n_slices=4)
    volume = load(series.folder)
    assert volume.source_metadata["PatientName"] == "Doe^Jane"
    assert volume.source_metadata["InstitutionName"] == "Test Hospital"
    proc = cli("info", series.folder)
    assert proc.returncode == 0
    for secret in ("Doe", "NV-TEST-0001", "Test Hospital", "19700101"):
        assert secret not in proc.stdout + proc.stderr
    assert "T1 test" in proc.stdout and "56x64x4" in proc.stdout


def test_progress_and_cancel(make_series):
    series = make_series("cancel", n_slices=6)
    calls = []
    result = scan(series.folder, progress=lambda done, total, text: calls.append((done, total)))
    result.candidates[0].load(progress=lambda done, total, text: calls.append((done, total)))
    assert calls[-1] == (6, 6)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        result.candidates[0].load(cancel=token)


def test_convert_writes_one_file_per_series(tmp_path, make_series, cli):
    for name, number in [("a", 4), ("b", 7)]:
        series = make_series(f"conv-{name}", series_number=number, description=f"T2 {name}/x",
                             n_slices=4)
        shutil.copytree(series.folder, tmp_path / "in" / name)
    proc = cli("convert", tmp_path / "in", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "004_T2_a_x.json", "004_T2_a_x.nii.gz", "007_T2_b_x.json", "007_T2_b_x.nii.gz"]


def test_convert_tells_the_series_warnings(tmp_path, make_series, cli):
    """A series with a missing slice is resampled by convert: the user is told, as info tells it,
    on stderr (stdout keeps only the written paths, for scripts)."""
    series = make_series("missing", missing=(10,), n_slices=20, slice_step=2.5)
    proc = cli("convert", series.folder, tmp_path / "out.nii.gz")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [str(tmp_path / "out.nii.gz"), str(tmp_path / "out.json")]
    lines = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert len(lines) == 1 and "resampled (linear)" in lines[0], proc.stderr


def test_a_dicomdir_record_pointing_nowhere_is_said_in_words(tmp_path):
    """A record whose next-record offset points where no record starts was said as pydicom's
    ``KeyError: 1054`` (session 36, ``bench/kinds_fuzz.py --only dicomdir``)."""
    intact = get_testdata_file("DICOMDIR")
    if intact is None:
        pytest.skip("pydicom's dicomdirtests are not installed")
    folder = tmp_path / "media"
    shutil.copytree(intact.rsplit("/", 1)[0], folder)
    ds = pydicom.dcmread(folder / "DICOMDIR")
    ds.DirectoryRecordSequence[0].OffsetOfTheNextDirectoryRecord = 12345  # UL: lengths unchanged
    ds.save_as(folder / "DICOMDIR")
    result = scan(folder / "DICOMDIR")
    assert any(note.startswith(f"{folder / 'DICOMDIR'}: DICOMDIR record hierarchy is damaged "
                               "(a record points to byte 12345, where no record starts)")
               for note in result.notes), result.notes
