"""AI > Models...: a package whose card cannot be read is not in the table; the dialog says which
one and why, and when it is the promoted default, which model Segment uses in its place (the
model vanished from the list and the bundled one was used, without a word)."""

from __future__ import annotations

import pytest

from neuroview.ai.registry import Registry

pytest.importorskip("torch")


def test_models_dialog_names_an_unreadable_default(qtbot, window, tmp_path):
    from test_models_gui import install, table_rows

    registry = Registry()
    bundled = registry.default_ref()
    entry = install(tmp_path, "tiny", "1.1.0", 0.7)
    registry.promote(entry.ref, force=True)
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    assert dialog.unreadable_label.isHidden()
    card = entry.path / "model.json"
    card.write_text(card.read_text()[:40])      # a copy cut short, a disk error...
    dialog.refresh_button.click()
    assert "tiny@1.1.0" not in table_rows(dialog)
    assert dialog.default_label.text().startswith(f"Default for lesion: {bundled}")
    text = dialog.unreadable_label.text()
    assert not dialog.unreadable_label.isHidden()
    assert (f"The default promoted for lesion, tiny@1.1.0, is missing or unreadable: Segment uses "
            f"{bundled}") in text
    assert f"Not listed, its card cannot be read: {card}: model card is not valid JSON" in text


def test_a_damaged_models_json_is_one_line_in_the_window(qtbot, window):
    """A models.json of the wrong shape was an internal error; now the Models dialog does not open,
    the window says why in one line naming the file, and keeps running."""
    registry = Registry()
    registry.home.mkdir(parents=True, exist_ok=True)
    registry.state_file.write_text('{"defaults": ["tiny@1.0.0"]}')
    window.model_actions.models_action.trigger()
    assert window.model_actions.models_dialog is None
    assert window.message_bar.text == (
        f"cannot open the models dialog: {registry.state_file}: model settings cannot be read "
        "('defaults' is not an object of task: model names) (repair it, or delete it to go back "
        "to the bundled default model)")
    assert window.isVisible()
