"""A follow-up registration (or a lesion locations' template fit) of identical inputs done once:
for tests whose claim is not the registration (tests/app/test_followup.py and test_followup_*.py
check that), which open the same follow-up again and again. A helper module
(``tests.registration_reuse``) that tests/app and tests/ui share."""

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


class SharedRegistrations:
    """Registrations kept as files in ``folder`` (one JSON file a key: the 4x4 matrix, kind,
    metric and iterations), so that the pytest processes of one run (pytest-xdist's workers,
    which share their run's temporary folder) register a pair once between them. A dict's
    ``get`` and item assignment, as :func:`registrations_reused` uses its ``done``; a file is
    written whole under another name, then renamed, so a reader never sees half of one."""

    def __init__(self, folder) -> None:
        from pathlib import Path

        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str):
        import json

        from neuroview.io.registration import Registration

        try:
            kept = json.loads((self.folder / f"{key}.json").read_text())
        except FileNotFoundError:
            return None
        return Registration(np.array(kept["fixed_to_moving"]), kept["kind"], kept["metric"],
                            kept["iterations"])

    def __setitem__(self, key: str, registration) -> None:
        import json
        import os

        text = json.dumps({"fixed_to_moving": np.asarray(registration.fixed_to_moving).tolist(),
                           "kind": registration.kind, "metric": float(registration.metric),
                           "iterations": int(registration.iterations)})
        part = self.folder / f"{key}.{os.getpid()}.part"
        part.write_text(text)
        os.replace(part, self.folder / f"{key}.json")


def _answering(real, done: dict | SharedRegistrations, reused: list):
    """``real`` (a registration function) answering inputs it registered before (kept in
    ``done``) with a copy of that result; the kinds of the calls answered so go into ``reused``."""
    from neuroview.core.jobs import report

    lock = threading.Lock()

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

    return register


@contextmanager
def registrations_reused(done: dict | SharedRegistrations):
    """While in it, ``neuroview.app.followup.register`` answers inputs it registered before (the
    same images, affines, brain masks, kind and options, their bytes hashed, kept in ``done``)
    with a copy of that result, as the same call again would give (regular sampling: repeatable),
    its progress at its end at once. Inputs that differ in a byte are registered. ``done`` may be
    a :class:`SharedRegistrations`. Yields the kinds of the calls answered so."""
    from neuroview.app import followup

    reused = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(followup, "register", _answering(followup.register, done, reused))
        yield reused


@contextmanager
def template_fits_reused(done: dict | SharedRegistrations):
    """The same for ``neuroview.io.registration.register``, which the lesion locations' fit of
    the MNI152 template to a study calls (``app.lesion_location.case_anatomy``; the follow-up's
    own registration is ``followup.register``, :func:`registrations_reused`): a study fitted once
    is not fitted again. Yields the kinds of the calls answered so."""
    from neuroview.io import registration

    reused = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registration, "register", _answering(registration.register, done, reused))
        yield reused
