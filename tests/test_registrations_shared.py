"""tests/registration_reuse.py's registrations kept as files (SharedRegistrations): what one
pytest process registered, another of the same run (a second store on the same folder, as a
pytest-xdist worker opens it) gets back exactly, without registering; other inputs are registered."""

from __future__ import annotations

import numpy as np

from neuroview.io.registration import Registration
from tests.registration_reuse import SharedRegistrations, registrations_reused, template_fits_reused


def test_a_pair_registered_in_one_process_is_answered_in_another(tmp_path, monkeypatch):
    from neuroview.app import followup

    made = []
    turned = np.array([[0.8, -0.6, 0.0, 12.345678901234567], [0.6, 0.8, 0.0, -3.1],
                       [0.0, 0.0, 1.0, 1e-17], [0.0, 0.0, 0.0, 1.0]])

    def register(fixed, fixed_ijk_to_ras, moving, moving_ijk_to_ras, fixed_mask=None,
                 moving_mask=None, kind="rigid", progress=None, cancel=None, **options):
        made.append(kind)
        return Registration(turned.copy(), kind, np.float64(-0.4321), np.int64(37))

    monkeypatch.setattr(followup, "register", register)
    image, other = np.arange(60, dtype=np.float32).reshape(3, 4, 5), np.ones((3, 4, 5), np.float32)
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    with registrations_reused(SharedRegistrations(tmp_path / "kept")) as answered:   # one worker
        first = followup.register(image, affine, other, affine, kind="affine")
    with registrations_reused(SharedRegistrations(tmp_path / "kept")) as answered:   # another
        again = followup.register(image, affine, other, affine, kind="affine")
        assert made == ["affine"] and answered == ["affine"]
        followup.register(image, affine, other, affine, kind="rigid")   # another kind: registered
        changed = other.copy()
        changed[0, 0, 0] = 2.0
        followup.register(image, affine, changed, affine, kind="affine")   # one voxel other
    assert made == ["affine", "rigid", "affine"] and answered == ["affine"]
    assert np.array_equal(again.fixed_to_moving, first.fixed_to_moving) and again is not first
    assert (again.kind, again.metric, again.iterations) == ("affine", -0.4321, 37)
    assert sorted(p.suffix for p in (tmp_path / "kept").iterdir()) == [".json"] * 3   # no .part left


def test_a_template_fit_asked_again_is_answered_without_fitting(monkeypatch):
    """``template_fits_reused``: ``neuroview.io.registration.register``, which the lesion
    locations' MNI152 fit calls at each use, fits a pair once; the follow-up's own
    ``followup.register`` is left alone."""
    from neuroview.app import followup
    from neuroview.io import registration

    made = []

    def register(fixed, fixed_ijk_to_ras, moving, moving_ijk_to_ras, fixed_mask=None,
                 moving_mask=None, kind="rigid", progress=None, cancel=None, **options):
        made.append(options.get("iterations"))
        return Registration(np.eye(4), kind, -0.5, 12)

    monkeypatch.setattr(registration, "register", register)
    own = followup.register
    image, affine = np.arange(60, dtype=np.float32).reshape(3, 4, 5), np.eye(4)
    with template_fits_reused({}) as answered:
        assert followup.register is own
        first = registration.register(image, affine, image, affine, kind="affine", iterations=40)
        again = registration.register(image, affine, image, affine, kind="affine", iterations=40)
        registration.register(image, affine, image, affine, kind="affine", iterations=41)
    assert made == [40, 41] and answered == ["affine"]
    assert again is not first and np.array_equal(again.fixed_to_moving, first.fixed_to_moving)
    assert registration.register is register   # put back
