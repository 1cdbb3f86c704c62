"""The synthetic heads of one seed share its random fields: drawn once, read-only, the same voxels
in every contrast (the card's head figures were measured on these heads, so they must not change)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai import heads


def test_one_seeds_contrasts_draw_their_random_fields_once(monkeypatch):
    heads._random_fields.cache_clear()
    draws = []
    real = np.random.default_rng
    monkeypatch.setattr(heads.np.random, "default_rng", lambda seed=None: draws.append(seed) or real(seed))
    t1 = heads.synthetic_head("t1", seed=31)
    flair = heads.synthetic_head("flair", skull=False, seed=31)
    assert draws == [31]
    # outside the head no tissue: both contrasts are the seed's additive noise there, voxel for voxel
    box = heads._padded_template(18)[5]
    outside = heads._padded_template(18)[4] > 20.0
    assert np.array_equal(t1.image[outside], flair.image[outside])
    assert np.array_equal(t1.image[outside], heads._random_fields(31, t1.image.shape, box)[1][outside] * 600)
    heads.synthetic_head("t1", seed=32)
    assert draws == [31, 32]
    texture, noise = heads._random_fields(32, t1.image.shape, box)
    with pytest.raises(ValueError):
        noise[0, 0, 0] = 1.0
    assert not np.array_equal(t1.image, heads.synthetic_head("t1", seed=32).image)


HEAD_HASHES = {
    ("synthetic", "flair", 5): "13b13fd16f8dcf85",
    ("lesion", "t1", 3): "b892f18488c96c8c",
    ("lesion", "t2", 717001): "016ca368bf80041b",
    ("wm", "t2", 717001): "7db0a34abbe3f870",   # issue #12's heads, before the eroded white
    ("wm", "t1", 3): "016b6d065a651dd9",        # matter was cached (session 30); t1 in 5 mm slices
}
"""SHA-256 (first 16 hex digits) of the heads' arrays as made before the head's box (session 29):
the distance transform, texture and layers computed on the box around the head's tissue only
must give the same voxels, bit for bit. (A new numpy or scipy that changes its random streams or
filters changes these too: then compare against the old code before updating them.)"""


def _digest(*arrays) -> str:
    import hashlib

    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(str((array.shape, array.dtype.str)).encode())
        digest.update(array.tobytes())
    return digest.hexdigest()[:16]


def test_heads_are_the_voxels_they_were():
    """Seed by seed (the last seed's random fields are kept: seed 3 drawn once, not twice)."""
    made = heads.synthetic_head("flair", skull=False, seed=5)
    got = _digest(made.image, made.ijk_to_ras, made.brain, made.gm, made.wm)
    assert got == HEAD_HASHES["synthetic", "flair", 5]
    for contrast, seed, thickness in (("t1", 3, 5), ("t2", 717001, 0)):
        case = heads.lesion_head(seed, contrast, 2)
        got = _digest(case.image, case.ijk_to_ras, case.label, case.brain)
        assert got == HEAD_HASHES["lesion", contrast, seed]
        case = heads.wm_lesion_head(seed, contrast, thickness=thickness)
        got = _digest(case.image, case.ijk_to_ras, case.label, case.brain)
        assert got == HEAD_HASHES["wm", contrast, seed]


def test_distance_is_inf_only_beyond_the_layers():
    """Outside the head's box the distance is left as ``inf``; that is honest only if every voxel
    there is beyond the last layer: the box's inner faces already are (and the transform inside
    the box is scipy's own, checked bit for bit above through the layers it draws)."""
    brain, _, _, _, distance, box = heads._padded_template(18)
    inside = tuple(slice(*b) for b in box)
    outside = np.ones(brain.shape, bool)
    outside[inside] = False
    assert np.isinf(distance[outside]).all() and np.isfinite(distance[inside]).all()
    for axis, (low, high) in enumerate(box):
        assert 0 < low and high < brain.shape[axis]
        for face in (0, -1):
            assert (np.take(distance[inside], face, axis=axis) > heads.LAYERS[-1][1]).all()


def test_distance_is_scipys_transform(rng):
    """The heads' distance (SimpleITK's squared distances, rooted) is scipy's, bit for bit."""
    from scipy import ndimage

    for share in (0.001, 0.05, 0.6):
        mask = rng.random((31, 24, 19)) < share
        mask[3, 4, 5] = True
        expected = ndimage.distance_transform_edt(~mask).astype(np.float32)
        assert np.array_equal(heads._distance_from(mask), expected)
