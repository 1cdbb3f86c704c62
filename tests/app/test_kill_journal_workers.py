"""SIGKILL after Load labels (its voxels journaled by a worker, the record by the GUI thread), after
a Save labels that left its compaction to a worker, and inside a compaction whose base a worker
wrote: reopening the workspace gives the labels back, at
every point (before the switch from the journal and its blob, after it from the new base)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys

import nibabel as nib
import numpy as np
import pytest

from neuroview import Session
from neuroview.io.nifti import save_nifti


def _kill_the_child_after(small_image, tmp_path, stop_after, save: bool):
    """Run journal_worker_child.py's ``main`` on a two-label mask in a forked copy of the test (its
    imports made: a fresh interpreter spent most of its CPU importing), SIGKILL it once it printed
    ``stop_after``: (the labels, the workspace, the NIfTI it saved or None)."""
    from tests.app import journal_worker_child

    volume = Session.open(small_image).volume
    labels = np.zeros(volume.shape, np.uint8)
    labels[10:40, 10:50, 10:40] = 1
    labels[40:60, 20:60, 20:50] = 2
    mask = save_nifti(labels, volume.ijk_to_ras, tmp_path / "mask.nii.gz")
    workspace = tmp_path / "ws"
    saved = tmp_path / "saved.nii.gz" if save else None
    argv = ["journal_worker_child.py", str(small_image), str(mask), str(workspace), stop_after]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: never returns into the test
        try:
            os.close(read)
            sys.stdout = os.fdopen(write, "w", buffering=1)
            sys.argv = argv + ([str(saved)] if save else [])
            journal_worker_child.main()
        finally:
            os._exit(1)
    os.close(write)
    try:
        with os.fdopen(read) as lines:
            for line in lines:
                if line.split()[0] == stop_after:
                    os.kill(pid, signal.SIGKILL)
                    break
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        status = os.waitpid(pid, 0)[1]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return labels, workspace, saved


@pytest.mark.parametrize("stop_after", ["loaded", "written", "adopted"])
def test_sigkill_after_a_worker_journaled_step_restores_it(small_image, tmp_path, stop_after):
    labels, workspace, _ = _kill_the_child_after(small_image, tmp_path, stop_after, save=False)
    restored = Session.open(small_image, workspace=workspace)
    np.testing.assert_array_equal(restored.labels.array, labels)
    assert restored.journal.generation == (1 if stop_after == "adopted" else 0)
    blobs = list(workspace.glob("blob-*.bin"))
    assert len(blobs) == (0 if stop_after == "adopted" else 1)


@pytest.mark.parametrize("stop_after", ["writing", "saved", "written", "adopted"])
def test_sigkill_while_a_save_compacts_in_a_worker_loses_nothing(small_image, tmp_path, stop_after):
    """Save labels (also a DICOM SEG or PACS save: the same compaction) writes the file from a
    worker and leaves the compaction to a worker: killed inside the file's write, after the file,
    after the worker's base, after the switch, the workspace gives the labels back, and the file
    too once it was renamed into place (inside the write there is no file yet)."""
    labels, workspace, saved = _kill_the_child_after(small_image, tmp_path, stop_after, save=True)
    if stop_after == "writing":
        assert not saved.exists()
    else:
        np.testing.assert_array_equal(np.asarray(nib.load(saved).dataobj), labels)
    restored = Session.open(small_image, workspace=workspace)
    np.testing.assert_array_equal(restored.labels.array, labels)
    assert restored.journal.generation == (1 if stop_after == "adopted" else 0)
    pending = list(workspace.glob("pending-*.npz"))
    assert len(pending) == (1 if stop_after == "written" else 0)


def test_an_edit_during_a_background_compaction_keeps_the_journal(small_image, tmp_path):
    """The base is written by a worker while the user paints: the switch is dropped (the journal
    still holds every edit, the pending base is deleted) and a restart restores the painted map;
    the next compaction works."""
    workspace = tmp_path / "ws"
    session = Session.open(small_image, workspace=workspace)
    session.segments.add("a")
    centre = session.volume.center_ras
    session.apply("paint", at_ras=centre, radius_mm=6.0, mode="3d", segment=1, path=[centre])
    checkpoint = session.begin_checkpoint()
    assert checkpoint.write() and checkpoint.base.exists()
    at = centre + [20.0, 0, 0]
    session.apply("paint", at_ras=at, radius_mm=6.0, mode="3d", segment=1, path=[at])  # meanwhile
    assert not session.end_checkpoint(checkpoint)
    assert not checkpoint.base.exists() and session.journal.generation == 0
    expected = session.labels.array.copy()
    assert (expected > 0).sum() > 2 * 20
    restored = Session.open(small_image, workspace=workspace)
    np.testing.assert_array_equal(restored.labels.array, expected)
    restored.close()
    again = session.begin_checkpoint()
    assert again.write() and session.end_checkpoint(again) and session.journal.generation == 1
    session.close()
    np.testing.assert_array_equal(Session.open(small_image, workspace=workspace).labels.array, expected)
