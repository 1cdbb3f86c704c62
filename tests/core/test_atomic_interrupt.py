"""Ctrl+C (or SIGTERM, raised as KeyboardInterrupt by the CLI) arriving just after the temporary
beside the target was made, before the block that removes it on failure began, left a hidden
``.b.nii.XXXX.nii.gz`` in the user's folder (a loaded run of tests/cli/test_sigterm_stops.py saw
it). The interrupt is raised here at the first call after the file exists: nothing may remain."""

from __future__ import annotations

import os

import pytest

from neuroview.core import atomic


def test_an_interrupt_right_after_the_temporary_is_made_leaves_nothing(tmp_path, monkeypatch):
    real_close = os.close

    def interrupted_close(fd):
        real_close(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "close", interrupted_close)
    with pytest.raises(KeyboardInterrupt):
        with atomic.atomic_path(tmp_path / "b.nii.gz") as tmp:
            tmp.write_bytes(b"never reached")
    monkeypatch.setattr(atomic.os, "close", real_close)
    assert os.listdir(tmp_path) == []


def test_the_temporary_is_private_beside_the_target_and_keeps_the_suffix(tmp_path):
    with atomic.atomic_path(tmp_path / "b.nii.gz", durable=False) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".b.nii.") and tmp.name.endswith(".nii.gz")
        assert oct(os.stat(tmp).st_mode & 0o777) == oct(0o600 & ~atomic.current_umask())
        tmp.write_bytes(b"data")
    assert os.listdir(tmp_path) == ["b.nii.gz"]
    assert (tmp_path / "b.nii.gz").read_bytes() == b"data"
