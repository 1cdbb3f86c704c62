"""A 4D image's workspace key covers every time point (``core.image_keys.time_points_key``).

Until session 50 it hashed time point 1 alone: two DCE runs with the same pre-contrast volume
shared their crash journal, kept measurements and views. A 4D image kept under that old key still
finds its labels journal, measurements, views and overlay, and keeps them under the new key."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroview.app.case import workspace_for
from neuroview.app.kept_keys import kept_for
from neuroview.app.labels_image import IMAGE_KEY, saved_on_another
from neuroview.app.measure_memory import image_file, remember_measurements, remembered_measurements
from neuroview.app.overlay_memory import remember_overlay, remembered_overlay
from neuroview.app.restore_offer import restore_offer
from neuroview.app.session import Session
from neuroview.app.view_memory import remember_view, remembered_view
from neuroview.core.volume import Volume

AFFINE = np.diag([1.5, 1.5, 3.0, 1.0])


def run(enhancing: int) -> np.ndarray:
    """A DCE-like run of 5 time points: the same pre-contrast volume, then a blob enhancing by
    ``enhancing`` (only there do two such runs differ)."""
    base = np.random.default_rng(3).integers(50, 300, (24, 24, 8)).astype(np.int16)
    frames = [base] + [base.copy() for _ in range(4)]
    for t, frame in enumerate(frames[1:], 1):
        frame[8:16, 8:16, 2:6] += enhancing * t
    return np.stack(frames, axis=-1)


def paint(session: Session) -> np.ndarray:
    lesion = session.segments.add("lesion")
    session.apply("paint", at_ras=(18.0, 18.0, 12.0), radius_mm=4.0, segment=lesion)
    session.journal.close()                       # killed unsaved
    return session.labels.array.copy()


def test_two_runs_with_the_same_first_volume_have_their_own_workspaces():
    a, b = Volume(run(100), AFFINE), Volume(run(400), AFFINE)
    assert a.first_time_point_key() == b.first_time_point_key()
    assert a.workspace_key() != b.workspace_key()
    paint(Session(a, workspace_for(a)))
    assert workspace_for(b) != workspace_for(a)
    assert restore_offer(b, workspace_for(b)) is None
    assert restore_offer(a, workspace_for(a)) is not None
    three_d = Volume(run(100)[..., 0], AFFINE)   # a 3D image's key is as before
    assert three_d.workspace_key() == three_d.first_time_point_key() == a.first_time_point_key()


def test_kept_under_the_old_key_it_is_found_then_kept_under_the_new(monkeypatch):
    volume = Volume(run(100), AFFINE)
    old = volume.first_time_point_key()
    with monkeypatch.context() as before:      # neuroview before session 50
        before.setattr(Volume, "workspace_key", lambda self, cancel=None: self.first_time_point_key())
        edited = paint(Session(volume, workspace_for(volume)))
        assert workspace_for(volume).name == old
    drawn = [{"kind": "ruler", "plane": "axial", "points": [[1.0, 2.0, 3.0], [9.0, 2.0, 3.0]]}]
    remember_measurements(old, drawn)
    remember_view(old, {"zoom": 2.0})
    again = Volume(run(100), AFFINE)
    offer = restore_offer(again, workspace_for(again))
    assert "(2 edits, never saved)" in offer.question() and not offer.unverified
    restored = Session(again, workspace_for(again))
    np.testing.assert_array_equal(restored.labels.array, edited)
    restored.close()
    meta = json.loads((workspace_for(again) / "workspace.json").read_text())
    assert meta["image_key"] == again.workspace_key() != old
    assert kept_for(again, remembered_measurements, remember_measurements) == drawn
    assert remembered_measurements(again.workspace_key()) == drawn     # kept under the new key
    assert image_file(old).exists()                                    # the old file left
    assert kept_for(again, remembered_view, remember_view)["zoom"] == 2.0
    assert remembered_view(again.workspace_key())["zoom"] == 2.0
    other = Volume(run(100) + 1, AFFINE)      # another image: nothing found
    assert kept_for(other, remembered_measurements, remember_measurements) is None
    assert remembered_measurements(other.workspace_key()) is None


def test_a_label_file_saved_on_the_old_key_is_this_images(tmp_path):
    volume, other = Volume(run(100), AFFINE), Volume(run(100) + 1, AFFINE)
    sidecar = tmp_path / "labels.segments.json"
    sidecar.write_text(json.dumps([{"value": 1, IMAGE_KEY: volume.first_time_point_key()}]))
    assert not saved_on_another(sidecar, volume)
    assert saved_on_another(sidecar, other)



RULER = [{"kind": "ruler", "plane": "axial", "points": [[1.0, 2.0, 3.0], [9.0, 2.0, 3.0]]}]
OVERLAY = {"path": "/data/flair.nii.gz", "series": "", "opacity": 0.4}


@pytest.mark.parametrize("read, keep, record, forgotten", [
    (remembered_measurements, remember_measurements, RULER, []),     # the ruler deleted
    (remembered_overlay, remember_overlay, OVERLAY, None),           # the overlay removed
])
def test_what_the_user_deleted_under_the_new_key_does_not_come_back_from_the_old(
        read, keep, record, forgotten):
    """Carried over once: what was deleted on the first open with this neuroview stays deleted
    at the next open (until session 51 the old key's record came back at every open)."""
    volume = Volume(run(100), AFFINE)
    old = volume.first_time_point_key()
    keep(old, record)
    assert kept_for(volume, read, keep) == record
    keep(volume.workspace_key(), forgotten)
    again = Volume(run(100), AFFINE)                         # opened again, the next day
    assert kept_for(again, read, keep) is None
    assert read(old) == record                               # the old record left as it was
    other = Volume(run(400), AFFINE)   # another run of that time point 1 (as before): once too
    assert kept_for(other, read, keep) == record
    keep(other.workspace_key(), forgotten)
    assert kept_for(Volume(run(400), AFFINE), read, keep) is None
