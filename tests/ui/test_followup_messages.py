"""The main window's bars after File > Open follow-up...: a follow-up's error (red bar) or its
"cancelled" notice leaves once a later follow-up opens (as an editing error leaves once an edit
works); they stayed up over the follow-up that worked. Another task's error stays."""

from __future__ import annotations

import pytest
from followup_studies import write_case
from PySide6.QtCore import Qt

from tests.ui.followup_free_open import _open

# the claim is the bars, not the registration: each pair registered once in a run (tests/ui/
# conftest.py); the cancelled ones are still held in their registration (registration_held holds
# at its first progress, which a registration answered so reports too) and cancelled there
pytestmark = pytest.mark.usefixtures("registrations_reused")


def _start(window, folder, **changes):
    from neuroview.ui.followup_open import start_followup

    paths = {key: str(folder / f"{name}.nii.gz") for key, name in (
        ("baseline", "t1"), ("baseline_labels", "t1_lesions"), ("followup", "t2"),
        ("followup_labels", "t2_lesions"))}
    paths.update(changes)
    return start_followup(window, paths, extract_brain=False)


def test_a_followup_that_works_clears_the_last_followups_error(window, qtbot, mni_volume, tmp_path):
    write_case(mni_volume, tmp_path, scale=2)   # 6 mm: the bars do not depend on the size
    (tmp_path / "broken.nii.gz").write_bytes(b"not an image")
    _start(window, tmp_path, followup=str(tmp_path / "broken.nii.gz"))
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    assert "broken.nii.gz" in window.message_bar.text
    _open(window, qtbot, tmp_path)
    assert window.message_bar.text == ""

    _start(window, tmp_path, followup_labels="")          # a field left empty, no model
    assert window.message_bar.text.startswith("Open follow-up: choose the follow-up lesion mask")
    _open(window, qtbot, tmp_path)
    assert window.message_bar.text == ""


def test_another_tasks_error_stays_after_a_followup_works(window, qtbot, mni_volume, tmp_path):
    write_case(mni_volume, tmp_path, scale=2)
    _start(window, tmp_path, followup_labels="")
    window.show_error("could not save labels.nii.gz: disk full")   # a later error, not the follow-up's
    _open(window, qtbot, tmp_path)
    assert window.message_bar.text == "could not save labels.nii.gz: disk full"


def test_a_followup_that_works_clears_the_cancelled_notice(window, qtbot, mni_volume, tmp_path,
                                                           registration_held):
    write_case(mni_volume, tmp_path, scale=2)   # 6 mm: the registration is held until the click
    _start(window, tmp_path)
    qtbot.waitUntil(lambda: "registration" in window.progress_text.text(), timeout=60000)
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    registration_held.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    assert window.notice_bar.text.startswith("Follow-up cancelled")
    # (the event set, the next follow-up's registration runs free)
    _open(window, qtbot, tmp_path)
    assert window.notice_bar.text == ""


def test_a_followup_started_again_clears_the_last_ones_error(window, qtbot, mni_volume, tmp_path,
                                                             registration_held):
    """The s41 walk: a lesion mask of another grid (red bar), the right one chosen and that
    comparison cancelled: the red bar still said the first mask did not lie on the grid, under
    the notice that nothing was compared, as if the mask chosen now were wrong."""
    write_case(mni_volume, tmp_path, scale=2)   # 6 mm: the registration is held until the click
    _start(window, tmp_path, baseline_labels=str(tmp_path / "t2_lesions.nii.gz"))
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    assert "does not lie on the image grid" in window.message_bar.text
    _start(window, tmp_path)                                  # the right mask
    assert window.message_bar.text == ""                      # gone as the comparison starts
    qtbot.waitUntil(lambda: "registration" in window.progress_text.text(), timeout=60000)
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    registration_held.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    assert window.notice_bar.text.startswith("Follow-up cancelled")
    assert window.message_bar.text == ""
