"""A label map and its sidecar (``labels.segments.json``: names, colours, the image key) survive a
kill at any instant of a save: 20 SIGKILLs, at random, of a process saving the pair over and
over; after each, the pair as the app opens it (a save cut between its two renames completed
first) holds one version in both files, never an older one than before.
``test_save_durability`` kills single saves at named points and delays."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np

from neuroview.app.label_files import finish_label_save, save_label_files, sidecar_path
from neuroview.core.labels import LabelMap
from tests.kill_loop import kill_loop

SHAPE = (24, 24, 24)


def _save(path, version: int) -> None:
    """Version ``version``: its first ``version`` voxels painted, its segment named for it."""
    labels = LabelMap(np.zeros(SHAPE, np.uint8), np.diag([1.5, 1.5, 1.5, 1.0]))
    labels.array.reshape(-1)[:version] = 1
    labels.segments.add(f"version-{version}", value=1)
    save_label_files(labels, labels.ijk_to_ras, path, image_key="k" * 64)


def _version(path) -> int:
    if not path.exists():
        return 0
    finish_label_save(path)   # as the app does before it reads a label file
    voxels = int(np.count_nonzero(np.asarray(nib.load(path).dataobj)))
    rows = json.loads(sidecar_path(path).read_bytes())
    named = int(rows[0]["name"].split("-")[1])
    assert voxels == named, f"voxels of version {voxels}, sidecar of version {named}"
    assert rows[0]["image_key"] == "k" * 64
    return voxels


def test_label_pair_survives_a_kill_anywhere(tmp_path):
    path = tmp_path / "labels.nii.gz"
    _save(path, 1)   # an old pair to keep (and the save's imports made before the copies fork)
    last, landed = kill_loop(path, lambda version: _save(path, version), lambda: _version(path),
                             kills=20, settle_s=0.1)
    print(f"labels.nii.gz + sidecar: version {last} after 20 kills, {landed} inside a write")
    assert last >= 20 and landed >= 1, (last, landed)
