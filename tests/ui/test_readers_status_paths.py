"""*Compare readers* names files by name and folder in its status line, the whole text on hover:
each SEG left out (``Left out: /home/.../study/huge.dcm: ...``) showed the full path,
as the red bar and the dialog's save/send failures no longer do (``app.error_paths``). A folder
the search cannot read: ``test_readers_unreadable.py``."""

from __future__ import annotations

from readers_helpers import find_and_compare, open_readers, study


def _compare(qtbot, window, folder):
    return find_and_compare(qtbot, window, open_readers(qtbot, window, folder))


def test_a_seg_left_out_is_named_by_name_and_folder(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog = _compare(qtbot, window, study(tmp_path, mni_volume))
    text = dialog.status.text()
    assert text.splitlines()[0] == "One reader's SEG found: agreement needs two."
    assert text.splitlines()[1].startswith("Left out: huge.dcm in …/study: the DICOM SEG's frames"), text
    assert str(tmp_path) not in text
    assert f"Left out: {tmp_path / 'study' / 'huge.dcm'}: " in dialog.status.toolTip()

