"""AI > Models...: a package whose card cannot be read is not in the table; the dialog says which
one and why, and when it is the promoted default, which model Segment uses in its place (the
model vanished from the list and the bundled one was used, without a word)."""

from __future__ import annotations

import pytest

from neuroview.ai.registry import Registry

pytest.importorskip("torch")


def test_models_dialog_names_an_unreadable_default(qtbot, window, tmp_path):
    from models_dialog_cases import table_rows
    from train_data import install

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
    dialog = window.model_actions.models_dialog
    assert dialog is None or dialog.isHidden()
    assert window.message_bar.text == (
        f"cannot open the models dialog: {registry.state_file}: model settings cannot be read "
        "('defaults' is not an object of task: model names) (repair it, or delete it to go back "
        "to the bundled default model)")
    assert window.isVisible()


def test_refresh_and_rollback_with_a_damaged_models_json_say_it_in_one_line(qtbot, window, tmp_path):
    """models.json damaged while the dialog is open: Refresh (and Roll back) raised inside the
    button's slot; the window went on, the user was told nothing. Now the dialog empties its
    table and names the file in one line."""
    from models_dialog_cases import table_rows
    from train_data import install

    registry = Registry()
    entry = install(tmp_path, "tiny", "1.1.0", 0.7)
    registry.promote(entry.ref, force=True)
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    assert entry.ref in table_rows(dialog) and dialog.rollback_button.isEnabled()
    registry.state_file.write_text('{"defaults": {"lesion": "tiny@1.1.0"}, "history": [1]}')
    dialog.rollback_button.click()       # the table still shows the old registry
    expected = f"{registry.state_file}: model settings cannot be read"
    # the file by name and folder in the dialog (the whole path on hover), as the error bar says it
    state = registry.state_file
    short = f"{state.name} in …/{state.parent.name}: model settings cannot be read"
    assert dialog.status_label.text().startswith(short), dialog.status_label.text()
    assert dialog.status_label.toolTip().startswith(expected)
    assert table_rows(dialog) == {} and not dialog.rollback_button.isEnabled()
    registry.state_file.write_text("[" * 100_000)
    dialog.refresh_button.click()
    assert table_rows(dialog) == {}
    assert dialog.unreadable_label.text().startswith(short)
    assert dialog.unreadable_label.toolTip().startswith(expected)
    assert not dialog.unreadable_label.isHidden()
    assert dialog.default_label.text() == "Default for lesion: unknown"
    registry.state_file.unlink()          # repaired (deleted): Refresh lists the models again
    dialog.refresh_button.click()
    assert entry.ref in table_rows(dialog) and dialog.unreadable_label.isHidden()
    registry.state_file.write_text('{"defaults": 1}')   # opened again while damaged: the window's line
    window.model_actions.models_action.trigger()
    assert window.message_bar.text.startswith(f"cannot open the models dialog: {expected}")
    assert dialog.isHidden() and window.isVisible()
