"""A model result made in a worker (``Case.prepare_model_result``) and applied by the GUI thread:
the same step, proposal and files as when the GUI thread made it all; an edit made meanwhile is
kept (the step is made again against it); a SIGKILL after any part restores what the journal
promises (a kill after the step was journaled, before its proposal file took its name, kept
the labels and lost the proposal: the journal now names that file)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.app.proposal import PROPOSAL_FILE
from neuroview.app.session import Session
from tests.checkout import REPO

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from model_result_child import model_labels  # noqa: E402

NAMES = {1: "lesion", 2: "brain"}


def _case(small_image, folder: Path) -> Case:
    return Case(Session.open(small_image, workspace=folder), folder)


def test_a_prepared_result_applies_as_the_gui_thread_made_it(small_image, tmp_path):
    here, there = _case(small_image, tmp_path / "a"), _case(small_image, tmp_path / "b")
    labels = model_labels(here.labels.shape)
    for case in (here, there):
        case.session.segments.add("mine")
        case.session.apply("paint", at_ras=case.volume.center_ras, radius_mm=5, segment="mine")
    here.apply_model_result(labels, NAMES, "m@1", hidden={2})
    prepared = there.prepare_model_result(there.model_result_snapshot(), labels, NAMES, "m@1", hidden={2})
    assert prepared.step.blob is not None and prepared.proposal_file.exists()
    assert not there.labels.array.any() or not (there.labels.array == 2).any()   # untouched so far
    step = there.apply_model_result(labels, NAMES, "m@1", hidden={2}, prepared=prepared)
    assert step is not None and step.step_id == len(there.session.history.undo_steps)
    np.testing.assert_array_equal(there.labels.array, here.labels.array)
    assert there.labels.segments.to_list() == here.labels.segments.to_list()
    np.testing.assert_array_equal(there.proposal.array, here.proposal.array)
    assert not prepared.proposal_file.exists() and (tmp_path / "b" / PROPOSAL_FILE).exists()
    assert there.session.voxel_counts() == here.session.voxel_counts()
    for case in (here, there):
        case.close()
    again = _case(small_image, tmp_path / "b")            # the journal and the proposal file
    np.testing.assert_array_equal(again.labels.array, here.labels.array)
    np.testing.assert_array_equal(again.proposal.array, here.proposal.array)
    again.session.undo()
    assert "brain" not in again.session.segments and (again.labels.array == 1).any()


def test_an_edit_while_the_worker_runs_is_kept(small_image, tmp_path):
    """The user paints and locks a segment while the worker makes the step: the step no longer
    fits, it is made again on the labels as they are (the stroke stays, under the lock) and comes
    after it in the history; the worker's files are removed."""
    case = _case(small_image, tmp_path / "ws")
    session = case.session
    labels = model_labels(case.labels.shape)
    prepared = case.prepare_model_result(case.model_result_snapshot(), labels, NAMES, "m@1", hidden={2})
    session.segments.add("mine")
    session.apply("paint", at_ras=session.volume.center_ras, radius_mm=5, segment="mine")
    mine = session.labels.array == session.segments["mine"].value
    session.segments.lock("mine")
    steps = len(session.history.undo_steps)
    blob = tmp_path / "ws" / prepared.step.blob["blob"]
    assert blob.exists()
    case.apply_model_result(labels, NAMES, "m@1", hidden={2}, prepared=prepared)
    assert len(session.history.undo_steps) == steps + 1
    assert session.history.undo_steps[-1].name == "model"
    np.testing.assert_array_equal(session.labels.array == session.segments["mine"].value, mine)
    assert (session.labels.array == session.segments["brain"].value).any()
    assert not blob.exists() and not prepared.proposal_file.exists()
    session.undo()
    np.testing.assert_array_equal(session.labels.array == session.segments["mine"].value, mine)


@pytest.mark.parametrize("mode, stop_after", [
    ("worker", "prepared"), ("worker", "journaled"), ("worker", "applied"),
    # the GUI thread makes the step (no worker, or an edit meanwhile): until session 24 it journaled
    # the step and then wrote the proposal file, so a kill between them lost the proposal
    ("gui", "journaled"), ("gui", "applied"), ("stale", "journaled")])
def test_sigkill_around_a_model_result(small_image, tmp_path, mode, stop_after):
    workspace = tmp_path / "ws"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen([sys.executable, str(HERE / "model_result_child.py"), str(small_image),
                                str(workspace), mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, env=env)
    try:   # the child waits after each part until told to go on: the kill lands right there
        for line in process.stdout:
            if line.split()[0] == stop_after:
                os.kill(process.pid, signal.SIGKILL)
                break
            process.stdin.write("go\n")
            process.stdin.flush()
    finally:
        process.kill()
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    restored = _case(small_image, workspace)
    pending = list(workspace.glob("proposal-pending-*.npz"))
    assert pending == []            # a kill before the step: removed on opening; after it: renamed
    if stop_after == "prepared":
        assert not restored.labels.array.any() and restored.proposal is None
    else:
        labels = model_labels(restored.labels.shape)
        brain, lesion = restored.session.segments["brain"], restored.session.segments["lesion"]
        np.testing.assert_array_equal(restored.labels.array == brain.value, labels == 2)
        np.testing.assert_array_equal(restored.labels.array == lesion.value, labels == 1)
        np.testing.assert_array_equal(restored.proposal.array, restored.labels.array)
        assert restored.model == "m@1" and not brain.visible
        assert [step.name for step in restored.session.history.undo_steps].count("model") == 1
        assert ("mine" in restored.session.segments) == (mode == "stale")
