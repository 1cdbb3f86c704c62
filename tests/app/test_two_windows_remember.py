"""Two windows open at once remember views (``views.json``), a follow-up's marks
(``followup-marks.json``), the recent files (``recent.json``) and the labels saved for an image
(``saved-labels.json``) each for their own study: both are kept. Each read the file, added its
record and wrote it back, so a window that wrote while the other was between its read and its
write dropped the other's record (last writer wins). Now the read and the write are made under one
lock (``core.settings_file.update_setting``); the recent files and saved labels since session 42."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import neuroview.core.settings_file as settings_file
from neuroview.app.followup_chosen import remember_marks, saved_marks
from neuroview.app.saved_labels import remember_saved_labels, saved_labels_for
from neuroview.app.view_memory import remember_view, remembered_view
from neuroview.app.viewer_recent import RecentFiles
from neuroview.core.volume import Volume

WAIT_S = 1.0   # the first window's write held back this long, or until the second's is done


def _views(key):
    remember_view(key, {"window": 100.0, "level": 40.0})


def _views_kept(key):
    return remembered_view(key)


def _marks(key):
    remember_marks(key, [[0, 1, 2, 3]])


def _marks_kept(key):
    return saved_marks(key) or None


def _recent(key):
    RecentFiles().add([f"/studies/{key}.nii.gz"])


def _recent_kept(key):
    return [e for e in RecentFiles().entries() if e.paths == [f"/studies/{key}.nii.gz"]]


def _image(key) -> Volume:
    from neuroview.paths import user_data_dir

    source = user_data_dir() / f"{key}.nii.gz"   # the file need not be an image: only its path
    return Volume(np.zeros((2, 2, 2), np.float32), np.eye(4), source_path=str(source))


def _labels(key):
    labels = _image(key).source_path.replace(".nii.gz", "_labels.nii.gz")
    open(labels, "wb").close()   # offered only while the file is there
    remember_saved_labels(_image(key), labels)


def _labels_kept(key):
    return saved_labels_for(_image(key))


MODELS = {"study A": ("lesionseg", "lesion"), "study B": ("clickseg", "interactive")}


def _model(key):   # the Models dialog's Set as default, for one task in each window
    from neuroview.ai.registry import Registry

    Registry().set_default(*MODELS[key])


def _model_kept(key):
    from neuroview.ai.registry import Registry

    return Registry().stored_default(MODELS[key][1])


def _code(key):   # a TorchScript model file of each window, its code consented to run
    from neuroview.paths import user_data_dir

    path = user_data_dir() / f"{key}.pt"
    path.write_bytes(key.encode())
    return path


def _consent(key):
    from neuroview.ai.consent import trust

    trust(_code(key))


def _consent_kept(key):
    from neuroview.ai.consent import is_trusted

    return is_trusted(_code(key))


REMEMBERED = {"views": (_views, _views_kept), "marks": (_marks, _marks_kept),
              "recent": (_recent, _recent_kept), "labels": (_labels, _labels_kept),
              "models": (_model, _model_kept), "consent": (_consent, _consent_kept)}


@pytest.mark.parametrize("name", list(REMEMBERED))
def test_two_windows_writing_at_once_keep_both_records(monkeypatch, name):
    remember, kept_for = REMEMBERED[name]
    write, writing, second_done = settings_file.write_text_atomic, threading.Event(), threading.Event()

    def held_back(path, text, *args, **kwargs):
        if threading.current_thread().name == "first window":
            writing.set()
            second_done.wait(WAIT_S)   # the other window writes meanwhile, if nothing stops it
        return write(path, text, *args, **kwargs)

    # models.json and trusted-code.json: written by the registry and consent themselves
    import neuroview.ai.consent as consent
    import neuroview.ai.registry as registry

    for module in (settings_file, registry, consent):
        monkeypatch.setattr(module, "write_text_atomic", held_back)
    first = threading.Thread(target=remember, args=("study A",), name="first window")
    first.start()
    assert writing.wait(10)
    remember("study B")   # the second window, while the first is between its read and its write
    second_done.set()
    first.join(10)
    for module in (settings_file, registry, consent):
        monkeypatch.setattr(module, "write_text_atomic", write)
    kept = {key: kept_for(key) for key in ("study A", "study B")}
    assert all(kept.values()), kept


def test_a_filesystem_refusing_locks_still_keeps_the_view(monkeypatch):
    """An NFS home without a lock daemon (flock: ENOLCK): the view is kept, written unlocked."""
    import errno

    import neuroview.core.file_lock as file_lock

    def refused(fd, **_options):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(file_lock, "lock", refused)
    _views("study C")
    assert remembered_view("study C") == {"window": 100.0, "level": 40.0}


def test_two_windows_adding_dicom_servers_at_once_keep_both(monkeypatch):
    """Settings > DICOM servers... (or ``neuroview pacs add``) in two windows at once: both servers
    are kept (servers.json and credentials.json were each read, changed and written back)."""
    import neuroview.io.pacs.config as config

    write, writing, second_done = config._write_json, threading.Event(), threading.Event()

    def held_back(path, data, private):
        if threading.current_thread().name == "first window":
            writing.set()
            second_done.wait(WAIT_S)
        return write(path, data, private)

    def add(name):
        config.save_server(config.ServerConfig(name=name, host="localhost", port=11112,
                                               called_aet=name.upper(), username=f"{name}-reader"))

    monkeypatch.setattr(config, "_write_json", held_back)
    first = threading.Thread(target=add, args=("pacsa",), name="first window")
    first.start()
    assert writing.wait(10)
    add("pacsb")
    second_done.set()
    first.join(10)
    servers = config.load_servers()
    assert sorted(servers) == ["pacsa", "pacsb"]
    assert servers["pacsa"].username == "pacsa-reader"
