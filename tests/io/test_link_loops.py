"""A path that is a loop of symbolic links (a link to itself, or two links to each other) is one
line saying so, naming it: `info`, `convert`, the window's command line and the readers said
"no such file or folder" (or "file not found") of it, which sent the user looking for a missing
file. A link to nothing says that; a name that is not there is still "no such file or folder"."""

from __future__ import annotations

import os

import pytest

from neuroview.core.errors import LoadError
from neuroview.io import scan
from neuroview.io.nifti import load_nifti
from neuroview.io.nrrd import load_nrrd


@pytest.fixture
def links(tmp_path):
    os.symlink("self.nii", tmp_path / "self.nii")
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    os.symlink("gone.nii", tmp_path / "dangling.nii")
    return tmp_path


@pytest.mark.parametrize("name", ["self.nii", "a"])
@pytest.mark.parametrize("verb", [("info",), ("convert", "OUT"), ("view",)])
def test_a_loop_of_links_is_one_line_naming_it(links, cli, name, verb):
    args = [str(links / "out.nii.gz") if word == "OUT" else word for word in verb[1:]]
    done = cli(verb[0], links / name, *args)
    assert done.returncode != 0
    (line,) = done.stderr.splitlines()
    assert line == f"neuroview: error: {links / name}: is a loop of symbolic links"
    assert not (links / "out.nii.gz").exists()


def test_the_readers_name_a_loop_a_link_to_nothing_and_a_missing_file(links):
    with pytest.raises(LoadError, match="self.nii: is a loop of symbolic links"):
        scan(links / "self.nii")
    with pytest.raises(LoadError, match="self.nii: is a loop of symbolic links"):
        load_nifti(links / "self.nii")
    os.symlink("loop.nrrd", links / "loop.nrrd")
    with pytest.raises(LoadError, match="loop.nrrd: is a loop of symbolic links"):
        load_nrrd(links / "loop.nrrd")
    with pytest.raises(LoadError, match="dangling.nii: is a symbolic link to nothing"):
        scan(links / "dangling.nii")
    with pytest.raises(LoadError, match="missing.nii: no such file or folder"):
        scan(links / "missing.nii")

