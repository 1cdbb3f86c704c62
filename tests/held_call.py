"""A call the caller cannot stop midway (highdicom's build, pydicom's write or parse), held until
the test lets it go: for the tests of a Cancel that must not wait for it."""

from __future__ import annotations

import threading


def hold(monkeypatch, owner, name: str):
    """``owner.name`` made to wait until released (30 s at most), then do its work: the events
    (started, release, ended)."""
    started, release, ended = threading.Event(), threading.Event(), threading.Event()
    work = getattr(owner, name)

    def held(*args, **kwargs):
        started.set()
        release.wait(30)
        try:
            return work(*args, **kwargs)
        finally:
            ended.set()

    monkeypatch.setattr(owner, name, held)
    return started, release, ended
