"""A recent-files list damaged on disk, in the window: one line in the notice bar when File >
Recent opens (by name and folder, as the error bar names files), the broken file kept aside, and File >
Recent works on from an empty list."""

from __future__ import annotations

from neuroview.paths import user_data_dir


def test_a_damaged_recent_list_is_said_when_the_menu_opens(qtbot, tmp_path):
    from editor_helpers import close_without_asking

    from neuroview.ui.main_window import MainWindow

    home = user_data_dir()
    (home / "recent.json").write_text('[\n ["/data/a.nii.gz"],\n ["/data/b')
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.show()
    window.recent_menu.aboutToShow.emit()   # File > Recent opened: the list is read
    assert [a.text() for a in window.recent_menu.actions()] == ["(none)"]
    qtbot.waitUntil(window.notice_bar.isVisible, timeout=5000)
    assert window.notice_bar.text == (
        f"recent.json in …/{home.name}: not JSON (a string that is never closed at line 3, column "
        "3); File > Recent starts with an empty list; the file kept as recent.json.bad")
    assert str(home) not in window.notice_bar.text
    assert (home / "recent.json.bad").read_text().startswith('[\n ["/data/a.nii.gz"]')
    window.recent.add([tmp_path / "c.nii.gz"])
    assert [e.paths for e in window.recent.entries()] == [[str(tmp_path / "c.nii.gz")]]
