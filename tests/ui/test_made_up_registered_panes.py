"""A made-up slice is marked on a series placed or resampled onto another one's grid: the right
pane of *Compare series side by side* once the series is registered (turned a fraction of a
degree: no plane of the panes lies exactly along its slices), and the follow-up window's later
study resampled onto the baseline grid (``app.followup_display.made_up_on_baseline``). Until
session 46 neither was marked: the record of the made-up slices held only along the exact slices
of the series' own grid."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import numpy as np
from made_up_series import compared, marks_by_slice, missing_slice, orange

from neuroview.app.followup import StudyInput
from neuroview.app.followup_display import displays_on_baseline
from neuroview.core.made_up import made_up_on_grid
from neuroview.core.volume import Volume


def test_a_registered_compare_series_marks_its_made_up_slice(qtbot, window, tmp_path):
    import pydicom
    from pydicom.uid import generate_uid

    folder = missing_slice(tmp_path / "ct")
    other = tmp_path / "other"   # the series again, in a frame of reference of its own
    shutil.copytree(folder, other)
    frame, series = generate_uid(), generate_uid()
    for path in other.glob("*.dcm"):
        ds = pydicom.dcmread(path)
        ds.FrameOfReferenceUID, ds.SeriesInstanceUID = frame, series
        ds.save_as(path)
    view = compared(qtbot, window, folder, other)   # registered rigidly, then shown
    pair = view.pair
    assert view.registered.isChecked() and pair.right.made_up_slices == (2,)
    assert not np.allclose(pair.right.ijk_to_ras, pair.baseline.ijk_to_ras)   # moved a little
    marks_by_slice(qtbot, pair)


def _turned(degrees: float, shift_mm: float) -> np.ndarray:
    turn = np.radians(degrees)
    matrix = np.eye(4)
    matrix[:2, :2] = [[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]]
    matrix[:3, 3] = [shift_mm, -shift_mm, 0.4]
    return matrix


def test_the_follow_up_later_pane_marks_its_made_up_slice_on_the_baseline_grid(qtbot):
    from followup_views import shown_pair

    rng = np.random.default_rng(4)
    affine = np.diag([4.0, 4.0, 5.0, 1.0])
    image = rng.normal(100, 20, (40, 40, 6)).astype(np.float32)
    no_lesions = np.zeros(image.shape, np.uint8)
    baseline = StudyInput(image, affine, no_lesions, name="baseline")
    later = StudyInput(image.copy(), affine, no_lesions, name="follow-up 1", made_up_slices=(2,))
    registered = SimpleNamespace(registration=SimpleNamespace(fixed_to_moving=_turned(1.5, 1.0)))
    (display,) = displays_on_baseline(baseline, [later], [registered])
    assert display[3] == (2,)
    pair = shown_pair(qtbot, Volume(image, affine, modality="MR"))
    pair.set_later(*display)
    seen = []
    for k in range(6):
        pair.state.set_crosshair(np.array([80.0, 80.0, 5.0 * k]))
        left, right = pair.pane_images()
        seen.append((orange(left), orange(right)))
    assert [right > 100 for _, right in seen] == [False, False, True, False, False, False], seen
    assert all(left == 0 for left, _ in seen), seen   # the baseline has none


def test_a_coarse_made_up_slice_marks_the_fine_slices_it_fills():
    """A later study of 5 mm slices, its third (z = 10 mm) made up, on a baseline of 1 mm slices:
    the baseline slices nearest that slice, 8-12 mm, show it."""
    later = Volume(np.zeros((20, 20, 6), np.float32), np.diag([4.0, 4.0, 5.0, 1.0]),
                   made_up_slices=(2,))
    fine = np.diag([4.0, 4.0, 1.0, 1.0])
    assert made_up_on_grid(later, (20, 20, 26), fine) == (8, 9, 10, 11, 12)
    assert made_up_on_grid(Volume(later.array, later.ijk_to_ras), (20, 20, 26), fine) == ()


def test_a_follow_up_study_read_keeps_its_made_up_slices(tmp_path):
    """``load_study`` (File > Open follow-up...'s worker) hands the series' record on."""
    from neuroview.app.followup import load_study
    from neuroview.io import load
    from neuroview.io.nifti import save_nifti

    folder = missing_slice(tmp_path / "ct")
    volume = load(folder)
    mask = tmp_path / "lesions.nii.gz"
    save_nifti(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras, mask)
    volume, study = load_study(folder, mask, brain_threshold=True, name="follow-up 1")
    assert volume.made_up_slices == study.made_up_slices == (2,)
