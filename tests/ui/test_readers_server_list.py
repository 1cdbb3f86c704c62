"""*Compare readers* and *Adjudicate* open on an unreadable server list (``pacs/servers.json`` a
folder, or not JSON): the dialog read the list when it was built and the error escaped, so
neither opened at all. Now its status line names the list by name and folder and why, and the
SEGs beside the series are still found and compared; a list repaired meanwhile counts when the
dialog is opened again."""

from __future__ import annotations

import json

from readers_helpers import find_and_compare, open_readers, study

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _servers_json(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    listed = tmp_path / "home" / "pacs" / "servers.json"
    listed.parent.mkdir(parents=True)
    return listed


def test_compare_readers_opens_on_a_server_list_that_is_a_folder(qtbot, window, tmp_path, mni_volume,
                                                                  monkeypatch):
    listed = _servers_json(tmp_path, monkeypatch)
    listed.mkdir()
    dialog = open_readers(qtbot, window, study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False))
    assert dialog.status.text() == ("servers.json in …/pacs: cannot read the server list "
                                    "(it is not a regular file (a named pipe, device or folder)); "
                                    "SEGs are looked for on this computer only.")   # IsADirectoryError
    assert str(listed) in dialog.status.toolTip()
    assert [dialog.server_box.itemText(i) for i in range(dialog.server_box.count())] == \
        ["(this computer only)"]
    find_and_compare(qtbot, window, dialog)
    assert dialog.status.text() == "2 readers; consensus by STAPLE."
    assert dialog.legend.rowCount() == 2 and dialog.pairs.rowCount() == 1
    assert listed.is_dir()   # left as it is


def test_adjudicate_opens_on_a_list_that_is_not_json_and_sees_it_repaired(qtbot, window, tmp_path,
                                                                          mni_volume, monkeypatch):
    listed = _servers_json(tmp_path, monkeypatch)
    listed.write_text("{ not json", encoding="utf-8")
    folder = study(tmp_path, mni_volume, huge=False)
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Adjudicate...").trigger()
    dialog = window.pacs_actions.readers.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Adjudicate"
    assert dialog.status.text().startswith("servers.json in …/pacs: cannot read the server list "
                                           "(a name in double quotes is missing at line 1, "
                                           "column 3)"), dialog.status.text()
    assert listed.read_text(encoding="utf-8") == "{ not json"
    dialog.close()
    listed.write_text(json.dumps({"lab": {"host": "pacs.example.org", "port": 104}}), encoding="utf-8")
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Adjudicate...").trigger()
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.status.text() == "Find the readers' SEGs of the open series."
    assert not dialog.status.toolTip()
    assert dialog.server_box.currentText() == "lab"
