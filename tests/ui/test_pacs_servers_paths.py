"""*Settings > DICOM servers...* names the server list by name and folder in its status line, the
whole text on hover: an unreadable list read ``/home/.../neuroview/pacs/servers.json: cannot read
the server list (JSONDecodeError)``, the problem pushed out of sight; opened on such a list the
dialog did not open at all (the error escaped its constructor). The list is left as it is."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt


def _open(qtbot, window):
    settings = next(a.menu() for a in window.menuBar().actions()
                    if a.text().replace("&", "") == "Settings")
    next(a for a in settings.actions() if a.text().replace("&", "") == "DICOM servers...").trigger()
    dialog = window.pacs_actions.servers_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def test_saving_onto_an_unreadable_server_list_names_it_short(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog = _open(qtbot, window)
    dialog.name_edit.setText("lab")
    dialog.host_edit.setText("pacs.example.org")
    listed = tmp_path / "home" / "pacs" / "servers.json"
    listed.parent.mkdir(parents=True, exist_ok=True)
    listed.write_text("{ not json", encoding="utf-8")   # broken meanwhile (an editor, a crash)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    text = dialog.status.text()
    assert text == ("servers.json in …/pacs: cannot read the server list (a name in double quotes "
                    "is missing at line 1, column 3)"), text   # was the class name, JSONDecodeError
    assert str(listed) in dialog.status.toolTip()
    assert listed.read_text(encoding="utf-8") == "{ not json"   # nothing overwritten
    listed.unlink()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.status.text().startswith("saved lab") and dialog.status.toolTip() == ""
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["lab"]


def test_the_dialog_opens_on_an_unreadable_server_list_and_says_so(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    listed = tmp_path / "home" / "pacs" / "servers.json"
    listed.parent.mkdir(parents=True)
    listed.write_text("[]", encoding="utf-8")
    dialog = _open(qtbot, window)
    assert dialog.status.text() == "servers.json in …/pacs: the server list is not a JSON object"
    assert str(listed) in dialog.status.toolTip() and dialog.list.count() == 0
    assert listed.read_text(encoding="utf-8") == "[]"


def test_a_password_kept_in_the_credentials_file_names_it_by_name(qtbot, window, tmp_path, monkeypatch):
    """The success line said '...; password kept in /home/.../neuroview/pacs/credentials.json
    (mode 0600)', the whole path; now by name and folder, the whole path on hover."""
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEUROVIEW_PACS_KEYRING", "0")   # the file, not a keyring, keeps it
    dialog = _open(qtbot, window)
    dialog.name_edit.setText("lab")
    dialog.url_edit.setText("http://pacs.example.org/dicom-web")
    dialog.user_edit.setText("ana")
    dialog.password_edit.setText("s3cret")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    text = dialog.status.text()
    assert text.startswith("saved lab") and str(tmp_path) not in text, text
    assert text.endswith("; password kept in credentials.json in …/pacs (mode 0600)"), text
    credentials = tmp_path / "home" / "pacs" / "credentials.json"
    assert f"password kept in {credentials} (mode 0600)" in dialog.status.toolTip()
    assert "s3cret" not in text + dialog.status.toolTip()
    assert json.loads(credentials.read_text(encoding="utf-8"))["lab"]["password"] == "s3cret"
