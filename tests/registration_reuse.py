"""A follow-up registration of identical inputs done once: for tests whose claim is not the
registration (tests/app/test_followup.py and test_followup_*.py check that), which open the same
follow-up again and again. A helper module (``tests.registration_reuse``) that tests/app and
tests/ui share."""

from __future__ import annotations

import copy
import hashlib
import threading
from contextlib import contextmanager

import numpy as np
import pytest


def digest(*values) -> str:
    """One hash of arrays (their bytes, type and shape; ``None`` too) and plain values."""
    sha = hashlib.sha1()
    for value in values:
        if isinstance(value, np.ndarray):
            sha.update(f"{value.dtype}{value.shape}".encode())
            sha.update(np.ascontiguousarray(value).tobytes())
        else:
            sha.update(repr(value).encode())
    return sha.hexdigest()


@contextmanager
def registrations_reused(done: dict):
    """While in it, ``neuroview.app.followup.register`` answers inputs it registered before (the
    same images, affines, brain masks, kind and options, their bytes hashed, kept in ``done``)
    with a copy of that result, as the same call again would give (regular sampling: repeatable),
    its progress at its end at once. Inputs that differ in a byte are registered. Yields the kinds
    of the calls answered so."""
    from neuroview.app import followup
    from neuroview.core.jobs import report

    real, reused, lock = followup.register, [], threading.Lock()

    def register(fixed, fixed_ijk_to_ras, moving, moving_ijk_to_ras, fixed_mask=None,
                 moving_mask=None, kind="rigid", progress=None, cancel=None, **options):
        key = digest(fixed, fixed_ijk_to_ras, moving, moving_ijk_to_ras, fixed_mask, moving_mask,
                     kind, sorted(options.items()))
        with lock:
            known = done.get(key)
        if known is not None:
            reused.append(kind)
            report(progress, 1, 1, "registration done")
        else:
            known = real(fixed, fixed_ijk_to_ras, moving, moving_ijk_to_ras, fixed_mask,
                         moving_mask, kind=kind, progress=progress, cancel=cancel, **options)
            with lock:
                done[key] = known
        return copy.deepcopy(known)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(followup, "register", register)
        yield reused
