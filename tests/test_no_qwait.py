"""No test waits with ``QTest.qWait``: it keeps Python's GIL while it waits, so a worker thread
(the model's torch work, a job) crawls meanwhile: a Python loop on a thread did 2-3 % of its work
during a 0.3 s ``qWait`` against ``QEventLoop`` or ``time.sleep`` (7 Dec 2026, load 3-4), and
the s45 walk, driven by qWait, saw the window's Segment take 114-150 s where it takes 12-19 s
(bench/window_segment.py --qwait).
``qtbot.wait`` (a ``QEventLoop`` with a timer) lets the worker run. ``qWaitForWindowExposed``
is not a wait of this kind."""

from __future__ import annotations

import re

from tests.checkout import REPO

QWAIT = re.compile(r"\bqWait\s*\(")


def test_no_test_waits_with_qwait():
    found = [f"{path.relative_to(REPO)}:{number}"
             for folder in ("tests", "neuroview") for path in sorted((REPO / folder).rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if QWAIT.search(line)]
    assert not found, f"QTest.qWait holds the GIL while it waits, use qtbot.wait: {found}"
