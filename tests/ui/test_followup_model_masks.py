"""The follow-up window says, above the table, when the lesion masks of the pair shown were made by
a model on the spot and not corrected by a person, as the report does: in the s47 walk the window
showed lesionseg's table ('2 new, 1 resolved': none of the ten true lesions, three false regions)
with no word that no person had checked the masks. Masks from files say nothing there."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from neuroview.ui.followup_window import FollowupWindow


def test_masks_a_model_made_are_said_above_the_table(three_studies, qtbot):
    volume, baseline, laters, comparisons = three_studies
    made = replace(laters[1], lesions_model="lesionseg@2.5.1")
    view = FollowupWindow(volume, baseline, [laters[0], made], comparisons)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.warning.isHidden()                         # follow-up 1: masks from files
    qtbot.keyClick(view.timepoint, Qt.Key_Down)
    assert view.index == 1 and view.warning.isVisible()
    assert view.warning.text() == (
        f"Warning: the lesion mask of {made.name} was made by the model lesionseg@2.5.1 and not "
        "corrected by a person: check each lesion in the panes before the table (Delete marks one "
        "wrong).")
