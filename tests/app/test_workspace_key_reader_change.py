"""A padded CT's crash journal survives a change of how its voxels read (``core.image_keys``).

Session 33 read a CT NIfTI's padding (-3024 outside the field of view) as air, session 34 a CT
NRRD's; the workspace key hashed the voxels as read, so a journal written by a neuroview that read
the file's numbers (or, since, by one that hashed the voxels as read) got another key and was never
offered again: its folder stayed on disk and the user believed the edits lost. The key now hashes
the voxels as the file stores them (the padding record gives the file's number back), and the keys
older neuroviews gave the image are looked up too: each test writes a workspace as one of them did,
killed unsaved, and opens the file as the window does now."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.case import workspace_for
from neuroview.app.restore_offer import restore_offer
from neuroview.app.session import Session
from neuroview.core.image_keys import image_key, sampled_key
from neuroview.core.volume import Volume
from neuroview.io import load
from tests.app.restored_rekeyed import restore_and_rekey
from tests.io.nrrd_ct import padded_ct, write_nrrd

AFFINE = np.diag([0.8, 0.8, 2.5, 1.0])


def _nifti(path, image: np.ndarray):
    nib.save(nib.Nifti1Image(image, AFFINE), path)
    return path


def _stored(path) -> np.ndarray:
    """The voxels as the file stores them (nibabel, no read rule)."""
    if str(path).endswith(".nrrd"):
        import nrrd

        return nrrd.read(str(path), index_order="F")[0]
    return np.asanyarray(nib.load(path).dataobj)


OLD_KEYS = {
    # before session 33: 4,096 sampled voxels, read as the file stores them
    "sampled, file's numbers": (lambda volume, raw: sampled_key(raw, volume.ijk_to_ras), True),
    # session 33 before its full key: sampled, the padding read as air
    "sampled, padding as air": (lambda volume, raw: sampled_key(volume.array, volume.ijk_to_ras), True),
    # session 33 for a NRRD (its padding not yet read as air): every voxel, the file's numbers
    "full, file's numbers": (lambda volume, raw: image_key(raw, volume.ijk_to_ras), False),
    # sessions 33-34: every voxel, the padding read as air
    "full, padding as air": (lambda volume, raw: image_key(volume.array, volume.ijk_to_ras), False),
}


def _written_by_older(path, monkeypatch, old_key) -> np.ndarray:
    """``path`` opened and edited by an older neuroview whose key was ``old_key``; killed unsaved
    after a compaction (its stored label map carries that key too) and one more stroke."""
    volume = load(path)
    assert volume.padding is not None                  # the padding reads as air now
    key = old_key(volume, _stored(path))
    with monkeypatch.context() as old:
        old.setattr(Volume, "workspace_key", lambda self, cancel=None: key)
        old.setattr(Volume, "older_keys", lambda self, cancel=None: (), raising=False)
        session = Session(volume, workspace_for(volume))
        lesion = session.segments.add("lesion")
        session.apply("paint", at_ras=(30.0, 30.0, 10.0), radius_mm=3.0, segment=lesion)
        session.checkpoint()
        session.apply("paint", at_ras=(40.0, 36.0, 12.5), radius_mm=3.0, segment=lesion)
        session.journal.close()                        # killed
        assert workspace_for(volume).name == key
    return session.labels.array.copy()


@pytest.mark.parametrize("kind", sorted(OLD_KEYS))
@pytest.mark.parametrize("suffix", [".nii", ".nrrd"])
def test_an_older_journal_of_a_padded_ct_is_offered_and_restored(tmp_path, monkeypatch, kind, suffix):
    path = tmp_path / f"ct{suffix}"
    _nifti(path, padded_ct()) if suffix == ".nii" else write_nrrd(path, padded_ct())
    old_key, unverified = OLD_KEYS[kind]
    edited = _written_by_older(path, monkeypatch, old_key)
    volume = load(path)
    offer = restore_offer(volume, workspace_for(volume))
    assert offer is not None and "(1 edit, never saved)" in offer.question()
    assert offer.unverified == unverified
    assert ("could not be checked voxel for voxel" in offer.question()) == unverified
    folder = workspace_for(volume)
    restore_and_rekey(volume, folder, edited, lambda: load(path))


@pytest.mark.parametrize("kind", sorted(OLD_KEYS))
def test_another_ct_of_the_same_shape_is_offered_nothing(tmp_path, monkeypatch, kind):
    first = _nifti(tmp_path / "first.nii", padded_ct())
    _written_by_older(first, monkeypatch, OLD_KEYS[kind][0])
    image = padded_ct()
    image[image > -1000] += 1                          # the head one HU brighter, the padding as it was
    other = load(_nifti(tmp_path / "other.nii", image))
    assert other.shape == load(first).shape
    assert restore_offer(other, workspace_for(other)) is None
    session = Session(other, workspace_for(other))
    assert not session.labels.array.any() and session.restored_steps == 0
    session.close()


def test_the_key_hashes_the_voxels_as_the_file_stores_them(tmp_path):
    """The key of a padded CT is the key of its file's numbers, so a later rule that changes how
    voxels read (and keeps what it replaced, as the padding's record does) keeps the key."""
    path = _nifti(tmp_path / "ct.nii", padded_ct())
    volume = load(path)
    raw = _stored(path)
    assert volume.array.min() == -1024 and raw.min() == -3024
    assert volume.workspace_key() == image_key(raw, AFFINE)
    assert volume.sampled_key() == sampled_key(raw, AFFINE)
    assert image_key(volume.array, AFFINE) in volume.older_keys()
    unpadded = Volume(padded_ct(padding=-1024), AFFINE)     # nothing read otherwise: keys as before
    assert unpadded.older_keys() == (unpadded.sampled_key(),)
    assert unpadded.workspace_key() == image_key(unpadded.array, AFFINE)
