"""neuroview's data folder (workspaces, models, worklists...) is private: folders 0700, files 0600,
whatever the umask; a folder the user chose elsewhere (a save or export target) keeps the umask's
modes.

Before: the data folder and everything in it were 0755 / 0644 under the usual umask 022, so
another login on the workstation could read the patients' masks in the workspaces."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.core.volume import Volume
from neuroview.paths import user_data_dir


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def edited_case(tmp_path):
    volume = Volume(np.random.default_rng(1).normal(size=(12, 11, 10)).astype(np.float32), np.eye(4))
    case = Case.open(volume)
    session = case.session
    lesion = session.segments.add("lesion")
    session.apply("paint", at_ras=(5.0, 5.0, 5.0), radius_mm=2.0, mode="3d", segment=lesion)
    session.checkpoint()   # base-1.npz
    session.apply("paint", at_ras=(7.0, 5.0, 5.0), radius_mm=2.0, mode="3d", segment=lesion)
    return case


def test_the_data_folder_and_the_workspaces_in_it_are_private(tmp_path, monkeypatch, umask_022):
    home = tmp_path / "fresh" / "neuroview-home"
    monkeypatch.setenv("NEUROVIEW_HOME", str(home))
    case = edited_case(tmp_path)
    while_open = [home, *home.rglob("*")]
    assert any(p.name.endswith(".open") for p in while_open)   # the workspace's lock file
    modes = {path: mode(path) for path in while_open}
    case.close()
    found = [home, *home.rglob("*")]
    names = {p.name for p in found}
    assert {"workspaces", "workspace.json", "segments.json", "base-1.npz", "journal-1.bin"} <= names
    modes.update((path, mode(path)) for path in found)
    for path, found_mode in modes.items():
        expected = 0o700 if path.is_dir() else 0o600
        assert found_mode == expected, f"{path.relative_to(tmp_path)} is {oct(found_mode)}"


def test_labels_saved_to_a_folder_the_user_chose_follow_the_umask(tmp_path, monkeypatch, umask_022):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    case = edited_case(tmp_path)
    chosen = tmp_path / "exports"
    chosen.mkdir()
    case.session.save_labels(chosen / "new" / "labels.nii.gz")
    case.close()
    assert mode(chosen) == 0o755 and mode(chosen / "new") == 0o755
    assert mode(chosen / "new" / "labels.nii.gz") == 0o644


def test_the_default_data_folder_left_readable_by_an_older_neuroview_is_made_private(
        tmp_path, monkeypatch, umask_022):
    monkeypatch.delenv("NEUROVIEW_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    old = tmp_path / "share" / "neuroview"
    old.mkdir(parents=True)
    os.chmod(old, 0o755)
    assert user_data_dir() == old and mode(old) == 0o700
