"""The follow-up window says, in red at its top, while the main window shows none of the studies
it compares: until session 43 another patient's image could be read in the main window beside the
previous patient's comparison with no word. It stays open (the reader opens a study of it in the
main window to correct a mask), and the line goes once the main window shows one of them again."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import open_image
from followup_studies import write_case
from two_series import FLAIR, SeriesSpec, write_series

from neuroview.io.nifti import save_nifti
from neuroview.ui.followup_window import ELSEWHERE, ELSEWHERE_PATIENT
from tests.ui.followup_free_open import _open

# the claim is the red line, not the registration: each pair registered once in a run
# (tests/ui/conftest.py)
pytestmark = pytest.mark.usefixtures("registrations_reused")


def test_the_followup_window_says_when_the_main_window_shows_another_image(window, qtbot, mni_volume,
                                                                           tmp_path):
    write_case(mni_volume, tmp_path, scale=2)   # 6 mm: the line does not depend on the size
    open_image(qtbot, window, str(tmp_path / "t1.nii.gz"))
    view = _open(window, qtbot, tmp_path)        # t1 against t2
    assert view.elsewhere.isHidden()             # the baseline on screen: nothing to say
    open_image(qtbot, window, str(tmp_path / "t3.nii.gz"))   # compared nowhere here
    assert view.elsewhere.isVisible() and view.elsewhere.text() == ELSEWHERE
    assert window.followup_window is view and view.isVisible()
    open_image(qtbot, window, str(tmp_path / "t2.nii.gz"))   # the later study: one of them
    assert view.elsewhere.isHidden()
    window.close_action.trigger()                # no image: nothing read beside it
    qtbot.waitUntil(lambda: window.controller.volume is None, timeout=10000)
    assert view.elsewhere.isHidden()


def test_it_names_another_patient_by_dicom_patient_id(window, qtbot, mni_volume, tmp_path):
    """DICOM studies of one patient compared; a series of another (its Patient ID, not shown)
    opened in the main window."""
    from neuroview.ui.followup_open import start_followup

    paths = {}
    for key, spec in (("baseline", SeriesSpec(rows=48, cols=44, n_slices=30, row_spacing=3.0,
                                              col_spacing=3.0, slice_step=4.0, series_number=3,
                                              description="AX T1")),
                      ("followup", SeriesSpec(**FLAIR))):
        written = write_series(tmp_path / key, mni_volume, spec)
        mask = np.zeros(written.values.shape, np.uint8)
        mask[18:22, 18:22, 12:15] = 1
        save_nifti(mask, written.ijk_to_ras, tmp_path / f"{key}_lesions.nii.gz")
        paths[key], paths[f"{key}_labels"] = str(written.folder), str(tmp_path / f"{key}_lesions.nii.gz")
    stranger = write_series(tmp_path / "stranger", mni_volume, SeriesSpec(
        **FLAIR, extra=(("PatientID", "NV-TEST-0002"),)))
    open_image(qtbot, window, paths["baseline"])
    start_followup(window, paths, extract_brain=False)
    qtbot.waitUntil(lambda: getattr(window, "followup_window", None) is not None, timeout=120000)
    view = window.followup_window
    assert view.elsewhere.isHidden(), view.elsewhere.text()   # the baseline's folder on screen
    open_image(qtbot, window, str(stranger.folder))
    assert view.elsewhere.isVisible() and view.elsewhere.text() == ELSEWHERE_PATIENT
    assert "NV-TEST" not in view.elsewhere.text()
