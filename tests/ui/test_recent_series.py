"""*File > Recent* reopens the series the user chose from a folder of several, without the series
chooser (ITK-SNAP and Slicer reopen what was open); when that series is gone, the chooser asks."""

from __future__ import annotations

import numpy as np
from editor_helpers import write_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


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
    action = window.recent_menu.actions()[1]   # the folder's name, the series chosen in it
    assert action.text().startswith("two series: ") and action.text().endswith(f" — …/{tmp_path.name}")
    assert str(tmp_path) not in action.text() and action.toolTip() == str(folder)

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



def test_recent_names_files_by_name_and_folder_the_whole_path_on_hover(qtbot, window, tmp_path):
    """*File > Recent* listed each whole absolute path (a patient's folder on a shared screen, the
    name pushed out of sight): it reads the name and its folder, and two files of one name are
    told apart by more of their folders; the whole path is the tooltip and the status tip."""
    (tmp_path / "doe" / "t1").mkdir(parents=True)
    (tmp_path / "roe & co" / "t1").mkdir(parents=True)
    first, _ = write_image(tmp_path / "doe" / "t1", "brain")
    second, _ = write_image(tmp_path / "roe & co" / "t1", "brain")
    for path in (first, second):
        window.recent.add([path])
    window._fill_recent()
    actions = window.recent_menu.actions()
    assert [a.text() for a in actions] == ["brain.nii.gz — …/roe && co/t1", "brain.nii.gz — …/doe/t1"]
    assert [a.toolTip() for a in actions] == [str(second), str(first)]
    assert actions[1].statusTip() == str(first) and window.recent_menu.toolTipsVisible()
    actions[1].trigger()
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy, timeout=30000)
    assert window.recent.entries()[0].paths == [str(first)]
