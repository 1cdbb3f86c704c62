"""``segment --output FOLDER`` first completes the label saves a killed run left in the folder
(``recover_label_files``). It deleted temporaries without the saving lock a window's save holds:
a window saving a labels file in that folder at the same moment lost its temporaries, its
renames found nothing, and it said *Saved* while the file kept the labels saved before. Now the
recovery takes each file's saving lock (``core.file_lock.saving_lock``) and waits for the save."""

from __future__ import annotations

import threading

import nibabel as nib
import numpy as np

import neuroview.core.crash
from neuroview.app.label_files import recover_label_files, save_label_files, sidecar_path
from neuroview.core.labels import LabelMap

AFFINE = np.diag([2.0, 2.0, 2.0, 1.0])


def _labels(voxels: int) -> LabelMap:
    labels = LabelMap(np.zeros((8, 8, 8), np.uint8), AFFINE)
    labels.array.reshape(-1)[:voxels] = 1
    labels.segments.add("lesion", value=1)
    return labels


def test_recovery_meanwhile_keeps_a_windows_save(tmp_path, monkeypatch):
    path = tmp_path / "a_case-labels.nii.gz"
    real_point = neuroview.core.crash.point
    paused, resume = threading.Event(), threading.Event()
    recovery = threading.Thread(target=recover_label_files, args=(tmp_path,))
    saves = []

    def point(name: str) -> None:
        here = threading.current_thread()
        if here is recovery and name == "commit-renaming" and not resume.is_set():
            paused.set()         # the recovery, its intent read, between two renames
            resume.wait(10)
        elif here is threading.main_thread() and name == "commit-intent" and len(saves) == 1:
            recovery.start()     # the first save's intent written: the folder is recovered now
            paused.wait(1)
        elif here is threading.main_thread() and name == "commit-written" and len(saves) == 2:
            resume.set()         # the second save's temporaries written, not yet renamed
            recovery.join(1)
        real_point(name)

    monkeypatch.setattr(neuroview.core.crash, "point", point)
    saves.append(10)
    save_label_files(_labels(10), AFFINE, path)
    saves.append(30)
    save_label_files(_labels(30), AFFINE, path)
    resume.set()
    recovery.join(30)
    assert int(np.count_nonzero(np.asarray(nib.load(path).dataobj))) == 30
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, sidecar_path(path).name]
