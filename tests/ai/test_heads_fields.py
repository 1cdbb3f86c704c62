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
    outside = heads._padded_template(18)[4] > 20.0
    assert np.array_equal(t1.image[outside], flair.image[outside])
    assert np.array_equal(t1.image[outside], heads._random_fields(31, t1.image.shape)[1][outside] * 600)
    heads.synthetic_head("t1", seed=32)
    assert draws == [31, 32]
    texture, noise = heads._random_fields(32, t1.image.shape)
    with pytest.raises(ValueError):
        noise[0, 0, 0] = 1.0
    assert not np.array_equal(t1.image, heads.synthetic_head("t1", seed=32).image)
