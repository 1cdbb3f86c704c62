"""``neuroview view DIR`` opens DIR in the window, as ``neuroview DIR`` does. The word was taken
for a path: the window said "view: no such file or folder" and DIR was not opened."""

from __future__ import annotations

import pytest

from neuroview.cli import main as cli_main


@pytest.fixture
def opened(monkeypatch):
    paths = []
    monkeypatch.setattr(cli_main, "open_window", lambda given: paths.append(given) or 0)
    return paths


def test_view_opens_the_paths_after_it(opened, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli_main.main(["view", "/data/ct", "/data/mr.nii.gz"]) == 0
    assert opened == [["/data/ct", "/data/mr.nii.gz"]]


def test_a_folder_named_view_is_still_opened(opened, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "view").mkdir()
    assert cli_main.main(["view"]) == 0
    assert opened == [["view"]]


def test_the_help_names_it(capsys):
    with pytest.raises(SystemExit):
        cli_main.main(["--help"])
    assert "neuroview [view] [PATH ...]" in capsys.readouterr().out
