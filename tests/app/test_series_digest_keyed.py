"""The digests of series and frames of reference the data folder keeps are keyed by a secret of
that folder (``app.series_digest``): one holding a SeriesInstanceUID cannot confirm that
``recent.json``, ``overlays.json``, ``saved-labels.json`` or a label file's sidecar names it, as
the plain SHA-256 of session 44 let them. Records written under the plain digest still open,
once, and are written again under the keyed one."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from types import SimpleNamespace

import numpy as np

from neuroview.app.labels_image import SIDECAR_FRAME, frame_key, same_study
from neuroview.app.overlay_memory import is_series
from neuroview.app.saved_labels import remember_saved_labels, saved_labels_for
from neuroview.app.series_digest import SECRET_FILE, series_digest
from neuroview.app.viewer_recent import RecentFiles
from neuroview.core import settings_file

UID = "1.2.826.0.1.3680043.8.498.4711.2.22"
FRAME = "1.2.826.0.1.3680043.8.498.4711.3"


def _plain(text: str, length: int = 32) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _image(folder, frame: str = ""):
    image = folder / "study"
    image.mkdir(exist_ok=True)
    metadata = {"SeriesInstanceUID": UID, **({"FrameOfReferenceUID": frame} if frame else {})}
    return SimpleNamespace(source_path=str(image), source_metadata=metadata,
                           array=np.zeros((2, 3, 4)), ijk_to_ras=np.eye(4))


def test_the_digest_differs_between_two_data_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "ana"))
    ana = series_digest(UID)
    assert ana == series_digest(UID) and len(ana) == 32 and ana != _plain(UID)
    secret = tmp_path / "ana" / SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(bytes.fromhex(secret.read_text())) == 32
    assert sorted(os.listdir(tmp_path / "ana")) == [f".{SECRET_FILE}.lock", SECRET_FILE]  # no temporary
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "ben"))
    assert series_digest(UID) not in (ana, "") and series_digest("") == ""
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "ana"))
    assert series_digest(UID) == ana                        # read back from ana's file


def test_a_damaged_secret_is_said_once_and_replaced(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("NEUROVIEW_HOME", str(home))
    (home / SECRET_FILE).write_text("not hex\n")
    said = []
    settings_file.listen(said.append)
    try:
        digest = series_digest(UID)
    finally:
        settings_file.listen(None)
    assert said == [f"{home / SECRET_FILE}: not a secret of 64 hex digits; a new secret is made: the "
                    "series and overlays remembered with the old one are not found again; the file "
                    "kept as digest-secret.bad"]
    assert (home / (SECRET_FILE + ".bad")).read_text() == "not hex\n"
    assert series_digest(UID) == digest and len(bytes.fromhex((home / SECRET_FILE).read_text())) == 32


def test_records_under_the_plain_digest_open_and_are_written_again_keyed(tmp_path):
    home = os.environ["NEUROVIEW_HOME"]
    # recent.json of session 44: File > Recent reopens the series, and the window's add writes it keyed
    recent = RecentFiles()
    recent.path.write_text(json.dumps([{"paths": ["/data/study"], "series": _plain(UID), "uneven": ""}]))
    assert recent.entries()[0].chose(UID) and not recent.entries()[0].chose(UID + ".2")
    recent.add(["/data/study"], UID)
    assert recent.entries()[0].series == series_digest(UID) and _plain(UID) not in recent.path.read_text()
    # overlays.json of session 44: the series is found among those scanned
    assert is_series({"series": _plain(UID)}, SimpleNamespace(key=UID))
    assert is_series({"series": series_digest(UID)}, SimpleNamespace(key=UID))
    assert not is_series({"series": _plain(UID + ".2")}, SimpleNamespace(key=UID))
    # saved-labels.json of session 44: offered, and the entry rewritten under the keyed digest
    image, labels = _image(tmp_path), tmp_path / "labels.nii.gz"
    labels.write_bytes(b"x")
    store = os.path.join(home, "saved-labels.json")
    source = os.path.realpath(image.source_path)
    with open(store, "w") as handle:
        json.dump([{"image": f"{source}|{_plain(UID)}", "shape": [2, 3, 4],
                    "ijk_to_ras": np.eye(4).tolist(), "labels": str(labels)}], handle)
    assert saved_labels_for(image) == str(labels)
    with open(store) as handle:
        assert [e["image"] for e in json.load(handle)] == [f"{source}|{series_digest(UID)}"]
    assert saved_labels_for(image) == str(labels)           # found under the keyed one
    remember_saved_labels(image, labels)                    # saved again: still one entry
    with open(store) as handle:
        assert len(json.load(handle)) == 1


def test_a_sidecar_names_the_frame_keyed_and_one_of_session_44_is_still_known(tmp_path, monkeypatch):
    shown = _image(tmp_path, FRAME)
    keyed = frame_key(shown)
    assert keyed not in ("", hashlib.sha256(f"neuroview frame of reference\0{FRAME}".encode()).hexdigest())
    sidecar = tmp_path / "labels.segments.json"
    for saved in (keyed, hashlib.sha256(f"neuroview frame of reference\0{FRAME}".encode()).hexdigest()):
        sidecar.write_text(json.dumps([{"value": 1, SIDECAR_FRAME: saved}]))
        assert same_study(sidecar, None, shown, []) == ""
    sidecar.write_text(json.dumps([{"value": 1, SIDECAR_FRAME: keyed}]))
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "another"))   # another data folder
    assert frame_key(shown) != keyed and same_study(sidecar, None, shown, []) is None
