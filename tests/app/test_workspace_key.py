"""The workspace (crash journal) of an image is named by every voxel of it (``core.image_keys``).

Until session 33 the key hashed shape, dtype, affine and 4,096 sampled voxels: a copy of an image
with a 4x4x4 block changed (a re-export with one lesion painted, a defaced copy) had the same key,
so opening it offered "Restore 2 edits" of the first image, and Restore wrote them onto it. Each
test below makes such a copy (checking that the old key cannot tell it apart) and asserts what the
window offers for it and for the first image, also after a SIGKILL and memory-mapped."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.app.case import workspace_for
from neuroview.app.restore_offer import restore_offer
from neuroview.app.session import Session
from neuroview.core.image_keys import image_key
from neuroview.core.volume import Volume
from neuroview.io import load
from tests.app.sampled_blocks import changed_copy
from tests.durability import killed_after

SHAPE = (96, 96, 48)
AFFINE = np.diag([0.9, 0.9, 2.0, 1.0])


def first_image() -> np.ndarray:
    return np.random.default_rng(7).integers(0, 1200, SHAPE).astype(np.int16)


def paint_two(session: Session) -> None:
    """Three edits: the segment and two strokes."""
    lesion = session.segments.add("lesion")
    for z in (30.0, 40.0):
        session.apply("paint", at_ras=(40.0, 40.0, z), radius_mm=3.0, segment=lesion)


def test_a_copy_with_a_block_changed_is_not_offered_the_first_images_edits():
    array = first_image()
    first, copy = Volume(array, AFFINE), Volume(changed_copy(array, AFFINE), AFFINE)
    session = Session(first, workspace_for(first))
    paint_two(session)
    edited = session.labels.array.copy()
    session.close()                                   # closed unsaved
    assert workspace_for(copy) != workspace_for(first)
    assert restore_offer(copy, workspace_for(copy)) is None
    reopened = Session(copy, workspace_for(copy))
    assert not reopened.labels.array.any() and reopened.restored_steps == 0
    reopened.close()
    again = Volume(array.copy(), AFFINE)              # the first image, loaded again
    offer = restore_offer(again, workspace_for(again))
    assert "(3 edits, never saved)" in offer.question() and not offer.unverified
    restored = Session(again, workspace_for(again))
    np.testing.assert_array_equal(restored.labels.array, edited)
    restored.close()


def _painted_then_killed(path) -> str:
    """Open ``path`` as the window does (its workspace), paint two strokes, SIGKILL: in a forked
    copy of the test. Returns the workspace's name."""
    def paint():
        volume = load(path)
        paint_two(Session(volume, workspace_for(volume)))

    killed_after(paint)
    return workspace_for(load(path)).name


def test_after_a_kill_memory_mapped_only_the_same_voxels_are_offered(tmp_path):
    array = first_image()
    nib.save(nib.Nifti1Image(array, AFFINE), tmp_path / "first.nii")
    nib.save(nib.Nifti1Image(changed_copy(array, AFFINE), AFFINE), tmp_path / "copy.nii")
    workspace = _painted_then_killed(tmp_path / "first.nii")
    again, copy = load(tmp_path / "first.nii"), load(tmp_path / "copy.nii")
    assert isinstance(again.array, np.memmap) and isinstance(copy.array, np.memmap)
    assert workspace_for(again).name == workspace
    assert "(3 edits, never saved)" in restore_offer(again, workspace_for(again)).question()
    assert workspace_for(copy).name != workspace
    assert restore_offer(copy, workspace_for(copy)) is None


def test_the_key_reads_every_voxel_slab_by_slab_without_copying_a_memory_map(tmp_path):
    import tracemalloc

    array = np.asfortranarray(np.random.default_rng(3).integers(0, 4000, (256, 256, 160)).astype(np.int16))
    mapped = np.memmap(tmp_path / "v.raw", np.int16, "w+", shape=array.shape, order="F")
    mapped[:] = array
    mapped.flush()
    mapped = np.memmap(tmp_path / "v.raw", np.int16, "r", shape=array.shape, order="F")
    tracemalloc.start()
    key = image_key(mapped, AFFINE)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < array.nbytes / 8            # 20 MB image: no whole copy made
    assert key == image_key(np.ascontiguousarray(array), AFFINE)   # memory order does not matter
    for where in (np.s_[0, 0, 0], np.s_[255, 255, 159], np.s_[100, 37, 80]):
        one_voxel = array.copy()
        one_voxel[where] += 1
        assert image_key(one_voxel, AFFINE) != key


def _old_workspace(volume, monkeypatch) -> np.ndarray:
    """Edit ``volume`` as a neuroview before session 33 did: its workspace named, and its
    workspace.json, records and stored label map keyed, by the sampled key; killed unsaved."""
    with monkeypatch.context() as old:
        old.setattr(Volume, "workspace_key", lambda self, cancel=None: self.sampled_key())
        session = Session(volume, workspace_for(volume))
        paint_two(session)
        session.checkpoint()                        # a stored label map under the old key too
        session.apply("paint", at_ras=(50.0, 50.0, 30.0), radius_mm=3.0, segment=1)
        session.journal.close()                     # killed
        assert workspace_for(volume).name == volume.sampled_key()
    return session.labels.array.copy()


def test_an_old_workspace_is_offered_with_a_caution_then_becomes_the_images(monkeypatch):
    array = first_image()
    first = Volume(array, AFFINE)
    edited = _old_workspace(first, monkeypatch)
    copy, other = Volume(changed_copy(array, AFFINE), AFFINE), Volume(first_image() + 1, AFFINE)
    for volume in (Volume(array.copy(), AFFINE), copy):   # the old key cannot tell these apart
        offer = restore_offer(volume, workspace_for(volume))
        assert offer.unverified and "(1 edit, never saved)" in offer.question()
        assert "could not be checked voxel for voxel" in offer.question()
    assert restore_offer(other, workspace_for(other)) is None   # other voxels at the samples
    again = Volume(array.copy(), AFFINE)
    restored = Session(again, workspace_for(again))          # Restore: taken on as this image's
    np.testing.assert_array_equal(restored.labels.array, edited)
    restored.journal.close()                                 # killed again
    folder = workspace_for(again)
    assert folder.name == again.sampled_key()                # the same folder, now keyed in full
    assert '"image_key": "%s"' % again.workspace_key() in (folder / "workspace.json").read_text()
    offer = restore_offer(again, folder)
    assert not offer.unverified and "could not be checked" not in offer.question()
    final = Session(again, folder)
    np.testing.assert_array_equal(final.labels.array, edited)
    final.close()
    assert restore_offer(copy, workspace_for(copy)) is None  # the copy: offered nothing now
    assert workspace_for(copy).name == copy.workspace_key()


def test_an_old_workspace_discarded_or_empty_is_rekeyed(monkeypatch):
    """*Discard* (``Case.open(restore=False)``) sets the old workspace aside and starts one under the
    full key; an old workspace holding nothing only has its workspace.json rekeyed."""
    from neuroview.app.case import Case

    array = first_image()
    first = Volume(array, AFFINE)
    _old_workspace(first, monkeypatch)
    folder = workspace_for(first)
    case = Case.open(first, restore=False)
    assert not case.labels.array.any()
    case.close()
    assert [p.name.startswith(folder.name + ".discarded-") for p in folder.parent.iterdir()].count(True) == 1
    copy = Volume(changed_copy(array, AFFINE), AFFINE)
    assert workspace_for(copy).name == copy.workspace_key()
    assert restore_offer(copy, workspace_for(copy)) is None
    assert f'"image_key": "{first.workspace_key()}"' in (workspace_for(first) / "workspace.json").read_text()

    other = Volume(first_image() + 2, AFFINE)
    with monkeypatch.context() as old:             # an old workspace made, never edited
        old.setattr(Volume, "workspace_key", lambda self, cancel=None: self.sampled_key())
        Session(other, workspace_for(other)).close()
    folder = workspace_for(other)
    assert folder.name == other.sampled_key() and restore_offer(other, folder) is None
    Session(other, folder).close()
    assert sorted(p.name for p in folder.iterdir()) == ["segments.json", "workspace.json"]
    assert f'"image_key": "{other.workspace_key()}"' in (folder / "workspace.json").read_text()
