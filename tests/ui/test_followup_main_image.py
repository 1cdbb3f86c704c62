"""The follow-up window says, in red at its top, while the main window shows none of the studies
it compares: until session 43 another patient's image could be read in the main window beside the
previous patient's comparison with no word. It stays open (the reader opens a study of it in the
main window to correct a mask), and the line goes once the main window shows one of them again."""

from __future__ import annotations

from editor_helpers import open_image
from followup_studies import write_case

from neuroview.ui.followup_window import ELSEWHERE
from tests.ui.followup_free_open import _open


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
