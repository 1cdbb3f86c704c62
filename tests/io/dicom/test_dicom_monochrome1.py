"""DICOM MONOCHROME1 (the lowest value shown white; CR/DX, some CT and MR exports).

Each MONOCHROME1 series here is the twin of a MONOCHROME2 series: the same image stored turned
over (``TOP - value``), so both look the same on a DICOM viewer. neuroview keeps the stored
values (as dcm2niix does: the NIfTI equals dcm2niix's voxel for voxel, a CT keeps its HU) and
shows and segments the image turned over, as the twin is shown and segmented.
"""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pydicom
import pytest
from series_maker import compare_in_world, run_dcm2niix

from neuroview.ai.normalize import normalize
from neuroview.ai.segment import image_channels
from neuroview.app.view_state import ViewerState
from neuroview.io import load, scan
from neuroview.render.slices import render_view

CLI_FORKED = "what `info` and `convert` print and write, not a process's start; no network runs"
TOP = 2000


def _twin(series, folder, inverted=lambda index: True):
    """The files of ``series`` written to ``folder``, those ``inverted(index)`` picks stored
    turned over as MONOCHROME1."""
    folder.mkdir()
    for index, path in enumerate(sorted(series.files)):
        ds = pydicom.dcmread(path)
        if inverted(index):
            ds.PixelData = (TOP - ds.pixel_array).astype(np.int16).tobytes()
            ds.PhotometricInterpretation = "MONOCHROME1"
        ds.save_as(folder / path.name, enforce_file_format=True)
    return folder


@pytest.fixture(scope="module")
def pair(make_series, tmp_path_factory):
    series = make_series("mono2", n_slices=8, rows=48, cols=40)
    folder = _twin(series, tmp_path_factory.mktemp("mono1") / "series")
    return series, folder, load(series.folder), load(folder)


def test_values_are_kept_as_stored_and_equal_dcm2niix(pair, tmp_path, cli):
    series, folder, plain, inverted = pair
    assert inverted.display_inverted and not plain.display_inverted
    assert inverted.warnings == []
    np.testing.assert_array_equal(inverted.array, TOP - plain.array)
    (reference,) = run_dcm2niix(folder, tmp_path / "dcm2niix")
    reference = nib.load(reference)
    compare_in_world(inverted.array, inverted.ijk_to_ras, reference.get_fdata(), reference.affine)
    out = tmp_path / "out.nii.gz"
    proc = cli("convert", folder, out)
    assert proc.returncode == 0, proc.stderr
    written = nib.load(out)
    compare_in_world(written.get_fdata(), written.affine, reference.get_fdata(), reference.affine)
    proc = cli("info", folder)
    assert "shown inverted (MONOCHROME1" in proc.stdout


def test_views_show_the_twin_as_the_monochrome2_series(pair):
    _, _, plain, inverted = pair
    auto = [ViewerState.for_volume(volume) for volume in (plain, inverted)]
    # the automatic window (percentiles above the background) finds the twin's background at
    # its top: the same window, turned over
    assert auto[0].window == auto[1].window and auto[0].level == TOP - auto[1].level
    for plane in ("axial", "coronal"):
        for window, level in ((1200.0, 600.0), (auto[0].window, auto[0].level)):
            pictures = []
            for volume, shown_level in ((plain, level), (inverted, TOP - level)):
                state = ViewerState.for_volume(volume)
                state.window, state.level = window, shown_level
                pictures.append(render_view(volume, state, plane, 160, 140, crosshair=False,
                                            annotations=False).rgb.astype(int))
            assert pictures[0].std() > 20
            assert np.abs(pictures[0] - pictures[1]).max() <= 1, plane


def test_a_model_reads_the_twin_as_the_monochrome2_series(pair):
    _, _, plain, inverted = pair
    (seen,), _ = image_channels(inverted)
    (reference,), _ = image_channels(plain)
    assert plain.array.min() == 0  # the template's air: the brightest-is-0 turn gives it back
    np.testing.assert_array_equal(seen, reference)
    np.testing.assert_array_equal(inverted.frame_as_shown(), plain.array)  # what AI click reads
    for spec in ({"scheme": "zscore_foreground"},
                 {"scheme": "nnunet", "channels": [{"method": "ZScoreNormalization"}]}):
        np.testing.assert_allclose(normalize(seen, spec), normalize(reference, spec), atol=1e-5)


def test_a_monochrome1_ct_keeps_its_hounsfield_units(make_series, tmp_path):
    series = make_series("mono2-ct", modality="CT", intercept=-1024, n_slices=5, rows=40, cols=32)
    folder = _twin(series, tmp_path / "ct")
    volume = load(folder)
    assert volume.display_inverted and volume.intensity_unit == "HU"
    np.testing.assert_array_equal(volume.array, TOP - load(series.folder).array - 2 * 1024)
    (reference,) = run_dcm2niix(folder, tmp_path / "dcm2niix")
    reference = nib.load(reference)
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)
    (model_input,), _ = image_channels(volume)
    assert model_input is volume.array  # a CT model reads HU, not the turned-over grey


def test_a_mixed_series_is_shown_as_most_of_it_with_a_note(make_series, tmp_path):
    series = make_series("mono2", n_slices=8, rows=48, cols=40)
    folder = _twin(series, tmp_path / "mixed", inverted=lambda index: index < 2)
    (candidate,) = scan(folder).candidates
    assert not candidate.display_inverted
    (note,) = [w for w in candidate.warnings if "MONOCHROME1" in w]
    assert note.startswith("2 of 8 images ask to be shown inverted (MONOCHROME1")
    assert not load(folder).display_inverted


def test_pydicom_monochrome1_radiograph():
    from pydicom.data import get_testdata_file

    path = get_testdata_file("RG3_UNCR.dcm")
    if path is None:
        pytest.skip("pydicom-data's RG3_UNCR.dcm is not installed")
    volume = load(path)
    assert volume.display_inverted
    np.testing.assert_array_equal(volume.array[:, :, 0], pydicom.dcmread(path).pixel_array.T)


def test_the_3d_view_renders_the_twin_as_the_monochrome2_series(pair):
    from vtkmodules.util.numpy_support import vtk_to_numpy

    from neuroview.render.prepare3d import prepare_volume

    _, _, plain, inverted = pair
    shown = [prepare_volume(volume, "MR default") for volume in (plain, inverted)]
    scalars = [vtk_to_numpy(data.image.GetPointData().GetScalars()) for data in shown]
    np.testing.assert_array_equal(scalars[1], scalars[0])  # the background low, as the twin's
    assert shown[1].range == shown[0].range and shown[1].turned_over == TOP
