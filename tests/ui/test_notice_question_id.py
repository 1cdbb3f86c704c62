"""A notice bar question is found by the id its asker gave it, not by its buttons' labels: with the
labels translated (or reworded), *Restore* answered otherwise than by its button still takes the
question away, and the image another window let go is still said to be free. Both looked for a
button labelled "Restore" / "Edit here" until session 30, and missed the translated ones."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, write_image
from load_warnings import WARNING, with_a_warning
from other_window import another_window_editing

from neuroview.app.case import workspace_for
from neuroview.app.session import Session

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

GERMAN = {"Restore": "Wiederherstellen", "Discard": "Verwerfen", "Edit here": "Hier bearbeiten",
          "Dismiss": "Schließen", "Read again": "Erneut lesen"}


def translated(monkeypatch, bar) -> None:
    """Every question the bar is asked shows its buttons' labels in German."""
    real = bar.ask

    def ask(question, buttons, **kwargs):
        return real(question, [(GERMAN.get(label, label), answer) for label, answer in buttons],
                    **kwargs)

    monkeypatch.setattr(bar, "ask", ask)


def crashed_with_a_stroke(volume) -> None:
    crashed = Session(volume, workspace_for(volume))
    crashed.segments.add("lesion")
    crashed.apply("paint", at_ras=INSIDE_CASE_RAS, radius_mm=4.0)
    crashed.journal.close()


def test_restore_answered_otherwise_takes_the_translated_question_away(qtbot, window, tmp_path,
                                                                        monkeypatch):
    path, volume = write_image(tmp_path)
    crashed_with_a_stroke(volume)
    with_a_warning(monkeypatch, path.name)
    bar = window.notice_bar
    translated(monkeypatch, bar)
    window.open_paths([path])
    qtbot.waitUntil(lambda: "Wiederherstellen" in bar.buttons and WARNING in bar.text,
                    timeout=30000)
    assert "Restore" not in bar.buttons and len(bar.text.split("\n")) == 2
    window.edit_actions.answer_restore(True)   # not by its button (a key, a script)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy,
                    timeout=30000)
    assert int(window.editor.session.labels.array.sum()) > 0   # the crashed stroke is back
    lines = bar.text.split("\n")
    assert lines[0] == f"Warning: {WARNING}", lines   # the question is gone, the warning stays
    assert "Wiederherstellen" not in bar.buttons and not bar.question


def test_the_translated_edit_here_question_is_told_the_image_is_free(qtbot, window, tmp_path,
                                                                      monkeypatch):
    from neuroview.ui.worklist_watch import WATCH_MS

    window.training_actions.watch.timer.setInterval(WATCH_MS // 10)
    bar = window.notice_bar
    translated(monkeypatch, bar)
    path, _volume = write_image(tmp_path)
    with another_window_editing(path):
        window.open_paths([path])
        qtbot.waitUntil(lambda: "another neuroview window" in bar.text, timeout=30000)
        assert set(bar.buttons) == {"Hier bearbeiten", "Schließen"}
    qtbot.waitUntil(lambda: "let this image go" in bar.text, timeout=10000 * WATCH_MS)
    assert "another neuroview window" not in bar.text   # the line was reworded
    bar.buttons["Hier bearbeiten"].click()   # the killed window's stroke offered back
    qtbot.waitUntil(lambda: "Wiederherstellen" in bar.buttons, timeout=30000)
