"""A volume keeps its CT guess and its workspace keys (the crash journal's name) for its array. It
matched the array by ``id()``: once ``volume.array`` was replaced and the old array freed, a new
array could get the old one's id (CPython reuses the memory) and was given the old image's guess
and keys. Here the new array gets the freed one's id (asserted), as in ``test_ct_padding_record``."""

from __future__ import annotations

import numpy as np

from neuroview.core import image_keys
from neuroview.core.modality import looks_like_ct
from neuroview.core.volume import Volume
from tests.freed_id import made_at, with_neighbours

SHAPE = (48, 48, 6)
AFFINE = np.diag([0.8, 0.8, 2.5, 1.0])


def _ct() -> np.ndarray:
    """int16 HU: a skull (1000) around a brain (35, with noise) in air (-1024)."""
    x = np.arange(SHAPE[0]) - (SHAPE[0] - 1) / 2
    r = np.hypot(*np.meshgrid(x, x, indexing="ij"))
    slab = np.select([r < 16, r < 18], [35, 1000], -1024).astype(np.int16)
    noise = np.random.default_rng(0).normal(0, 6, SHAPE).round().astype(np.int16)
    return np.repeat(slab[:, :, None], SHAPE[2], axis=2) + np.where(r < 16, 1, 0)[..., None] * noise


def _mr() -> np.ndarray:
    return np.random.default_rng(1).uniform(0, 900, SHAPE).astype(np.int16)


def _replaced_at_the_same_id(volume: Volume, old: np.ndarray, new: np.ndarray, ask) -> tuple:
    """``ask(volume)`` with a copy of ``old`` as its array, then the array replaced by a copy of
    ``new`` that got the freed copy's id: (the answer for ``old``, the volume's array now)."""
    array, beside = with_neighbours(old.copy, new.copy)
    volume.array = array
    answer = ask(volume)
    old_id = id(array)
    volume.array = new              # the template: not freed, never the id sought
    del array                       # freed: its memory goes to the next arrays made
    array = made_at(old_id, new.copy)   # another image, same shape and dtype
    volume.array = array
    return answer, array


def test_the_ct_guess_is_the_new_arrays():
    ct, mr = _ct(), _mr()
    assert looks_like_ct(ct) and not looks_like_ct(mr)
    volume = Volume(ct.copy(), AFFINE)
    guess, _ = _replaced_at_the_same_id(volume, ct, mr, Volume.voxels_look_like_ct)
    assert guess is True
    assert volume.voxels_look_like_ct() is False       # was the CT's True


def test_the_workspace_keys_are_the_new_arrays():
    ct, mr = _ct(), _mr()
    volume = Volume(mr.copy(), AFFINE)
    keys, array = _replaced_at_the_same_id(
        volume, ct, mr, lambda v: (v.workspace_key(), v.older_keys()))
    assert keys == (image_keys.image_key(ct, AFFINE), (image_keys.sampled_key(ct, AFFINE),))
    assert volume.workspace_key() == image_keys.image_key(array, AFFINE)   # was the CT's key
    assert volume.older_keys() == (image_keys.sampled_key(array, AFFINE),)


def test_the_keys_are_asked_for_once_per_array_and_affine(monkeypatch):
    made = []
    real = image_keys.image_key
    monkeypatch.setattr(image_keys, "image_key", lambda *a, **k: made.append(1) or real(*a, **k))
    volume = Volume(_mr(), AFFINE)
    first = volume.workspace_key()
    assert volume.workspace_key() == first and len(made) == 1
    volume.ijk_to_ras = AFFINE * 2 + np.diag([0, 0, 0, -1])
    assert volume.workspace_key() != first and len(made) == 2
    volume.array = volume.array.copy()
    volume.workspace_key()
    assert len(made) == 3
