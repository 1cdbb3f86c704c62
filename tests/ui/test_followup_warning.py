"""The follow-up window says, above the table, when the registration of the later study shown
looks failed (the s19 walk: a later study whose header turned the head upside down showed '5 new,
4 resolved' with nothing to tell it from a real change)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from neuroview.app.followup import StudyInput, compare
from neuroview.core.volume import Volume
from neuroview.ui.followup_window import FollowupWindow
from tests.app.followup_cases import rigid
from tests.app.turned_studies import TURNED, study

# the same pair registers in tests/app/test_followup_notes.py (:func:`registrations_reused`): once a run
pytestmark = pytest.mark.usefixtures("registrations_reused")


def test_the_window_shows_the_warning_of_the_study_shown(mni_volume, qtbot):
    # 6 mm grids: which warning the window shows does not depend on the size (the turned head's
    # registration, which cannot succeed, ran up to 600 iterations on 3 mm grids in 12 s of CPU)
    baseline = study(mni_volume, (6.0, 6.0, 6.0), name="baseline")
    later = study(mni_volume, (6.0, 6.0, 6.0), rigid((6.0, -4.0, 5.0), (5.0, -4.0, 3.0),
                                                     mni_volume.center_ras))
    turned = StudyInput(later.image, TURNED @ later.ijk_to_ras, later.lesions, name="follow-up 2")
    comparisons = [compare(baseline, s) for s in (later, turned)]
    view = FollowupWindow(Volume(baseline.image, baseline.ijk_to_ras), baseline, [later, turned],
                          comparisons)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert not comparisons[0].notes and view.warning.isHidden()
    qtbot.keyClick(view.timepoint, Qt.Key_Down)
    assert view.index == 1 and view.warning.isVisible()
    assert view.warning.text().startswith("Warning: the registration may have failed: after it "
                                          "the heads' outlines overlap by")
    qtbot.keyClick(view.timepoint, Qt.Key_Up)
    assert view.warning.isHidden()
    assert view.comparison is comparisons[0]
