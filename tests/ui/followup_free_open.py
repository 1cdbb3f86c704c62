"""Opening a follow-up pair in the window: helpers that test_followup_free.py and the tests building on
it share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations


def _open(window, qtbot, folder):
    from neuroview.ui.followup_open import start_followup

    before = getattr(window, "followup_window", None)
    paths = {key: str(folder / f"{name}.nii.gz") for key, name in (
        ("baseline", "t1"), ("baseline_labels", "t1_lesions"), ("followup", "t2"),
        ("followup_labels", "t2_lesions"))}
    start_followup(window, paths, extract_brain=False)
    qtbot.waitUntil(lambda: getattr(window, "followup_window", None) not in (None, before),
                    timeout=300000)
    view = window.followup_window
    qtbot.waitExposed(view)
    return view
