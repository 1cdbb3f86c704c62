"""*File > Recent* reopens the series the user chose from a folder of several, without the series
chooser (ITK-SNAP and Slicer reopen what was open); when that series is gone, the chooser asks."""

from __future__ import annotations

import numpy as np
from editor_helpers import write_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox


def _folder_of_three(tmp_path):
    folder = tmp_path / "two series"
    folder.mkdir()
    first, _ = write_image(folder, "first")
    second, volume = write_image(folder, "second", affine_name="oblique")
    write_image(folder, "third", affine_name="lps")
    return folder, first, second, volume


def _choose(qtbot, window, text):
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    dialog = window.series_dialog
    rows = [r for r in range(dialog.list.count()) if text in dialog.list.item(r).text()]
    dialog.list.setCurrentRow(rows[0])
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Open), Qt.LeftButton)


def _recent(qtbot, window, number=0):
    """Click *File > Recent*'s entry ``number`` (0 = most recent)."""
    window._fill_recent()
    window.recent_menu.actions()[number].trigger()
    qtbot.waitUntil(lambda: window.series_dialog is not None
                    or (window.controller.volume is not None and not window.runner.busy), timeout=30000)


def test_recent_reopens_the_series_chosen_and_asks_when_it_is_gone(qtbot, window, tmp_path):
    folder, first, second, volume = _folder_of_three(tmp_path)
    window.open_paths([folder])
    _choose(qtbot, window, "second")
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy, timeout=30000)
    np.testing.assert_allclose(window.controller.volume.ijk_to_ras, volume.ijk_to_ras)
    window.open_paths([first])                           # something else in between
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy
                    and not np.allclose(window.controller.volume.ijk_to_ras, volume.ijk_to_ras),
                    timeout=30000)
    window._fill_recent()
    assert window.recent_menu.actions()[1].text().startswith(str(folder))

    _recent(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.series_dialog is not None
                    or np.allclose(window.controller.volume.ijk_to_ras, volume.ijk_to_ras), timeout=30000)
    assert window.series_dialog is None                  # no chooser: the series chosen before
    np.testing.assert_allclose(window.controller.volume.ijk_to_ras, volume.ijk_to_ras)

    second.unlink()                       # the series is gone: the chooser asks (two are left)
    window.open_paths([first])
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    _recent(qtbot, window, 1)
    assert window.series_dialog is not None
    window.series_dialog.reject()

