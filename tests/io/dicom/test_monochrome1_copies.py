"""Images made from a MONOCHROME1 series keep being shown and read as it is (turned over, as
its MONOCHROME2 twin): a follow-up study, a training case's channels, a series resampled onto
an even grid, and any copy made with ``Volume.derived``. Each MONOCHROME1 series here is the
twin of a MONOCHROME2 one (the same image stored as ``TOP - value``), as in
test_dicom_monochrome1.py.
"""

from __future__ import annotations

import dataclasses

import nibabel as nib
import numpy as np
import pydicom
import pytest

from neuroview.app.followup import compare, load_study
from neuroview.app.followup_display import later_on_baseline
from neuroview.app.view_state import ViewerState
from neuroview.core.volume import DISPLAY_FIELDS, Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import add_case
from neuroview.io import load
from neuroview.io.dicom.options import DicomOptions
from neuroview.io.nifti import save_nifti
from neuroview.render.slices import render_view
from tests.dataset.label_maps import lesion_map

TOP = 2000
SOURCE_FIELDS = {"array", "ijk_to_ras", "description", "axis4", "source_path", "source_metadata",
                 "warnings", "padding", "outside_scan", "made_up_slices", "read_before", "_ct_guess",
                 "_keys"}
"""Volume's fields that are not how it is drawn: a copy's own (array, grid, name), or the source
file's (its path and header fields, which a de-identified copy must not carry)."""


def _twin(series, folder):
    folder.mkdir()
    for path in sorted(series.files):
        ds = pydicom.dcmread(path)
        ds.PixelData = (TOP - ds.pixel_array).astype(np.int16).tobytes()
        ds.PhotometricInterpretation = "MONOCHROME1"
        ds.save_as(folder / path.name, enforce_file_format=True)
    return folder


def _picture(volume, window=1200.0, level=600.0):
    state = ViewerState.for_volume(volume)
    state.window, state.level = window, (TOP - level if volume.display_inverted else level)
    return render_view(volume, state, "axial", 120, 100, crosshair=False,
                       annotations=False).rgb.astype(int)


@pytest.fixture(scope="module")
def twins(make_series, tmp_path_factory):
    series = make_series("mono2-copies", n_slices=24, rows=48, cols=40, slice_step=2.0)
    return series.folder, _twin(series, tmp_path_factory.mktemp("mono1") / "series")


def test_every_field_of_a_volume_is_display_or_source():
    """A flag added to Volume must be put in DISPLAY_FIELDS (copies carry it) or here."""
    names = {f.name for f in dataclasses.fields(Volume)}
    assert names == set(DISPLAY_FIELDS) | SOURCE_FIELDS


def test_a_derived_copy_is_drawn_as_its_source_and_carries_nothing_of_the_file():
    source = Volume(np.zeros((4, 5, 6, 2), np.float32), np.diag([1.0, 2.0, 3.0, 1.0]),
                    modality="CT", intensity_unit="HU", display_inverted=True,
                    header_window=(400.0, 40.0), more_header_windows=((2000.0, 500.0),),
                    axis4="time", source_path="/data/patient.dcm",
                    source_metadata={"PatientName": "Doe^Jane"}, description="chest")
    copy = source.derived(np.ones((4, 5, 6), np.float32), np.eye(4), description="copy")
    assert {name: getattr(copy, name) for name in DISPLAY_FIELDS} == {
        "modality": "CT", "intensity_unit": "HU", "display_inverted": True,
        "header_window": (400.0, 40.0), "more_header_windows": ((2000.0, 500.0),)}
    assert (copy.source_path, copy.source_metadata, copy.description, copy.axis4) == (
        "", {}, "copy", "")
    assert source.derived(source.array).axis4 == "time"


def test_the_file_window_turns_over_with_the_values():
    stored = np.arange(60, dtype=np.int16).reshape(3, 4, 5) + 100   # 100..159
    volume = Volume(stored, np.eye(4), modality="MR", display_inverted=True,
                    header_window=(40.0, 120.0), more_header_windows=((20.0, 150.0),))
    shown = volume.as_shown()
    assert not shown.display_inverted and shown.header_window == (40.0, 39.0)
    assert shown.more_header_windows == ((20.0, 9.0),)
    pictures = []
    for image in (volume, shown):   # each at its own header window
        state = ViewerState.for_volume(image)
        assert (state.window, state.level) == image.header_window
        pictures.append(render_view(image, state, "axial", 60, 50, crosshair=False,
                                    annotations=False).rgb.astype(int))
    assert pictures[0].std() > 20
    np.testing.assert_array_equal(pictures[1], pictures[0])


def test_a_follow_up_study_reads_as_its_twin(twins, tmp_path):
    plain_folder, inverted_folder = twins
    plain = load(plain_folder)
    lesions = np.zeros(plain.shape, np.uint8)
    lesions[18:24, 20:26, 10:14] = 1
    labels = save_nifti(lesions, plain.ijk_to_ras, tmp_path / "lesions.nii.gz")
    (base_volume, baseline), (later_volume, later) = (
        load_study(folder, labels, brain_threshold=True, name=name)
        for folder, name in ((plain_folder, "baseline"), (inverted_folder, "follow-up")))
    # registration, the brain masks and the subtraction read the twin's grey levels
    np.testing.assert_array_equal(later.image, baseline.image)
    np.testing.assert_array_equal(later.brain, baseline.brain)
    comparisons = [compare(baseline, study) for study in (baseline, later)]
    np.testing.assert_allclose(comparisons[1].registration.fixed_to_moving,
                               comparisons[0].registration.fixed_to_moving, atol=1e-6)
    assert comparisons[1].brain_volume_change_pct == comparisons[0].brain_volume_change_pct
    # the right pane (the later study on the baseline grid) shows the twin's picture
    panes = [_picture(base_volume.derived(later_on_baseline(
        baseline, study, comparison.registration.fixed_to_moving)[0]))
        for study, comparison in zip((baseline, later), comparisons)]
    assert panes[0].std() > 20
    np.testing.assert_array_equal(panes[1], panes[0])
    np.testing.assert_array_equal(_picture(later_volume), _picture(base_volume))


def test_a_monochrome1_ct_on_the_baseline_grid_is_still_shown_inverted(make_series, tmp_path, qtbot):
    from neuroview.ui.followup_pair import FollowupPairWidget

    series = make_series("mono2-ct-copies", modality="CT", intercept=-1024, n_slices=5,
                         rows=40, cols=32)
    volume = load(_twin(series, tmp_path / "ct"))
    assert volume.as_shown() is volume   # a CT keeps its HU
    empty = np.zeros(volume.shape, np.uint8)
    pair = FollowupPairWidget(volume, empty, volume.array.copy(), empty)   # the right pane
    qtbot.addWidget(pair)
    assert pair.later.display_inverted and pair.later.intensity_unit == "HU"
    np.testing.assert_array_equal(_picture(pair.later, 400, 40), _picture(volume, 400, 40))


def test_a_training_case_of_two_channels_is_stored_as_the_twin(twins, tmp_path):
    plain, inverted = (load(folder) for folder in twins)
    both = dataclasses.replace(inverted, array=np.stack([inverted.array] * 2, axis=-1),
                               axis4="channel")
    folder = init_dataset(tmp_path, "Heads", ["background", "lesion"], channels=("T1", "T2"))
    add_case(folder, both, lesion_map(plain, box=(slice(10, 20), slice(12, 22), slice(4, 8))))
    for channel in range(2):
        stored = nib.load(folder / "imagesTr" / f"nv_0001_{channel:04d}.nii.gz")
        np.testing.assert_array_equal(np.asarray(stored.dataobj), plain.array)


def test_a_series_resampled_onto_an_even_grid_stays_inverted(make_series, tmp_path):
    offsets = (0.0, 2.0, 4.0, 8.0, 10.0, 12.0, 14.0, 18.0)   # two gaps: resampled at 2 mm
    series = make_series("mono2-uneven", n_slices=8, rows=40, cols=32, slice_offsets=offsets)
    options = DicomOptions(uneven="resample")
    plain = load(series.folder, dicom_options=options)
    inverted = load(_twin(series, tmp_path / "uneven"), dicom_options=options)
    assert plain.shape[2] == 10 and inverted.shape == plain.shape
    assert inverted.display_inverted
    np.testing.assert_allclose(inverted.array, TOP - plain.array, atol=1)   # values as stored
    assert np.abs(_picture(inverted) - _picture(plain)).max() <= 1


def test_a_ranking_helper_gives_a_plain_model_the_twin(twins):
    from neuroview.dataset.rank import flip_tta

    plain, inverted = (load(folder) for folder in twins)
    seen = []
    probabilities = flip_tta(lambda image: seen.append(image) or np.zeros(image.shape, np.float32))
    probabilities(inverted, [()])
    np.testing.assert_array_equal(seen[0], plain.array)
