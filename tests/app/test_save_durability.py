"""A label save is all or nothing: a full disk or a kill leaves the old NIfTI and sidecar pair."""

from __future__ import annotations

import json
import os
import random
import signal
import time

import nibabel as nib
import numpy as np
import pytest

from neuroview import Session
from neuroview.core.errors import SaveError
from tests.durability import fail_fsync_of, fork_killed


def _save(image, out, version):
    """A save of version ``version``: the image opened, a segment named for it, rows 0 to
    ``version`` painted, the pair saved. Run in a forked copy of the test (``fork_killed``): the
    imports are made, so a kill after a delay lands in the save, not in a fresh interpreter's
    imports (which took most of a ``python -c`` save's time)."""
    s = Session.open(image)
    s.segments.add(f"version-{version}", value=1)
    s.labels.array[: version + 1] = 1
    s.save_labels(out)


def _version_of(labels_path):
    """(version told by the voxels, version told by the sidecar) of a saved pair."""
    array = np.asarray(nib.load(labels_path).dataobj)
    rows = int(np.count_nonzero(array.any(axis=(1, 2))))
    name = json.loads(labels_path.with_name("labels.segments.json").read_text())[0]["name"]
    return rows - 1, int(name.split("-")[1])


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_full_disk_while_writing_the_sidecar_keeps_the_old_pair(small_image, tmp_path, monkeypatch):
    s = Session.open(small_image)
    s.segments.add("version-0", value=1)
    s.labels.array[:1] = 1
    out = tmp_path / "labels.nii.gz"
    s.save_labels(out)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    s.labels.array[:5] = 1
    s.segments.rename(1, "version-4")
    fail_fsync_of(monkeypatch, "segments")
    with pytest.raises(SaveError) as caught:
        s.save_labels(out)
    assert "disk is full" in str(caught.value) and "labels.nii.gz" in str(caught.value)
    assert "unchanged" in str(caught.value)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # the old pair, byte for byte, and no temporary left
    assert _version_of(out) == (0, 0)


def test_save_killed_anywhere_leaves_a_matching_pair(small_image, tmp_path):
    out = tmp_path / "labels.nii.gz"

    def save(version, point=None, delay=None):
        return fork_killed(_save, small_image, out, version, point=point, delay=delay)

    start = time.monotonic()
    assert save(0) == (0, "")
    duration = time.monotonic() - start
    rng = random.Random(8)
    plan = [(p, None) for p in ("commit-written", "commit-intent", "commit-renaming")]
    plan += [(None, rng.uniform(0.5, 1.0) * duration) for _ in range(5)]
    saved = 0
    for version, (point, delay) in enumerate(plan, start=1):
        code, err = save(version, point, delay)
        assert "Traceback" not in err
        if point:
            assert code == -signal.SIGKILL, point
        # The next open of the file completes or drops the interrupted save.
        s = Session.open(small_image)
        s.load_labels(out)
        voxels, sidecar = _version_of(out)
        assert voxels == sidecar, (point, delay)
        assert voxels in (saved, version)
        if point in ("commit-intent", "commit-renaming"):
            assert voxels == version  # past the intent: completed on the next open
        if point == "commit-written":
            assert voxels == saved  # before the intent: the old pair stays
        saved = voxels
        # Reading leaves temporaries alone (they may be another window's save in progress):
        # the next save of the file removes those a kill left.
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == \
            ["labels.nii.gz", "labels.segments.json"]
        s.close()
    assert save(len(plan) + 1) == (0, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labels.nii.gz", "labels.segments.json"]


def test_a_half_written_intent_of_a_killed_save_is_removed_by_the_next_save(small_image, tmp_path):
    """A kill while the intent file (``.labels.nii.gz.commit``) was written left its temporary,
    which no later save removed (test_save_killed_anywhere_leaves_a_matching_pair met it once its
    delay-kills landed in the save rather than in a fresh interpreter's imports)."""
    from neuroview.core.commit import temporary_for

    out = tmp_path / "labels.nii.gz"
    s = Session.open(small_image)
    s.segments.add("version-0", value=1)
    s.labels.array[:1] = 1
    s.save_labels(out)
    left = temporary_for(tmp_path / ".labels.nii.gz.commit")   # named as a kill leaves it
    left.write_text('[["..labels.nii.abcd1234.nii.gz", "lab')
    s.labels.array[:2] = 1
    s.segments.rename(1, "version-1")
    s.save_labels(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labels.nii.gz", "labels.segments.json"]
    assert _version_of(out) == (1, 1)


def test_workspace_temporaries_of_a_killed_write_are_removed_on_open(small_image, tmp_path):
    ws = tmp_path / "ws"
    s = Session.open(small_image, workspace=ws)
    s.segments.add("lesion")
    s.close()
    for name in (".base-1.ab12cd34.npz", ".workspace.zz99yy88.json"):
        (ws / name).write_bytes(b"half written")
    Session.open(small_image, workspace=ws).close()
    assert not any(p.name.startswith(".") for p in ws.iterdir())
