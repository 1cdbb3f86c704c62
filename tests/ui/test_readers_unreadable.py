"""*Compare readers* on folders and files it cannot read: the background search took any OS error
for a bug ("Comparing readers: internal error: PermissionError: ..."), comparing nothing. Now
each folder or file it cannot read is a "Left out:" line naming it by name and folder, the others
still compared; when none of the folders can be read, one plain line says so.

Run as root, ``chmod`` takes nothing away (``CHMOD_IGNORED``): the folder cases then make
``os.scandir`` refuse as the system does for a user (PermissionError 13), and only the link to a
missing file is a file left out. Root without the DAC capabilities is refused as a user is
(``setpriv --bounding-set -dac_override,-dac_read_search --inh-caps -dac_override,-dac_read_search
-- python -m pytest ...`` runs the chmod cases)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from readers_helpers import find_and_compare, open_readers, study


def _chmod_ignored() -> bool:
    """Whether a file made unreadable by ``chmod 0`` can still be read (root, or its capabilities)."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        probe.write_text("x")
        probe.chmod(0)
        try:
            probe.read_text()
            return True
        except PermissionError:
            return False
        finally:
            probe.chmod(0o600)


CHMOD_IGNORED = _chmod_ignored()


def _refuse(monkeypatch, *folders: Path, mode: int = 0) -> None:
    """``folders`` not listable: by ``chmod mode`` (undone by the ``_restore`` fixture), or as
    root by ``os.scandir`` refusing them."""
    if not CHMOD_IGNORED:
        for folder in folders:
            folder.chmod(mode)
        return
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) in folders:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.fixture
def _restore(tmp_path):
    yield
    for folder in (tmp_path / "study", tmp_path / "study" / "series"):
        folder.chmod(0o755)


def _compare(qtbot, window, tmp_path, folder):
    dialog = find_and_compare(qtbot, window, open_readers(qtbot, window, folder))
    text = dialog.status.text()
    assert "internal error" not in text and str(tmp_path) not in text, text
    return dialog, text.splitlines()


def test_a_folder_it_cannot_list_is_left_out_and_the_other_compared(qtbot, window, tmp_path, mni_volume,
                                                                   monkeypatch, _restore):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    folder = study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob", "Lee^Kim"), huge=False)
    for name in ("reader1.dcm", "reader2.dcm"):   # two readers' SEGs in the series' own folder
        (tmp_path / "study" / name).rename(folder / name)
    _refuse(monkeypatch, tmp_path / "study", mode=0o311)   # passable, not listable
    dialog, lines = _compare(qtbot, window, tmp_path, folder)
    assert lines == ["2 readers; consensus by STAPLE.",
                     f"Left out: study in …/{tmp_path.name}: permission denied"]
    assert dialog.legend.rowCount() == 2 and dialog.pairs.rowCount() == 1
    assert f"Left out: {tmp_path / 'study'}: permission denied" in dialog.status.toolTip()


def test_no_folder_readable_is_one_plain_line(qtbot, window, tmp_path, mni_volume, monkeypatch, _restore):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    folder = study(tmp_path, mni_volume, huge=False)
    dialog = open_readers(qtbot, window, folder)   # opened while readable, then taken away
    _refuse(monkeypatch, folder, tmp_path / "study")
    find_and_compare(qtbot, window, dialog)
    text = dialog.status.text()
    assert text == ("no folder to look for SEGs in could be read: series in …/study: permission denied; "
                    f"study in …/{tmp_path.name}: permission denied"), text
    assert dialog.legend.rowCount() == 0 and dialog.find_button.isEnabled()


def test_a_link_to_a_missing_file_is_left_out(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    folder = study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)
    (tmp_path / "study" / "lee.dcm").symlink_to(tmp_path / "elsewhere" / "lee.dcm")
    os.mkfifo(tmp_path / "study" / "pipe.dcm")   # passed over: opening it would wait forever
    dialog, lines = _compare(qtbot, window, tmp_path, folder)
    assert lines == ["2 readers; consensus by STAPLE.",
                     "Left out: lee.dcm in …/study: a link to a file that does not exist"]


@pytest.mark.skipif(CHMOD_IGNORED, reason="chmod takes nothing away from root")
def test_a_file_it_cannot_open_is_left_out(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    folder = study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob", "Lee^Kim"), huge=False)
    (tmp_path / "study" / "reader3.dcm").chmod(0)
    dialog, lines = _compare(qtbot, window, tmp_path, folder)
    assert lines == ["2 readers; consensus by STAPLE.",
                     "Left out: reader3.dcm in …/study: permission denied"]
