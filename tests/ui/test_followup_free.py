"""A closed follow-up window is freed, with the images it holds (tens of MB per later study): it
used to stay alive, hidden, as a child of the main window until the application quit, one more
for every follow-up opened. Checked as a user runs it (File > Open follow-up..., then the window's
close button), by the window's ``destroyed`` signal and weak references to it and its data. A
window closed while its report is written is freed after it: test_followup_window.py's
test_closing_the_window_while_its_report_is_written_does_not_wait_for_it (one report written for
both claims)."""

from __future__ import annotations

import weakref

import pytest
from followup_free_open import _open
from followup_freed import _freed, _settle
from followup_studies import write_case

# the claim is the window freed, not the registration: each pair registered once (tests/ui/conftest.py)
pytestmark = pytest.mark.usefixtures("registrations_reused")


def test_closing_a_followup_window_frees_it(window, qtbot, mni_volume, tmp_path):
    write_case(mni_volume, tmp_path, scale=2)   # 6 mm: freed or not, whatever the size
    view = _open(window, qtbot, tmp_path)
    reference, destroyed = _freed(qtbot, view)
    # its images and comparisons: the Open follow-up job that made them kept them alive after
    # the window was freed (~5 MB a time on 3 mm heads): PySide6's thread pool held every
    # job, and the registration's progress command a cycle the garbage collector could not see
    data = [weakref.ref(view.baseline_volume), weakref.ref(view.comparisons[0])]
    view.close()                                    # the window's close button
    del view
    _settle(qtbot, destroyed)
    assert reference() is None
    assert [ref() for ref in data] == [None, None]
    assert getattr(window, "followup_window", None) is None

    first = _open(window, qtbot, tmp_path)          # opening another replaces the one shown
    reference, destroyed = _freed(qtbot, first)
    del first
    second = _open(window, qtbot, tmp_path)
    _settle(qtbot, destroyed)
    assert reference() is None
    assert window.followup_window is second and second.isVisible()
