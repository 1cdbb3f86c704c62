"""AI > Models > *Add...*: a folder or a model file chosen is installed as ``neuroview models add
PATH`` installs it (the refusal texts name that command; the dialog had no button for it, then
took folders only)."""

from __future__ import annotations

import os

import pytest
from models_dialog_cases import table_rows
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from tiny_models import tiny_model

from neuroview.ai.registry import Registry

torch = pytest.importorskip("torch")


def test_add_installs_the_folder_chosen_and_refuses_it_twice(qtbot, window, tmp_path, monkeypatch):
    package = tiny_model(tmp_path)
    not_a_model = tmp_path / "photos"
    not_a_model.mkdir()
    chosen = [str(package), str(package), str(not_a_model), ""]
    asked = []

    def choose(parent, title, folder="", *args):
        asked.append(title)
        return chosen.pop(0)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose)
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    qtbot.waitExposed(dialog)
    assert "tiny@1.2.0" not in table_rows(dialog)
    dialog.add_folder_action.trigger()
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Added"), timeout=30000)
    assert asked == ["Add a model: choose its folder"]
    entry = Registry().get("tiny@1.2.0")   # installed where the command installs it
    assert not entry.bundled and os.path.isfile(entry.path / "model.json")
    assert "tiny@1.2.0" in table_rows(dialog) and dialog.selected_refs() == ["tiny@1.2.0"]
    assert [a.text() for a in dialog.add_button.menu().actions()] == [
        "&Model file (.pt, .onnx)...", "Model &folder..."]   # each with its letter
    assert "tiny@1.2.0" in dialog.status_label.text()

    dialog.add_folder_action.trigger()   # the same version again: refused
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Not added"), timeout=30000)
    assert "already installed" in dialog.status_label.text()
    assert "\n" not in dialog.status_label.text() and dialog.add_button.isEnabled()

    dialog.add_folder_action.trigger()   # a folder that holds no model
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Not added"), timeout=30000)
    assert "photos" in dialog.status_label.text()
    dialog.add_folder_action.trigger()   # the chooser cancelled: nothing happens
    assert "photos" in dialog.status_label.text() and dialog.add_button.isEnabled()
    assert [e.ref for e in Registry().entries()].count("tiny@1.2.0") == 1


class _Lesions(torch.nn.Module):
    def forward(self, x):
        fg = torch.ones_like(x[:, :1])
        return torch.cat([-fg, fg], dim=1)


@pytest.mark.parametrize("chosen", ["folder", "file"])
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_torchscript_package_asks_first_as_segment_does(qtbot, window, tmp_path, monkeypatch, chosen):
    """Loading a TorchScript package runs its file's code: *Add...* asks first (No adds nothing,
    Yes adds it); the refusal named the command's --trust-code and 'the window asks', which
    Add... did not. The file alone, its card beside it as ``scripted.pt.json``, is added as
    ``neuroview models add scripted.pt`` adds it (Add... offered folders only)."""
    from PySide6.QtWidgets import QMessageBox

    from neuroview.ai.api import LabelInfo, ModelCard

    package = tmp_path / "scripted"
    package.mkdir()
    torch.jit.script(_Lesions()).save(str(package / "scripted.pt"))
    card = ModelCard(name="scripted", version="1.0.0", architecture="unet3d", hyperparameters={},
                     input_channels=["T1"], target_spacing=(4.0, 4.0, 4.0), patch_size=(16, 16, 16),
                     labels=[LabelInfo(1, "lesion", (250, 120, 0))], format="torchscript",
                     weights_file="scripted.pt")
    (package / ("model.json" if chosen == "folder" else "scripted.pt.json")).write_text(card.to_json())
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(package))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(package / "scripted.pt"), "Model files (*.pt *.pth *.onnx)"))
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    add = dialog.add_folder_action if chosen == "folder" else dialog.add_file_action
    qtbot.waitExposed(dialog)
    for answer in (QMessageBox.No, QMessageBox.Yes):
        add.trigger()
        box = dialog.consent_box
        qtbot.waitUntil(box.isVisible, timeout=5000)
        assert "TorchScript" in box.text()
        QTest.mouseClick(box.button(answer), Qt.LeftButton)
        if answer == QMessageBox.No:
            assert "not run (no consent to run its code)" in dialog.status_label.text()
            assert "scripted@1.0.0" not in table_rows(dialog)
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Added scripted@1.0.0"), timeout=30000)
    assert Registry().get("scripted@1.0.0").card.format == "torchscript"


def test_a_folder_leading_out_is_refused_without_the_cards_name(qtbot, window, tmp_path, monkeypatch):
    """A card whose name@version is, in the models folder, a symbolic link leading out: the status
    line says which of the card's fields made the folder, not the name (it quoted it until session
    45: a card may be named after a patient)."""
    import json

    package = tiny_model(tmp_path)
    card = json.loads((package / "model.json").read_text())
    card["name"] = "DoeJane"
    (package / "model.json").write_text(json.dumps(card))
    models = Registry().models_dir
    models.mkdir(parents=True, exist_ok=True)
    (models / "DoeJane@1.2.0").symlink_to(tmp_path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(package))
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    qtbot.waitExposed(dialog)
    dialog.add_folder_action.trigger()
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Not added"), timeout=30000)
    text = dialog.status_label.text() + dialog.status_label.toolTip()
    assert "the model folder named by the card's name and version points outside" in text
    assert "a symbolic link there leads out (name not shown)" in text and "DoeJane" not in text
