"""*Send to training set* proposes an annotator on its first use: the reader's name the window
knows (Save to PACS, Make worklist), else the login name. The field was empty until a name was
typed, and in a walk of an annotation team each annotator's first case went into the training set
as nobody's (`dataset list`: `by -`). The name last given there still comes first."""

from __future__ import annotations

import getpass

from editor_helpers import paint_a_lesion

from neuroview.app.last_dataset import remember_dataset
from neuroview.app.reader_name import remember_reader


def _proposed(window) -> str:
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    name = dialog.annotator_edit.text()
    dialog.reject()
    return name


def test_the_send_dialog_proposes_the_login_then_the_reader_then_the_name_last_given(
        qtbot, window, tmp_path):
    paint_a_lesion(qtbot, window, tmp_path)
    assert _proposed(window) == getpass.getuser() != ""
    remember_reader("Ann Smith")
    assert _proposed(window) == "Ann Smith"
    remember_dataset(tmp_path / "datasets", "dr.b")
    assert _proposed(window) == "dr.b"
