"""``neuroview convert --tilt resample --labels FILE``: a label map saved in the window for a
gantry-tilted series (on its sheared grid) written onto the grid of the resampled image, by
nearest neighbour, so that it lines up with that image in ITK tools (read here by nibabel and
SimpleITK alike). Before, the labels stayed on the sheared grid, which those tools refuse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
import SimpleITK as sitk

from neuroview.app.label_files import save_label_files
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io import load
from tests.checkout import REPO

LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])
TILTED = {  # 0.7 mm per slice along 3.2 mm rows; the gantry's 0.80 mm along its tilted columns
    "axial shift": dict(modality="CT", tilt_mm_per_slice=0.7, n_slices=12, slice_step=2.0),
    "gantry 15": dict(modality="CT", orientation="gantry 15", slice_step=3.0, n_slices=12,
                      tilt_mm_per_slice=3.0 * np.tan(np.radians(15))),
}


def _convert(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "neuroview", "convert", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def _sitk_ijk_to_ras(path: Path) -> np.ndarray:
    image = sitk.ReadImage(str(path))
    affine = np.eye(4)
    affine[:3, :3] = np.reshape(image.GetDirection(), (3, 3)) * np.array(image.GetSpacing())
    affine[:3, 3] = image.GetOrigin()
    return LPS_TO_RAS @ affine


def _saved_labels(volume, folder: Path) -> tuple[np.ndarray, Path]:
    """Labels as the window saves them for the tilted series: the brighter half of the image
    (label 1, 'tissue') and a box (label 2, 'lesion'), on the series' sheared grid."""
    array = (np.asarray(volume.array) > np.median(volume.array)).astype(np.uint8)
    array[20:30, 25:35, 4:8] = 2
    segments = SegmentTable()
    segments.add("tissue", value=1)
    segments.add("lesion", value=2)
    path = save_label_files(LabelMap(array, volume.ijk_to_ras, segments), volume.ijk_to_ras,
                            folder / "tilted-labels.nii.gz")
    return array, path


@pytest.mark.parametrize("name", list(TILTED))
def test_labels_are_resampled_onto_the_grid_of_the_resampled_image(tmp_path, make_series, name):
    series = make_series(f"labels {name}", **TILTED[name])
    volume = load(series.folder)
    source, labels_file = _saved_labels(volume, tmp_path)
    output = tmp_path / "untilted.nii.gz"
    proc = _convert(str(series.folder), str(output), "--tilt", "resample", "--labels",
                    str(labels_file))
    assert proc.returncode == 0, proc.stderr
    written = tmp_path / "untilted-labels.nii.gz"
    assert proc.stdout.split() == [str(output), str(tmp_path / "untilted.json"), str(written)]
    image, labels = nib.load(output), nib.load(written)
    # the same grid as the resampled image, which ITK reads (qform code 1) and places alike
    assert labels.shape == image.shape and labels.get_data_dtype() == np.uint8
    np.testing.assert_allclose(labels.affine, image.affine, atol=1e-6)
    assert int(labels.header["qform_code"]) == int(labels.header["sform_code"]) == 1
    np.testing.assert_allclose(_sitk_ijk_to_ras(written), labels.affine, atol=1e-3)
    # every voxel holds the saved label at the nearest voxel of the sheared grid to its centre
    data = np.asarray(labels.dataobj)
    ijk = np.indices(data.shape).reshape(3, -1).T.astype(float)
    ras = ijk @ labels.affine[:3, :3].T + labels.affine[:3, 3]
    to_source = np.linalg.inv(volume.ijk_to_ras)
    nearest = np.rint(ras @ to_source[:3, :3].T + to_source[:3, 3]).astype(int)
    inside = np.all((nearest >= 0) & (nearest < source.shape), axis=1)
    expected = np.zeros(len(ijk), np.uint8)
    expected[inside] = source[tuple(nearest[inside].T)]
    np.testing.assert_array_equal(data.reshape(-1), expected)
    assert set(np.unique(data)) == {0, 1, 2}
    # and they line up with the resampled image: its brighter half is the 'tissue' label
    bright = np.asarray(image.dataobj) > np.median(volume.array)
    tissue = data > 0
    dice = 2 * np.count_nonzero(bright & tissue) / (np.count_nonzero(bright) + np.count_nonzero(tissue))
    assert dice > 0.97, dice
    sidecar = json.loads((tmp_path / "untilted-labels.segments.json").read_text())
    assert {s["value"]: s["name"] for s in sidecar} == {1: "tissue", 2: "lesion"}


def test_labels_on_another_grid_are_refused_and_nothing_is_written(tmp_path, make_series):
    series = make_series("labels axial shift", **TILTED["axial shift"])
    other = tmp_path / "other-labels.nii.gz"
    save_label_files(LabelMap(np.ones((8, 8, 4), np.uint8), np.eye(4)), np.eye(4), other)
    output = tmp_path / "untilted.nii.gz"
    proc = _convert(str(series.folder), str(output), "--tilt", "resample", "--labels", str(other))
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "other-labels.nii.gz" in lines[0] and "grid" in lines[0], proc.stderr
    assert not output.exists() and not (tmp_path / "untilted-labels.nii.gz").exists()


def test_labels_with_several_series_want_one(tmp_path, mni_volume):
    from series_maker import SeriesSpec, write_series

    for number in (2, 3):
        write_series(tmp_path / "study" / str(number), mni_volume,
                     SeriesSpec(modality="CT", n_slices=4, series_number=number))
    labels = tmp_path / "labels.nii.gz"
    save_label_files(LabelMap(np.ones((56, 64, 4), np.uint8), np.eye(4)), np.eye(4), labels)
    proc = _convert(str(tmp_path / "study"), str(tmp_path / "out"), "--labels", str(labels))
    assert proc.returncode != 0
    assert "--labels belongs to one series: 2 series found; pick one with --series N" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_labels_are_never_written_over_the_file_given(tmp_path, make_series):
    """The window proposes NAME-labels.nii.gz; converting to NAME.nii.gz beside it would have
    replaced the user's labels (on the acquired grid) with the resampled copy."""
    series = make_series("labels axial shift", **TILTED["axial shift"])
    volume = load(series.folder)
    _, labels_file = _saved_labels(volume, tmp_path)   # tilted-labels.nii.gz
    before = labels_file.read_bytes()
    output = tmp_path / "tilted.nii.gz"
    proc = _convert(str(series.folder), str(output), "--tilt", "resample", "--labels",
                    str(labels_file))
    assert proc.returncode != 0
    assert "--labels would be replaced by its copy on the new grid (tilted-labels.nii.gz)" in proc.stderr
    assert labels_file.read_bytes() == before and not output.exists()


def test_a_resampled_tilt_is_not_also_said_to_be_kept(make_series, tmp_path):
    """``--tilt resample`` says the series was written resampled, and no longer also that it was
    'loaded on the sheared grid as acquired (not resampled)' (both lines were printed); without
    it, that line stays. The file written by nibabel has no shear."""
    made = make_series("tilt-words", **TILTED["gantry 15"])
    resampled = _convert(str(made.folder), str(tmp_path / "r.nii.gz"), "--tilt", "resample")
    assert resampled.returncode == 0, resampled.stderr
    assert "written resampled onto a grid without shear" in resampled.stderr
    assert "not resampled" not in resampled.stderr
    axes = nib.load(tmp_path / "r.nii.gz").affine[:3, :3]
    np.testing.assert_allclose(axes.T @ axes, np.diag(np.diag(axes.T @ axes)), atol=1e-6)
    kept = _convert(str(made.folder), str(tmp_path / "k.nii.gz"))
    assert kept.returncode == 0, kept.stderr
    assert "loaded on the sheared grid as acquired (not resampled)" in kept.stderr


def test_a_segment_no_voxel_of_the_grid_keeps_is_named(tmp_path, mni_volume, capsys):
    """A DICOM SEG drawn on a series of 1 mm slices, written with a series of 5 mm slices of its
    study: a segment on one slice between two 5 mm slices keeps no voxel. One note names it and
    the file (the window names it so: ui/actions_labels.py); the command said nothing."""
    from pydicom.uid import generate_uid
    from series_maker import SeriesSpec, write_series

    from neuroview.cli.main import main
    from neuroview.io.seg import read_series_headers, save_seg

    same = (("FrameOfReferenceUID", generate_uid()), ("StudyInstanceUID", generate_uid()))
    grid = dict(rows=32, cols=32, row_spacing=1.0, col_spacing=1.0, extra=same)
    thin = write_series(tmp_path / "thin", mni_volume, SeriesSpec(
        n_slices=40, slice_step=1.0, description="THIN", **grid))
    thick = write_series(tmp_path / "thick", mni_volume, SeriesSpec(
        n_slices=8, slice_step=5.0, series_number=4, description="THICK", **grid))
    # the 1 mm slices in which a 5 mm slice's centre lies (the same rows and columns)
    to_thin = np.linalg.inv(thin.ijk_to_ras) @ thick.ijk_to_ras
    np.testing.assert_allclose(to_thin[:2, :2], np.eye(2), atol=1e-6)
    hit = {int(np.rint(to_thin[2] @ [16, 16, k, 1])) for k in range(8)}
    between = next(k for k in range(10, 40) if k not in hit)
    array = np.zeros((32, 32, 40), np.uint8)
    array[8:24, 8:24, 10:30] = 1                       # 20 mm thick: kept
    array[12:20, 12:20, between] = 2                   # one slice between two 5 mm slices' centres
    segments = SegmentTable()
    segments.add("lesion", value=1)
    segments.add("thin", value=2)
    seg = tmp_path / "thin-seg.dcm"
    save_seg(LabelMap(array, thin.ijk_to_ras, segments), read_series_headers([thin.folder]), seg)
    output = tmp_path / "thick.nii.gz"
    assert main(["convert", str(thick.folder), str(output), "--labels", str(seg)]) == 0
    err = capsys.readouterr().err
    written = nib.load(tmp_path / "thick-labels.nii.gz")
    assert set(np.unique(np.asarray(written.dataobj))) == {0, 1}
    np.testing.assert_allclose(written.affine, nib.load(output).affine, atol=1e-4)
    assert [line for line in err.splitlines() if "no voxel" in line] == [
        "neuroview convert: note: thick-labels.nii.gz: thin: no voxel of the grid written lies in "
        "it (drawn thinner than its voxels?), so it is empty there; thin-seg.dcm keeps it"], err
