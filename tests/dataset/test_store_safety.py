"""Training sets and hostile strings: names and ids from users or files never steer a write
outside its root; the private link file is 0600 and the user's chosen folder keeps its mode."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.layout import init_dataset, read_dataset
from neuroview.dataset.store import add_case
from tests.dataset.label_maps import lesion_map

CLI_FORKED = "what `dataset add` and `list` say and leave on disk, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "/tmp/abs", "", "a b"])
def test_dataset_names_that_are_paths_are_refused(tmp_path, name):
    (tmp_path / "data").mkdir()
    with pytest.raises(DatasetError, match="may only hold"):
        init_dataset(tmp_path / "data", name, ["lesion"])
    assert _tree(tmp_path) == {"data"}


@pytest.mark.parametrize("name, fault", [("Doe/Jane", "it holds '/'"), ("../Doe", "it holds '..'"),
                                         ("Jane Doe", "it holds a space"), ("", "it is empty")])
def test_a_refused_dataset_name_is_not_quoted(tmp_path, name, fault):
    """A dataset may be named after a patient: the refusal says what is wrong, not the name."""
    with pytest.raises(DatasetError) as caught:
        init_dataset(tmp_path, name, ["lesion"])
    assert str(caught.value) == ("dataset name may only hold letters, digits, '_' and '-': "
                                 f"{fault} (name not shown)")


@pytest.mark.parametrize("uid", ["../../../escaped", "/tmp/escaped", "a/b"])
def test_a_dataset_uid_cannot_move_the_private_link_file(tmp_path, small_mr, uid):
    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    own = folder / "neuroview.json"
    own.write_text(json.dumps({**json.loads(own.read_text()), "dataset_uid": uid}))
    home = Path(os.environ["NEUROVIEW_HOME"])
    before = _tree(home.parent), _tree(tmp_path)
    with pytest.raises(DatasetError, match="dataset_uid is not allowed"):
        read_dataset(folder)
    with pytest.raises(DatasetError, match="dataset_uid is not allowed"):
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


def _symlinked(tmp_path, small_mr, kind):
    """A dataset with one case and a symbolic link of ``kind`` planted in it; the outside folder."""
    from neuroview.io.nifti import save_nifti

    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    add_case(folder, small_mr, lesion_map(small_mr))
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.nii.gz"
    save_nifti(lesion_map(small_mr).array, small_mr.ijk_to_ras, secret)
    if kind == "label-file":
        (folder / "labelsTr" / "nv_0002.nii.gz").symlink_to(secret)
    elif kind == "image-file":
        (folder / "imagesTr" / "nv_0002_0000.nii.gz").symlink_to(secret)
    elif kind == "images-folder":
        (folder / "imagesTr").rename(outside / "imagesTr")
        (folder / "imagesTr").symlink_to(outside / "imagesTr")
    return folder, outside


@pytest.mark.parametrize("kind", ["label-file", "image-file", "images-folder"])
def test_symlinks_in_a_dataset_are_refused_by_add_and_list(tmp_path, small_mr, kind):
    from neuroview.dataset.store import list_cases

    folder, outside = _symlinked(tmp_path, small_mr, kind)
    before = _tree(folder), _tree(outside)
    with pytest.raises(DatasetError, match="symbolic link") as caught:
        add_case(folder, small_mr, lesion_map(small_mr))
    assert str(folder) in str(caught.value)
    with pytest.raises(DatasetError, match="symbolic link"):
        list_cases(folder)
    assert (_tree(folder), _tree(outside)) == before  # nothing written, moved or repaired


def test_a_provenance_record_naming_another_case_is_refused(tmp_path, small_mr):
    from neuroview.dataset.store import list_cases

    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    add_case(folder, small_mr, lesion_map(small_mr))
    record = folder / "provenance" / "nv_0001.json"
    record.write_text(json.dumps({**json.loads(record.read_text()), "case": "../../outside"}))
    with pytest.raises(DatasetError, match="names the case '../../outside'"):
        list_cases(folder)


def test_cli_dataset_add_and_list_refuse_a_symlink_in_one_line(tmp_path, small_mr, cli):
    from neuroview.io.nifti import save_nifti

    folder, outside = _symlinked(tmp_path, small_mr, "label-file")
    save_nifti(small_mr.array, small_mr.ijk_to_ras, tmp_path / "t1.nii.gz")
    save_nifti(lesion_map(small_mr).array, small_mr.ijk_to_ras, tmp_path / "mask.nii.gz")
    for args in (("add", folder, "--image", tmp_path / "t1.nii.gz", "--labels",
                  tmp_path / "mask.nii.gz"), ("list", folder)):
        result = cli("dataset", *args)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1, result.stderr
        assert len(lines) == 1 and "labelsTr/nv_0002.nii.gz is a symbolic link" in lines[0], lines
        assert str(folder) in lines[0] and "Traceback" not in result.stderr
    assert sorted(p.name for p in (folder / "labelsTr").iterdir()) == ["nv_0001.nii.gz", "nv_0002.nii.gz"]


LABELS_SAID = ("dataset.json's labels must be label names with whole numbers "
               '(e.g. {"background": 0, "lesion": 1}), not ')


@pytest.mark.parametrize("change, said", [
    (lambda data: {**data, "labels": {"background": 0, "lesion": "[" * 100_000 + "]" * 100_000}},
     "cannot read dataset.json (it is nested too deeply to read)"),
    # until session 39 Python's words, and the line named the folder: "dataset.json or
    # neuroview.json is unreadable ('NoneType' object has no attribute 'items')", "(cannot
    # convert float infinity to integer)"
    (lambda data: {**data, "labels": None}, LABELS_SAID + "null"),
    (lambda data: {**data, "labels": {"background": 0, "lesion": "1e999"}},
     LABELS_SAID + '{"background": 0, "lesion": Infinity}'),
])
def test_a_hostile_dataset_json_is_one_line_for_list_and_add(cli, tmp_path, change, said):
    """A dataset.json nested 100,000 deep was an internal RecursionError in ``dataset list`` and
    ``dataset add`` (the reader did not go through the bounded JSON reader the model cards use);
    labels of null or 1e999 were an AttributeError and an OverflowError."""
    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    path = folder / "dataset.json"
    text = json.dumps(change(json.loads(path.read_text())))
    path.write_text(text.replace('"[', "[").replace(']"', "]").replace('"1e999"', "1e999"))
    for args in (["list", folder], ["add", folder, "--image", "x.nii.gz", "--labels", "y.nii.gz"]):
        result = cli("dataset", *args)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1, result.stderr
        assert lines[0] == f"neuroview: error: {path}: {said}", lines[0]


@pytest.mark.parametrize("channels", [{"0": -(2 ** 63)}, {}, {"1": "T1"}, {"0": ""}, ["T1"]])
def test_dataset_json_channel_names_that_name_no_channel_are_one_line(cli, tmp_path, channels):
    """channel_names {"0": <a number>} was an internal TypeError in ``dataset list`` and an
    AttributeError in ``dataset add``; with none, ``add`` said "this dataset expects 0 channel(s)
    per case" naming no file (found by bench/folder_fuzz.py)."""
    from neuroview.io.nifti import save_nifti

    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    path = folder / "dataset.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "channel_names": channels}))
    image = save_nifti(np.ones((8, 8, 8), np.float32), np.eye(4), tmp_path / "image.nii.gz")
    mask = save_nifti(np.zeros((8, 8, 8), np.uint8), np.eye(4), tmp_path / "mask.nii.gz")
    for args in (["list", folder], ["add", folder, "--image", image, "--labels", mask]):
        result = cli("dataset", *args)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1, result.stderr
        assert lines[0] == (
            f"neuroview: error: {path}: dataset.json's channel_names must name each channel "
            '(e.g. {"0": "T1", "1": "FLAIR"})'), lines[0]


@pytest.mark.parametrize("labels", [{"background": 0, "lesion": -1}, {"background": 0, "lesion": 0},
                                    {"lesion": 1}, {"background": 1, "lesion": 2}])
def test_dataset_json_labels_without_their_own_values_are_one_line(cli, tmp_path, labels):
    """A label of -1 (or one sharing background's 0) made ``dataset add`` blame the mask ("mask
    holds values 1 that are not labels of the dataset (-1=lesion)"); found by
    bench/folder_fuzz.py, seed 2. Now one line naming dataset.json."""
    from neuroview.io.nifti import save_nifti

    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    path = folder / "dataset.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "labels": labels}))
    image = save_nifti(np.ones((8, 8, 8), np.float32), np.eye(4), tmp_path / "image.nii.gz")
    mask = np.zeros((8, 8, 8), np.uint8)
    mask[2:4, 2:4, 2:4] = 1
    mask = save_nifti(mask, np.eye(4), tmp_path / "mask.nii.gz")
    for args in (["list", folder], ["add", folder, "--image", image, "--labels", mask]):
        result = cli("dataset", *args)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and lines == [
            f"neuroview: error: {path}: dataset.json's labels must give background 0 and each "
            'label its own value from 1 to 65535 (e.g. {"background": 0, "lesion": 1})'], result.stderr


@pytest.mark.parametrize("plant", ["pipe", "link"])
def test_a_lock_file_that_is_no_file_is_one_line(tmp_path, small_mr, plant):
    """A training set handed over with a named pipe as its ``.neuroview.lock``: ``dataset add``
    was `internal error: UnsupportedOperation: File or stream is not seekable`
    (``bench/folder_fuzz.py --seed 41``, session 41); a link there was followed."""
    from neuroview.core.errors import NeuroviewError
    from neuroview.core.file_lock import DATASET_LOCK

    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    lock = folder / DATASET_LOCK
    lock.unlink(missing_ok=True)
    if plant == "pipe":
        os.mkfifo(lock)
    else:
        (tmp_path / "elsewhere").write_text("theirs")
        lock.symlink_to(tmp_path / "elsewhere")
    before = _tree(folder)
    with pytest.raises(NeuroviewError) as caught:
        add_case(folder, small_mr, lesion_map(small_mr))
    said = "not a regular file (a named pipe or a device)" if plant == "pipe" else "a symbolic link"
    assert str(caught.value) == f"{lock}: lock file is {said}: remove it"
    assert _tree(folder) == before
    assert plant == "pipe" or (tmp_path / "elsewhere").read_text() == "theirs"
