"""A folder named like the worklist's state file is the user's: opening the worklist (or a change
saved while it is open) is refused in one line naming it, and the folder and what it holds stay.
It was renamed ``.neuroview-worklist.json.broken`` and a state file written in its place."""

from __future__ import annotations

import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.worklist import Worklist
from tests.dataset.case_folder import case_folder

REFUSED = "is a folder, not the worklist's state file: move or rename it; nothing was changed"


@pytest.fixture
def cases(tmp_path):
    return case_folder(tmp_path, ("c01.nii.gz", "c02.nrrd"))


def test_an_empty_folder_in_place_of_the_state_file_is_refused_and_kept(cases):
    state = cases / ".neuroview-worklist.json"
    state.mkdir()
    with pytest.raises(DatasetError) as raised:
        Worklist.open(cases)
    assert str(raised.value) == f"{state}: {REFUSED}"
    assert "\n" not in str(raised.value)
    assert state.is_dir() and list(state.iterdir()) == []
    assert not (cases / ".neuroview-worklist.json.broken").exists()
    # nothing left beside it: no empty .neuroview-worklist.json.lock (the lock was taken first)
    assert sorted(p.name for p in cases.iterdir()) == [".neuroview-worklist.json", "c01.nii.gz",
                                                       "c02.nrrd"]


def test_a_folder_made_while_the_worklist_is_open_is_not_replaced_by_a_save(cases):
    worklist = Worklist.open(cases)
    state = cases / ".neuroview-worklist.json"
    state.unlink(missing_ok=True)
    state.mkdir()
    (state / "notes.txt").write_text("mine")
    with pytest.raises(DatasetError, match="is a folder, not the worklist's state file"):
        worklist.set_status("c01.nii.gz", "corrected")
    assert state.is_dir() and (state / "notes.txt").read_text() == "mine"
    assert not (cases / ".neuroview-worklist.json.broken").exists()
