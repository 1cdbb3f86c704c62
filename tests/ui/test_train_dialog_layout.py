"""What the Train dialog shows before and after a run, seen on a walk: before any run its bar
read "epoch 0 of 1" (the form said 40 epochs), and the held-out Dice line, long after a
fine-tune (the new model's figure and its base's, and since session 37 why one held-out case
cannot promote it), widened the dialog past its size."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


def _fine_tuned(dialog, monkeypatch) -> None:
    """``dialog`` as at the end of a fine-tune of lesionseg@2.5.1 on 6 cases, one held out: its
    last epoch, then the new model's card read (two labels' held-out Dice and its base's)."""
    from neuroview.ai import package

    metrics = {"held_out_dice": {"lesion": 0.7211, "oedema": 0.5120},
               "base_held_out": {"ref": "lesionseg@2.5.1", "dice": {"lesion": 0.4798, "oedema": 0.4410}},
               "held_out_too_few": "1 held-out case of 6: too few to tell a better model from luck, so "
                                   "promotion needs --force (Promote anyway? in the window); 2 are held "
                                   "out from 8 cases at the default 20 %, or from these 6 with "
                                   "--validation-fraction 0.25"}
    monkeypatch.setattr(package, "read_card", lambda _folder: SimpleNamespace(metrics=metrics))
    dialog._epoch(4, 4, 0.721, 0.721)
    dialog._final_dice("/models/lesionseg@2.6.0")


def test_the_bar_says_no_run_yet_before_the_first_run(qtbot, window):
    dialog = window.model_actions.open_train_dialog()
    qtbot.waitExposed(dialog)
    assert dialog.progress_bar.text() == "no run yet"


def test_a_long_held_out_dice_line_wraps_inside_the_dialog(qtbot, window, monkeypatch):

    dialog = window.model_actions.open_train_dialog()
    qtbot.waitExposed(dialog)
    width = dialog.width()
    _fine_tuned(dialog, monkeypatch)
    text = dialog.dice_label.text()
    assert "its base lesionseg@2.5.1 on the same cases: lesion 0.4798, oedema 0.4410" in text
    # why promotion will ask, on a line of its own in the window's words (it ran on from the
    # figures in the command's: "--force (Promote anyway? in the window)")
    assert text.endswith(".\nOnly 1 of the 6 cases was held out: too few to tell a better model "
                         "from luck, so Promote (AI > Models...) asks first. To hold out 2, put "
                         "--validation-fraction 0.25 under Options, or train on 8 cases or more."), text
    assert "--force" not in text
    # the dialog need not grow to hold it (a line that does not wrap made it 1000 px wide) ...
    assert dialog.minimumSizeHint().width() <= width, dialog.minimumSizeHint()
    dialog.layout().activate()
    label = dialog.dice_label
    assert dialog.width() == width and label.geometry().right() < width
    # ... and the label shows it whole, on more lines
    assert label.wordWrap() and label.height() >= label.heightForWidth(label.width()) > 0


class ShortScreen:
    """960x540 logical pixels: 1920x1080 at 200 % (tests/ui/test_short_screen.py)."""

    def availableGeometry(self):   # noqa: N802 (Qt's name)
        from PySide6.QtCore import QRect

        return QRect(0, 0, 960, 540)


@pytest.mark.parametrize("cases, more", [
    (2, "train on 8 cases or more"),
    (4, "put --validation-fraction 0.4 under Options, or train on 8 cases or more")])
def test_one_held_out_case_is_said_in_the_windows_words(qtbot, window, monkeypatch, cases, more):
    """1 held-out case of 4 (a walk): the note ran on from the figures in the train command's
    words, four lines; its own line now, and 'the same case' for one."""
    from neuroview.ai import package
    from neuroview.ai.held_out import too_few_held_out

    dialog = window.model_actions.open_train_dialog()
    metrics = {"held_out_dice": {"lesion": 0.7211}, "held_out_cases": 1,
               "base_held_out": {"ref": "lesionseg@2.5.1", "dice": {"lesion": 0.4798}},
               "held_out_too_few": too_few_held_out(1, cases)}
    monkeypatch.setattr(package, "read_card", lambda _folder: SimpleNamespace(metrics=metrics))
    dialog._final_dice("/models/lesionseg@2.6.0")
    assert dialog.dice_label.text().split("\n") == [
        "Held-out Dice on this dataset's held-out cases: lesion 0.7211; its base lesionseg@2.5.1 on "
        "the same case: lesion 0.4798.",
        f"Only 1 of the {cases} cases was held out: too few to tell a better model from luck, so "
        f"Promote (AI > Models...) asks first. To hold out 2, {more}."]


def test_held_out_cases_the_card_refused_are_named_under_the_figures(qtbot, window, monkeypatch):
    """A knee in a head set's held-out split is not scored since session 52: the line of figures
    names it, as the training log and the card do, so the figures are read as over the others."""
    from neuroview.ai import package

    dialog = window.model_actions.open_train_dialog()
    metrics = {"held_out_dice": {"lesion": 0.7211}, "held_out_cases": 2,
               "held_out_refused": {"nv_0007": "mine@1.1.0 is made for head MR; this series is a knee "
                                                "MR (BodyPartExamined KNEE): not run on it"}}
    monkeypatch.setattr(package, "read_card", lambda _folder: SimpleNamespace(metrics=metrics))
    dialog._final_dice("/models/mine@1.1.0")
    assert dialog.dice_label.text().split("\n") == [
        "Held-out Dice on this dataset's held-out cases: lesion 0.7211.",
        "Not scored, refused by the model's card: nv_0007 (the log says why)"]


@pytest.mark.parametrize("short", [False, True], ids=["screen", "short-screen"])
def test_no_empty_space_is_left_under_the_wrapped_dice_line(qtbot, window, monkeypatch, short):
    """The label took the height of its size hint (six lines at a guessed width) where its text
    wrapped to two: about 60 px of nothing between it and the log. It is as high as its lines
    now, and on a short screen the dialog fits (620 px high, its buttons lay below the screen)."""
    from neuroview.ui.train_dialog import TrainDialog

    if short:
        monkeypatch.setattr(TrainDialog, "screen", lambda self: ShortScreen())
    dialog = window.model_actions.open_train_dialog()
    qtbot.waitExposed(dialog)
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height() - 40 and dialog.width() <= room.width()
    _fine_tuned(dialog, monkeypatch)
    dialog.layout().activate()
    label = dialog.dice_label
    lines = label.heightForWidth(label.width())
    assert lines > label.fontMetrics().height(), "the text should wrap here"
    assert label.height() == lines   # nothing empty under it, nothing cut
    below = dialog.log_view.geometry().top() - label.mapTo(dialog, label.rect().bottomLeft()).y() - 1
    assert below == dialog.layout().spacing()
    close = dialog.close_button
    assert close.mapTo(dialog, close.rect().bottomLeft()).y() < dialog.height()
