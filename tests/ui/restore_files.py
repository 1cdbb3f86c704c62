"""The files of a workspace to restore: helpers that test_restore_off_gui.py and the tests building on
it share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations


def files(folder) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
