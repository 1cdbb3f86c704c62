"""A test taking its own patches back with ``monkeypatch.undo()`` keeps the isolated user folder:
until session 52 the undo also took back conftest's NEUROVIEW_HOME, and what the test did next
(a save, a dataset add) wrote into the user's real ~/.local/share/neuroview."""

from __future__ import annotations

import os
from pathlib import Path


def test_undoing_a_tests_own_patches_keeps_the_isolated_home(monkeypatch, tmp_path):
    from neuroview import paths

    home = os.environ["NEUROVIEW_HOME"]
    monkeypatch.setenv("SOME_OTHER_SETTING", "1")
    monkeypatch.undo()
    assert "SOME_OTHER_SETTING" not in os.environ
    assert os.environ.get("NEUROVIEW_HOME") == home
    assert Path(paths.user_data_dir()).resolve() == Path(home).resolve()
