"""The training dialogs on a short screen and their status line (``ui/dialog_parts.py``).

On 960x540 logical pixels (1920x1080 at 200 %) the Rank (820x560) and Models (900x560) dialogs
opened taller than the screen, their buttons below its edge (the Train dialog's own fix of this
session is now the shared one). The Train, Rank and Models dialogs kept an empty line of about 20 px above
their buttons until a message came; it takes no room now, and a message takes its room from the
log, not from the screen: the dialog keeps its size and its buttons their place."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect


class ShortScreen:
    """960x540 logical pixels: 1920x1080 at 200 % (tests/ui/test_short_screen.py)."""

    def availableGeometry(self) -> QRect:   # noqa: N802 (Qt's name)
        return QRect(0, 0, 960, 540)


def open_dialog(window, kind: str):
    if kind == "train":
        return window.model_actions.open_train_dialog()
    if kind == "rank":
        return window.training_actions.open_rank_dialog()
    return window.model_actions.open_models_dialog()


def dialog_class(kind: str):
    from neuroview.ui.models_dialog import ModelsDialog
    from neuroview.ui.rank_dialog import RankDialog
    from neuroview.ui.train_dialog import TrainDialog

    return {"train": TrainDialog, "rank": RankDialog, "models": ModelsDialog}[kind]


def bottom(widget, dialog) -> int:
    return widget.mapTo(dialog, widget.rect().bottomLeft()).y()


def top(widget, dialog) -> int:
    return widget.mapTo(dialog, widget.rect().topLeft()).y()


@pytest.mark.parametrize("kind", ["train", "rank", "models"])
def test_the_dialog_fits_a_screen_540_pixels_high(qtbot, window, monkeypatch, kind):
    monkeypatch.setattr(dialog_class(kind), "screen", lambda self: ShortScreen())
    dialog = open_dialog(window, kind)
    qtbot.waitExposed(dialog)
    dialog.layout().activate()
    assert dialog.width() <= 960 and dialog.height() <= 540 - 40, dialog.size()
    close = dialog.close_button
    assert bottom(close, dialog) < dialog.height()   # the buttons are inside it, not cut
    assert dialog.minimumSizeHint().height() <= dialog.height()


@pytest.mark.parametrize("kind", ["train", "rank", "models"])
def test_no_empty_line_above_the_buttons_until_a_message_comes(qtbot, window, kind):
    from PySide6.QtWidgets import QSplitter

    dialog = open_dialog(window, kind)
    qtbot.waitExposed(dialog)
    size = dialog.size()
    dialog.layout().activate()
    spacing = dialog.layout().spacing()
    # the widget that stretches above the status line: the log, or the Models dialog's tables
    log = dialog.log_view if kind != "models" else dialog.findChild(QSplitter)
    close, status = dialog.close_button, dialog.status_label
    buttons_at = top(close, dialog)
    # nothing between the log and the buttons' row but the layout's spacing
    assert top(close, dialog) - bottom(log, dialog) - 1 == spacing
    status.setText("the training set /data/Dataset501_Lesions does not exist (removed or moved?)")
    dialog.layout().activate()
    assert status.isVisible() and status.height() >= status.fontMetrics().height()
    assert top(status, dialog) - bottom(log, dialog) - 1 == spacing
    assert top(close, dialog) - bottom(status, dialog) - 1 == spacing
    assert dialog.size() == size and top(close, dialog) == buttons_at   # nothing jumps
    status.setText("")
    dialog.layout().activate()
    assert not status.isVisible()
    assert top(close, dialog) - bottom(log, dialog) - 1 == spacing


def test_the_send_dialog_is_as_tall_as_its_rows(qtbot, tmp_path):
    """Send to training set opened 280 px high, about 80 px empty below its buttons (session 38's
    walk); a message shown makes it taller, its buttons kept inside, and gone, short again."""
    from PySide6.QtWidgets import QDialogButtonBox

    from neuroview.ui.training_set_dialog import TrainingSetDialog

    dialog = TrainingSetDialog(["lesion"], "MR")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    below = lambda: dialog.height() - bottom(buttons, dialog)   # noqa: E731
    assert dialog.width() == 560 and below() <= 16, (dialog.size(), below())
    short = dialog.height()
    dialog.show_error(f"the folder {tmp_path} holds no dataset.json: check 'Create a new dataset in "
                      "this folder' to make one there, or choose the dataset's folder")
    qtbot.waitUntil(lambda: dialog.height() > short + 20 and 0 < below() <= 16)   # laid out
    assert bottom(dialog.error_label, dialog) < top(buttons, dialog)
    dialog.error_label.hide()
    qtbot.waitUntil(lambda: dialog.height() == short)
