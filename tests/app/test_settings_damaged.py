"""A settings file neuroview keeps in the user's data folder that is damaged is said once, in one
line naming it, what was wrong and what neuroview does instead, and kept aside as NAME.bad; the
setting starts from its default and the next write makes a good file. They fell back in silence:
a user's recent list was gone without a word, and the next write replaced the broken file."""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

import numpy as np
import pytest

from neuroview.ai.consent import trusted_digests
from neuroview.ai.measurements import MeasurementStore
from neuroview.app.followup_chosen import chosen_last, remember_chosen
from neuroview.app.kept_keys import _looked, _mark
from neuroview.app.last_dataset import remember_dataset, remembered_dataset
from neuroview.app.measure_memory import remember_measurements, remembered_measurements
from neuroview.app.overlay_memory import remember_overlay, remembered_overlay
from neuroview.app.reader_name import known_reader, proposed_annotator, remember_reader, remembered_reader
from neuroview.app.save_folder import remember_folder, remembered_folder
from neuroview.app.saved_labels import remember_saved_labels, saved_labels_for
from neuroview.app.view3d_choice import View3DChoice, remember_3d_choice, remembered_3d_choice
from neuroview.app.viewer_recent import RecentFiles
from neuroview.core.errors import NeuroviewError
from neuroview.core.settings_file import listen
from neuroview.io.pacs.cache import cache_limit_gb, set_cache_limit_gb
from neuroview.paths import user_data_dir


@pytest.fixture
def said():
    """The lines said about settings files (as the command line prints them)."""
    lines = []
    listen(lines.append)
    yield lines
    listen(None)


def _volume(tmp_path):
    image = tmp_path / "brain.nii.gz"
    image.write_bytes(b"x")
    return SimpleNamespace(source_path=str(image), source_metadata={}, array=np.zeros((2, 3, 4)),
                           ijk_to_ras=np.eye(4))


# name, read it (the default expected), write a good one, read it back
SETTINGS = {
    "recent.json": (lambda t: RecentFiles().entries(), [],
                    lambda t: RecentFiles().add([t / "a.nii.gz"]),
                    lambda t: RecentFiles().entries()[0].paths == [str(t / "a.nii.gz")]),
    "overlays.json": (lambda t: remembered_overlay("k"), None,
                      lambda t: remember_overlay("k", {"path": str(t / "a.nii.gz"), "series": ""}),
                      lambda t: remembered_overlay("k")["path"] == str(t / "a.nii.gz")),
    "last-dataset.json": (lambda t: remembered_dataset(), {},
                          lambda t: remember_dataset(t, "ana"),
                          lambda t: remembered_dataset()["annotator"] == "ana"),
    "last-save-folder.json": (lambda t: remembered_folder(), None,
                              lambda t: remember_folder(t / "x.nii.gz"),
                              lambda t: remembered_folder() == t),
    "saved-labels.json": (lambda t: saved_labels_for(_volume(t)), None,
                          lambda t: remember_saved_labels(_volume(t), t / "brain.nii.gz"),
                          lambda t: saved_labels_for(_volume(t)) == str(t / "brain.nii.gz")),
    "followup-chosen.json": (lambda t: chosen_last(), None,
                             lambda t: remember_chosen({"fields": {"baseline": str(t / "a.nii.gz")}}),
                             lambda t: chosen_last()["fields"]["baseline"] == str(t / "a.nii.gz")),
    "pacs/settings.json": (lambda t: cache_limit_gb(), 20.0, lambda t: set_cache_limit_gb(3),
                           lambda t: cache_limit_gb() == 3.0),
    "measurements.json": (lambda t: MeasurementStore(user_data_dir()).get("k"), None,
                          lambda t: MeasurementStore(user_data_dir()).put("k", "m@1", [0.5], {}),
                          lambda t: MeasurementStore(user_data_dir())._read()["k"]["dice"] == [0.5]),
    "drawn-measurements/k.json": (lambda t: remembered_measurements("k"), None,
                                  lambda t: remember_measurements("k", [{"kind": "angle"}]),
                                  lambda t: remembered_measurements("k") == [{"kind": "angle"}]),
    "trusted-code.json": (lambda t: trusted_digests(), set(), lambda t: None, lambda t: True),
    "view-3d.json": (lambda t: remembered_3d_choice(["MR default"]), View3DChoice(),
                     lambda t: remember_3d_choice(View3DChoice("MR default", False)),
                     lambda t: remembered_3d_choice(["MR default"]) == View3DChoice("MR default", False)),
    "carried-keys.json": (lambda t: _looked("k", "remembered_view"), False,
                          lambda t: _mark("k", "remembered_view"),
                          lambda t: _looked("k", "remembered_view")),
    "pacs/reader.txt": (lambda t: remembered_reader(), "", lambda t: remember_reader("Dr Who"),
                        lambda t: remembered_reader() == "Dr Who"),
}
DAMAGE = {"cut": (b'[\n ["/data/a.nii.gz"],\n', "not JSON (it ends at line 3, column 1, where a "
                  "value belongs: cut short?)"),
          "empty": (b"", "it is empty"),
          "binary": (b"\xff\xfe\x00garbage", "not UTF-8 text: byte 0xff at offset 0")}


@pytest.mark.parametrize(("name", "damage"), [(n, d) for n in SETTINGS for d in DAMAGE
                                               if d == "binary" or not n.endswith(".txt")])
def test_a_damaged_settings_file_is_said_once_and_kept_aside(name, damage, tmp_path, said):
    read, default, write, written = SETTINGS[name]
    content, problem = DAMAGE[damage]
    path = user_data_dir() / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    assert read(tmp_path) == default
    assert read(tmp_path) == default   # said once
    lines = said
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}: {problem}; ") and lines[0].endswith(
        f"; the file kept as {path.name}.bad"), lines[0]
    assert (path.parent / f"{path.name}.bad").read_bytes() == content and not path.exists()
    write(tmp_path)
    assert written(tmp_path)


def test_a_settings_file_of_the_wrong_shape_is_said_and_a_folder_in_its_place(tmp_path, said):
    (user_data_dir() / "recent.json").write_text('{"paths": ["/a"]}')
    (user_data_dir() / "last-dataset.json").mkdir()
    assert RecentFiles().entries() == [] and remembered_dataset() == {}
    lines = said
    home = user_data_dir()
    assert lines == [
        f"{home}/recent.json: not a JSON list; File > Recent starts with an empty list; the file "
        "kept as recent.json.bad",
        f"{home}/last-dataset.json: it is not a regular file (a named pipe, device or folder); the "
        "training-set dialogs start with no folder or annotator; the file kept as "
        "last-dataset.json.bad"]


def test_a_damaged_file_that_cannot_be_moved_is_said_once_and_left(tmp_path, said, monkeypatch):
    """A folder the user cannot write (a shared home): the rename fails (faked here: the tests
    run as root too, who may rename anything)."""
    path = user_data_dir() / "recent.json"
    path.write_text("[")
    real = os.replace

    def refused(source, target):
        if str(target).endswith(".bad"):
            raise PermissionError(13, "Permission denied", str(source))
        real(source, target)

    monkeypatch.setattr(os, "replace", refused)
    for _ in range(3):
        assert RecentFiles().entries() == []
    lines = said
    assert lines == [f"{path}: not JSON (it ends at line 1, column 2, where a value belongs: cut "
                     "short?); File > Recent starts with an empty list; the file left as it is "
                     "(Permission denied)"]
    assert path.read_text() == "["


def test_a_file_damaged_again_later_is_said_again(said):
    path = user_data_dir() / "recent.json"
    for _ in range(2):
        path.write_text("[")
        assert RecentFiles().entries() == []
    assert len(said) == 2 and said[0] == said[1] and not path.exists()


@pytest.mark.parametrize("grid", ["x", {"a": 1}, [[1, 2], [3]], [1, 2, 3], None])
def test_saved_labels_on_a_grid_that_is_no_matrix_are_not_offered(tmp_path, said, grid):
    """``saved-labels.json`` whose entry for the image holds a grid affine of another type or size
    (``bench/mutate_readers.py --only settings``, seed 55): ``np.allclose`` raised TypeError or
    ValueError out of ``saved_labels_for``, an internal error as the image opened."""
    volume = _volume(tmp_path)
    remember_saved_labels(volume, tmp_path / "brain.nii.gz")
    path = user_data_dir() / "saved-labels.json"
    entries = json.loads(path.read_text())
    entries[0]["ijk_to_ras"] = grid
    path.write_text(json.dumps(entries))
    assert saved_labels_for(volume) is None
    entries[0]["ijk_to_ras"] = np.eye(4).tolist()
    path.write_text(json.dumps(entries))
    assert saved_labels_for(volume) == str(tmp_path / "brain.nii.gz")


@pytest.mark.parametrize("kept", [{"dataset": 1e38, "annotator": "ana"}, {"dataset": None},
                                  {"dataset": "/d", "annotator": ["x"]}, {"annotator": 76}])
def test_a_last_dataset_of_values_not_text_is_said_and_the_dialogs_start_empty(said, kept):
    """``last-dataset.json`` whose folder or annotator is not text (``bench/mutate_readers.py --only
    settings``, seed 55: 13 of 300 cases): it was given to the dialogs as it was, and *Send to
    training set* did not open (``QLineEdit(1e38)``: TypeError in the window's slot)."""
    path = user_data_dir() / "last-dataset.json"
    path.write_text(json.dumps(kept))
    assert remembered_dataset() == {}
    assert proposed_annotator() and known_reader() == ""
    assert len(said) == 1 and said[0].startswith(f"{path}: not a JSON object of a folder and a name "
                                                 "as text; the training-set dialogs start with no "
                                                 "folder or annotator"), said
    assert (path.parent / "last-dataset.json.bad").exists()


@pytest.mark.parametrize("bound", ["1e999", "-1e999", "NaN"])
def test_a_pacs_cache_bound_out_of_range_is_the_default(bound):
    """A cache bound of 1e999 GB (infinity) was taken: the cache was never trimmed."""
    path = user_data_dir() / "pacs" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'{{"cache_gb": {bound}}}')
    assert cache_limit_gb() == 20.0
    with pytest.raises(NeuroviewError, match="above 0"):
        set_cache_limit_gb(float(bound))
