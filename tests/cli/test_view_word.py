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


@pytest.mark.parametrize("word, said", [
    ("sgement", "sgement: no such file or folder (nor a verb: did you mean 'neuroview segment'?)"),
    ("infoo", "infoo: no such file or folder (nor a verb: did you mean 'neuroview info'?)"),
])
def test_a_mistyped_verb_is_named_as_the_verb_it_may_be(capsys, tmp_path, monkeypatch, word, said):
    """It said ``sgement: no such file or folder`` alone, as of a file (until session 40)."""
    monkeypatch.chdir(tmp_path)
    assert cli_main.main([word, "t1.nii.gz", "-o", "masks/"]) == 1   # (argparse: "unrecognized")
    assert capsys.readouterr().err.strip().splitlines() == [f"neuroview: error: {said}"]


def test_a_missing_file_is_named_alone(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli_main.main(["t1.nii.gz"]) == 1
    said = capsys.readouterr().err.strip().splitlines()
    assert said == ["neuroview: error: t1.nii.gz: no such file or folder"]


def test_version_is_printed(capsys):
    """``neuroview --version`` said 'unrecognized arguments: --version' (exit 2) until session 40."""
    from neuroview import __version__

    with pytest.raises(SystemExit) as stop:
        cli_main.main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out == f"neuroview {__version__}\n"
