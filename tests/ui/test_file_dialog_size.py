"""The window's file dialogs open 900x560 within the screen: Qt's own dialog opened 632x412 on a
1920x1080 screen, its Size column ``42....KiB`` and Type ``Gzi...ive`` (session 41's walk)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QFileDialog, QTreeView

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _size_of_the_dialog_shown(qtbot, open_it, cut=None) -> tuple[int, int]:
    seen, tries = [], []

    def look():
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QFileDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(50, look)
            return
        if cut is not None:
            tree = dialogs[0].findChild(QTreeView, "treeView")
            tries.append(1)   # the folder is read, then the columns laid out, after the show
            if tree.model().rowCount(tree.rootIndex()) == 0 or (_cut_cells(tree) and len(tries) < 40):
                QTimer.singleShot(50, look)
                return
            cut.extend(_cut_cells(tree))
        seen.append((dialogs[0].width(), dialogs[0].height()))
        dialogs[0].reject()

    QTimer.singleShot(50, look)
    open_it()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    return seen[0]


@pytest.mark.parametrize("room, expected", [((1920, 1040), (900, 560)), ((800, 560), (800, 520))])
def test_file_dialogs_open_readable_within_the_screen(qtbot, window, monkeypatch, room, expected):
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, *room))
    assert _size_of_the_dialog_shown(qtbot, window.open_file_dialog) == expected
    assert _size_of_the_dialog_shown(qtbot, window.open_labels_dialog) == expected


def _cut_cells(tree) -> list[str]:
    """The Size, Type and Date texts of the listed files not shown whole in their column."""
    model, root, metrics, style = tree.model(), tree.rootIndex(), tree.fontMetrics(), tree.style()
    margin = 2 * (style.pixelMetric(style.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1)
    cut = []
    for row in range(model.rowCount(root)):
        for column in (1, 2, 3):
            text = model.index(row, column, root).data()
            if metrics.horizontalAdvance(text) > tree.header().sectionSize(column) - margin:
                cut.append(text)
    return cut


def test_a_file_dialogs_columns_read_whole(qtbot, window, monkeypatch, tmp_path):
    """Size ``42....KiB`` and Type ``Gzi...ive`` in the 632-pixel dialog, and still in a wider one:
    the columns kept their first widths."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, 1920, 1040))
    nib.save(nib.Nifti1Image(np.zeros((30, 30, 30), np.uint8), np.eye(4)), tmp_path / "labels.nii.gz")
    cut: list[str] = []
    size = _size_of_the_dialog_shown(
        qtbot, lambda: QFileDialog.getOpenFileName(window, "Load labels", str(tmp_path)), cut)
    assert not cut, cut
    assert size == (900, 560)


@pytest.mark.parametrize("parent", ["follow-up", "rank"])
def test_a_dialogs_own_file_dialog_opens_readable_too(qtbot, window, monkeypatch, tmp_path, parent):
    """*Browse...* of File > Open follow-up and of Rank cases (file dialogs made by the window's
    dialogs, not by the window) still opened 632x412, Size and Type cut (session 43's walk at
    1366x768 and at 150 %)."""
    from PySide6.QtWidgets import QLineEdit

    from neuroview.ui.followup_open import OpenFollowupDialog
    from neuroview.ui.rank_dialog import RankDialog

    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, 1920, 1040))
    nib.save(nib.Nifti1Image(np.zeros((30, 30, 30), np.uint8), np.eye(4)), tmp_path / "later.nii.gz")
    (tmp_path / "cases.csv").write_text("path\nlater.nii.gz\n")
    dialog = (OpenFollowupDialog if parent == "follow-up" else RankDialog)(parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    if parent == "follow-up":
        edit = QLineEdit(str(tmp_path / "baseline.nii.gz"))
        browse = lambda: dialog._browse(edit, "Follow-up image")   # noqa: E731
    else:
        dialog.cases_edit.setText(str(tmp_path / "cases.csv"))
        browse = dialog._browse_csv
    cut: list[str] = []
    assert _size_of_the_dialog_shown(qtbot, browse, cut) == (900, 560)
    assert not cut, cut
