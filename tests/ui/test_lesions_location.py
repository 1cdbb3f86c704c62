"""The Lesions list's *Location* column: a model's result with its brain segment on a FLAIR-like
head whose lesions were placed at known places (``tests.app.located_heads``)."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import open_image, wait_for_session
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from neuroview.io.nifti import save_nifti
from neuroview.ui.lesions_panel import LOCATION

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

pytest.importorskip("nilearn")


def test_each_lesion_listed_with_its_location(qtbot, window, tmp_path):
    from tests.app.located_heads import located_head

    head = located_head("flair")
    save_nifti(head.image, head.ijk_to_ras, tmp_path / "head.nii.gz")
    open_image(qtbot, window, tmp_path / "head.nii.gz")
    session = wait_for_session(qtbot, window)
    window.findChild(QDockWidget, "Lesions").raise_()
    result = head.labels.copy()
    result[head.brain & (result == 0)] = 2
    session.apply_model_result(result, {1: "lesion", 2: "brain"}, model="fake@1",
                               hidden={2: head.brain})
    panel, table = window.lesions, window.lesions.table
    qtbot.waitUntil(lambda: table.rowCount() == 5 and table.item(0, LOCATION).text() != "",
                    timeout=120000)
    for row in range(table.rowCount()):
        component = panel.components[table.item(row, 0).data(Qt.UserRole) - 1]
        nearest = min(head.expected,
                      key=lambda place: np.linalg.norm(place[1] - component.centroid_ras))
        assert table.item(row, LOCATION).text() == nearest[0]
    assert panel.summary.text().splitlines()[1] == ("periventricular 1, juxtacortical 1, "
                                                    "infratentorial 2, deep white matter 1")
    # rejecting a lesion lists the others with their locations again, without fitting anew
    case = panel._asked.case
    table.selectRow(next(r for r in range(5) if table.item(r, LOCATION).text() == "juxtacortical"))
    panel.reject_selected()
    qtbot.waitUntil(lambda: table.rowCount() == 4 and not panel.busy, timeout=30000)
    assert panel._asked.case is case
    assert sorted(table.item(r, LOCATION).text() for r in range(4)) == [
        "deep white matter", "infratentorial", "infratentorial", "periventricular"]
