"""The status line's word (``ui.notices.Notices.status``) held up while a test reads it, however
slow the machine: a test reads the word as the user would the moment it showed."""

from __future__ import annotations

import types

from neuroview.ui import notices

DAY_MS = 24 * 3600 * 1000


def hold_the_word(monkeypatch) -> None:
    """The clock ``Notices`` times the word by stands still, so that a move over a slice view never
    finds it up its reading time (``READ_MS``) and a restate always finds it within its
    ``NOTE_MS``, and the status bar's own timeout is a day. At load 25 (two busy loops beside the
    test on one core, 7 Dec 2026) a stroke came 2.2 s after the word on the worklist case opened,
    and its first move took the word down before the edit could restate it; the word was read
    6.3 s after it showed, under the 15 s the bar keeps it. A word said aside
    (``Notices.aside``) waits for ever here: no test holding the word says one."""
    monkeypatch.setattr(notices, "time", types.SimpleNamespace(monotonic=lambda: 0.0))
    monkeypatch.setattr(notices, "NOTE_MS", DAY_MS)
