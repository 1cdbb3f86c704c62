"""Shared scaffolding of the labels-as-loaded tests (test_loaded_forgotten, _undo, _restore): a
32x32x16 noise image, Session on it, a paint, a kill and restore, and what a training set is sent."""

import contextlib
import json

import numpy as np

from neuroview.app.case import Case
from neuroview.app.session import Session
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.io.nifti import save_nifti

SHAPE = (32, 32, 16)
AFFINE = np.diag([1.0, 1.0, 2.0, 1.0])
IMAGE = np.random.default_rng(0).normal(100, 5, SHAPE).astype(np.float32)


def write_two_label_files(tmp_path):
    """Two label files: first.nii.gz (600 voxels) and second.nii.gz (864, overlapping it)."""
    first = np.zeros(SHAPE, np.uint8)
    first[4:14, 4:14, 4:10] = 1          # 600 voxels
    second = np.zeros(SHAPE, np.uint8)
    second[8:20, 8:20, 4:10] = 1         # 864 voxels, overlapping the first
    save_nifti(first, AFFINE, tmp_path / "first.nii.gz")
    save_nifti(second, AFFINE, tmp_path / "second.nii.gz")
    return tmp_path / "first.nii.gz", tmp_path / "second.nii.gz"


def new_session(tmp_path, steps=None) -> Session:
    """A Session on IMAGE with its workspace in ``tmp_path/ws`` (``steps``: the history's bound)."""
    bound = {} if steps is None else {"history_steps": steps}
    return Session(Volume(IMAGE, AFFINE), tmp_path / "ws", **bound)


def paint(session: Session, ijk) -> None:
    """A 3 mm 3D paint of segment 1 centred on voxel ``ijk``."""
    at = session.volume.ijk_to_ras @ np.array([*ijk, 1.0])
    session.apply("paint", at_ras=at[:3], radius_mm=3, segment=1, mode="3d")


def load_and_paint(session: Session, path, ijk) -> None:
    """Load the labels file ``path``, then paint (as above) at voxel ``ijk``."""
    session.load_labels(path)
    paint(session, ijk)


def draw_lesion(session: Session) -> None:
    """A segment 'lesion' drawn by hand (one paint at voxel (24, 24, 8)), no file loaded."""
    session.segments.add("lesion")
    paint(session, (24, 24, 8))


def killed(session: Session, tmp_path, steps=None) -> Session:
    """The session as restored after its process died (no close())."""
    session.journal.close()              # no close(): the process died
    return new_session(tmp_path, steps)


def sent_lesion(session: Session, tmp_path, name: str) -> dict:
    """The lesion's segment entry in the provenance record of a new training set ``name``."""
    dataset = init_dataset(tmp_path / name, "Lesions", ["background", "lesion"])
    # the file names no segment: "Segment 1" is no label until the user says which
    record = Case(session).send_to_training_set(dataset, "dr.a", label_for={"Segment 1": "lesion"})
    stored = json.loads((dataset / "provenance" / f"{record.case}.json").read_text())
    (lesion,) = stored["segments"]
    return lesion


def what_is_sent(session: Session, tmp_path):
    """The lesion's (source, changed_voxels) in the provenance record of a new training set."""
    lesion = sent_lesion(session, tmp_path, f"d{len(list(tmp_path.glob('d*')))}")
    return lesion["source"], lesion["changed_voxels"]


@contextlib.contextmanager
def loaded_json_left_stale(tmp_path):
    """The steps inside are journaled but the kill comes before ``loaded.json`` is rewritten:
    the file is put back as it was on entry."""
    path = tmp_path / "ws" / "loaded.json"
    stale = path.read_text()
    yield stale
    path.write_text(stale)
