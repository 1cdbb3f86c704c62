"""Training sets and hostile strings: names and ids from users or files never steer a write
outside its root; the private link file is 0600 and the user's chosen folder keeps its mode."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.store import add_case, init_dataset, read_dataset
from tests.dataset.conftest import lesion_map


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "/tmp/abs", "", "a b"])
def test_dataset_names_that_are_paths_are_refused(tmp_path, name):
    (tmp_path / "data").mkdir()
    with pytest.raises(DatasetError, match="may only hold"):
        init_dataset(tmp_path / "data", name, ["lesion"])
    assert _tree(tmp_path) == {"data"}


@pytest.mark.parametrize("uid", ["../../../escaped", "/tmp/escaped", "a/b"])
def test_a_dataset_uid_cannot_move_the_private_link_file(tmp_path, small_mr, uid):
    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    own = folder / "neuroview.json"
    own.write_text(json.dumps({**json.loads(own.read_text()), "dataset_uid": uid}))
    home = Path(os.environ["NEUROVIEW_HOME"])
    before = _tree(home.parent), _tree(tmp_path)
    with pytest.raises(DatasetError, match="dataset_uid .* is not allowed"):
        read_dataset(folder)
    with pytest.raises(DatasetError, match="dataset_uid .* is not allowed"):
        add_case(folder, small_mr, lesion_map(small_mr))
    assert (_tree(home.parent), _tree(tmp_path)) == before


def test_link_file_is_private_and_the_chosen_folder_keeps_its_mode(tmp_path, small_mr):
    old = os.umask(0o022)
    try:
        folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
        chosen = tmp_path / "mine"
        chosen.mkdir(mode=0o755)
        os.chmod(chosen, 0o755)
        add_case(folder, small_mr, lesion_map(small_mr), links_path=chosen / "links.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE(chosen.stat().st_mode) == 0o755          # never chmodded
    assert stat.S_IMODE((chosen / "links.json").stat().st_mode) == 0o600
    for written in [folder / "dataset.json", *folder.glob("*Tr/*.nii.gz"), *folder.glob("provenance/*")]:
        assert stat.S_IMODE(written.stat().st_mode) == 0o644, written  # the umask, like any tool
    default_links = Path(os.environ["NEUROVIEW_HOME"]) / "private-links"
    add_case(folder, small_mr, lesion_map(small_mr))
    assert stat.S_IMODE(default_links.stat().st_mode) == 0o700     # made here, for private files
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in default_links.iterdir())
