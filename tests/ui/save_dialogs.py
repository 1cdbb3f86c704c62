"""The save file dialog answered by the test, in a home of the test's own (its Documents folder
made): a helper module of tests/ui/test_save_folder_dialog.py and
tests/ui/test_save_folder_worklists.py."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog


def answered_save_dialog(monkeypatch, tmp_path):
    """``QFileDialog.getSaveFileName`` answered by the test: ``(proposed, answer, documents)``;
    each call adds (title, proposed path) to ``proposed`` and returns ``answer[0]`` ("" is
    Cancel)."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))   # no user-dirs.dirs: ~/Documents
    proposed, answer = [], [""]

    def fake(parent, title, start, file_filter, **options):
        proposed.append((title, start))
        return answer[0], ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return proposed, answer, home / "Documents"
