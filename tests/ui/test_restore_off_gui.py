"""*Restore* replays the crash journal in a worker, not on the GUI thread (2000 strokes froze the
window for 2.1 s on a loaded machine until session 27, ``bench/restore_offer.py``): the window keeps handling
events, the job bar counts the journal records, editing waits and says why, Cancel gives the
question back with the workspace untouched, and closing the image or the window meanwhile leaves
the journal to be offered again. The case restored is the one the GUI-thread replay gave."""

from __future__ import annotations

import re
import shutil
import threading

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, wait_for_session, write_image
from PySide6.QtCore import Qt, QTimer
from quit_windows import new_window  # noqa: F401  (a fixture)
from restore_files import files

from neuroview.app import journal_replay, workspace_lock
from neuroview.app.case import Case, workspace_for
from neuroview.app.restore_offer import restore_offer
from neuroview.app.session import Session

STROKES = 240
HELD_AT = 100
"""The replay is held at its 100th step (after the first progress report, at record 64)."""


def crashed(volume):
    """A session of :data:`STROKES` strokes (undos among them) on ``volume``'s workspace, killed."""
    session = Session(volume, workspace_for(volume), journal_max_bytes=None, journal_max_records=None)
    lesion = session.segments.add("lesion")
    rng = np.random.default_rng(4)
    for n in range(STROKES):
        session.apply("paint", at_ras=tuple(INSIDE_CASE_RAS + rng.uniform(-20, 20, 3)), radius_mm=3.0,
                      mode="3d", segment=lesion)
        if n % 9 == 8:
            session.undo()
    session.undo()
    session.journal.close()


def expected_from_a_copy(volume, tmp_path):
    """What the replay on the GUI thread gives, from a copy of the workspace."""
    copy = tmp_path / "copy"
    shutil.copytree(workspace_for(volume), copy)
    case = Case.open(volume, copy)
    session = case.session
    state = (session.labels.array.copy(), session.labels.segments.to_list(),
             [s.step_id for s in session.history.undo_steps],
             [s.step_id for s in session.history.redo_steps], session.counts.counts(),
             session.restored_line())
    case.close()
    return state


def hold_the_replay(monkeypatch, until):
    """The replay's :data:`HELD_AT`-th step waits until ``until()`` (5 s at most); the threads
    it ran on, and whether ``until()`` was true when it went on."""
    seen = {"threads": set(), "held": None}
    original = journal_replay.apply_step
    calls = [0]

    def held(labels, counts, step, forward):
        seen["threads"].add(threading.current_thread())
        calls[0] += 1
        if calls[0] == HELD_AT:
            for _ in range(500):
                if until():
                    break
                threading.Event().wait(0.01)
            seen["held"] = until()
        original(labels, counts, step, forward)

    monkeypatch.setattr(journal_replay, "apply_step", held)
    return seen


def offered(qtbot, window, path):
    open_image(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=30000)
    return bar


def replaying(qtbot, window):
    """The job bar counts the journal records replayed."""
    qtbot.waitUntil(lambda: window.jobs.text.text().startswith("Restoring the earlier edits: "),
                    timeout=10000)
    return window.jobs.text.text()


def restore_held(qtbot, window, monkeypatch, path, volume):
    """The image's crash journal offered, *Restore* clicked and the replay held part-way until the
    returned event is set: (workspace, its files before, the event, the bar, the question asked)."""
    workspace = workspace_for(volume)
    before = files(workspace)
    release = threading.Event()
    hold_the_replay(monkeypatch, release.is_set)
    bar = offered(qtbot, window, path)
    question = bar.text
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    replaying(qtbot, window)
    return workspace, before, release, bar, question


def test_the_window_handles_events_during_the_replay_and_gets_the_same_case(qtbot, window, tmp_path,
                                                                           monkeypatch):
    path, volume = write_image(tmp_path)
    crashed(volume)
    expected = expected_from_a_copy(volume, tmp_path)
    ticks = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    release = threading.Event()
    seen = hold_the_replay(monkeypatch, lambda: len(ticks) >= 5 and release.is_set())
    bar = offered(qtbot, window, path)
    ticks.clear()
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    text = replaying(qtbot, window)              # the GUI thread is free while the replay waits
    total = restore_offer(volume, workspace_for(volume)).restorable.records
    done = re.fullmatch(rf"Restoring the earlier edits: (\d+) of {total} journal records", text)
    assert done and 0 < int(done.group(1)) < HELD_AT < total, text
    assert window.jobs.cancel_button.isVisible() and window.editor.session is None
    window.edit_actions.panel.add_segment()      # editing waits, and says why
    assert window.message_bar.text.startswith("wait a moment: this image's earlier edits are "
                                              "being restored (Cancel in the status bar stops it)")
    release.set()
    session = wait_for_session(qtbot, window)
    timer.stop()
    assert seen["held"] is True                  # the timer fired while the replay was under way
    assert threading.main_thread() not in seen["threads"]
    labels, segments, undo, redo, counts, line = expected
    assert np.array_equal(session.labels.array, labels) and labels.any()
    assert session.labels.segments.to_list() == segments
    assert [s.step_id for s in session.history.undo_steps] == undo
    assert [s.step_id for s in session.history.redo_steps] == redo and len(redo) == 1
    assert session.counts.counts() == counts
    assert window.notice_bar.text == line[0].upper() + line[1:]   # with the news, not in Measurements
    assert not window.measurements.findItems(line, Qt.MatchContains)
    session.undo()                               # the history goes on
    assert [s.step_id for s in session.history.redo_steps] == [undo[-1], *redo]


def test_cancel_asks_again_and_leaves_the_journal_as_it_was(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    crashed(volume)
    expected = expected_from_a_copy(volume, tmp_path)
    workspace, before, release, bar, question = restore_held(qtbot, window, monkeypatch, path, volume)
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    assert bar.text == (f"{question}\nThe restore was cancelled: nothing was changed; the crash "
                        "journal is kept.")
    assert window.editor.session is None and not window.runner.busy
    assert files(workspace) == before and workspace not in workspace_lock._HELD
    window.edit_actions.panel.add_segment()      # the question waits for its answer
    assert window.message_bar.text.startswith("answer the restore question above the views")
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)   # the offer taken later
    session = wait_for_session(qtbot, window)
    assert np.array_equal(session.labels.array, expected[0])
    assert [s.step_id for s in session.history.undo_steps] == expected[2]


def test_another_image_opened_during_the_replay_leaves_the_journal_to_be_offered(qtbot, window, tmp_path,
                                                                                 monkeypatch):
    path, volume = write_image(tmp_path)
    other, _ = write_image(tmp_path, name="other", affine_name="oblique")
    crashed(volume)
    workspace, before, release, bar, _ = restore_held(qtbot, window, monkeypatch, path, volume)
    window.open_paths([other])                   # never edited: edited at once
    qtbot.waitUntil(lambda: window.controller.volume is not None
                    and window.controller.volume is not volume and window.editor.session is not None,
                    timeout=30000)
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    qtbot.wait(50)
    assert window.editor.session.volume is window.controller.volume
    assert not window.editor.session.labels.array.any()
    assert not (bar.isVisible() and "Restore" in bar.buttons)
    assert files(workspace) == before and workspace not in workspace_lock._HELD
    offered(qtbot, window, path)                 # the first image's edits are offered again


def test_closing_the_window_during_the_replay(qtbot, window, tmp_path, monkeypatch,
                                              new_window):  # noqa: F811
    path, volume = write_image(tmp_path)
    crashed(volume)
    expected = expected_from_a_copy(volume, tmp_path)
    workspace, before, release, bar, _ = restore_held(qtbot, window, monkeypatch, path, volume)
    threading.Timer(0.1, release.set).start()    # the replay goes on while the window closes
    assert window.close()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    qtbot.wait(50)
    assert window.editor.session is None
    assert files(workspace) == before and workspace not in workspace_lock._HELD
    again = new_window()                         # the next start: offered, and restored
    bar = offered(qtbot, again, path)
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    session = wait_for_session(qtbot, again)
    assert np.array_equal(session.labels.array, expected[0])
