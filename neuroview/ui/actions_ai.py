"""AI > Segment: choose a model (the device it will run on is shown), run it in the background with
progress and Cancel; the result arrives as segments marked with the model's name and version,
editable with every tool and undone in one step (``app.case.Case.apply_model_result``).

torch is never imported while the window starts: ``neuroview.ai`` is imported when the user
opens the Segment dialog (to list models and tell the device) and the model runs in a worker
thread through the ai package's Qt-free ``segment.segment_volume``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel

from ..core.errors import NeuroviewError
from .actions_uncertainty import UncertaintyActions

DEVICES = (("auto", "Automatic (GPU when there is one)"), ("cpu", "CPU"), ("cuda", "NVIDIA GPU (CUDA)"),
           ("mps", "Apple GPU (MPS)"))


def describe_device(choice: str) -> str:
    """What ``choice`` resolves to on this machine, e.g. ``cuda:0`` or ``cpu``."""
    try:
        from ..ai.infer import choose_device

        device = choose_device(choice)
    except NeuroviewError as exc:
        return f"not available: {exc}"
    except Exception as exc:  # torch's own errors (no CUDA build...)
        return f"not available: {type(exc).__name__}: {exc}"
    return str(device)


def installed_models(window):
    """``(entries, default_ref)`` of the model registry, or None after showing why there are none."""
    try:
        from ..ai.registry import Registry

        registry = Registry()
        entries = registry.entries()
        default = registry.default_ref()
    except ImportError:
        window.show_error("the AI package is not installed with this neuroview")
        return None
    except NeuroviewError as exc:
        window.show_error(str(exc))
        return None
    if not entries:
        window.show_error("no segmentation model is installed; add one with 'neuroview models add PATH'")
        return None
    return entries, default


class SegmentDialog(QDialog):
    """Model (from the registry, the default first) and device, with the device it resolves to."""

    def __init__(self, entries, default_ref, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Segment with a model")
        form = QFormLayout(self)
        self.model_box = QComboBox()
        for entry in entries:
            card = entry.card
            text = f"{card.ref}  ({', '.join(label.name for label in card.labels)})"
            if entry.ref == default_ref:
                text += "  [default]"
            self.model_box.addItem(text, entry.ref)
        index = self.model_box.findData(default_ref)
        self.model_box.setCurrentIndex(max(index, 0))
        self.device_box = QComboBox()
        for value, text in DEVICES:
            self.device_box.addItem(text, value)
        self.device_label = QLabel()
        form.addRow("Model", self.model_box)
        form.addRow("Device", self.device_box)
        form.addRow("Runs on", self.device_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Segment")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.device_box.currentIndexChanged.connect(self._device_changed)
        self._device_changed()

    def _device_changed(self) -> None:
        self.device_label.setText(describe_device(self.device_box.currentData()))

    def choice(self) -> tuple[str, str]:
        return self.model_box.currentData(), self.device_box.currentData()


class AIActions:
    def __init__(self, window) -> None:
        self.window = window
        self.editor = window.editor
        self.dialog = None
        self.job = None

    def install_menus(self, menu_bar, before_menu, tool_bar) -> None:
        menu = menu_bar.addMenu("&AI")
        menu_bar.insertMenu(before_menu, menu)
        self.segment_action = QAction("Segment with a model...", self.window)
        self.segment_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.segment_action.triggered.connect(self.segment_dialog)
        menu.addAction(self.segment_action)
        tool_bar.addAction(self.segment_action)
        self.menu = menu
        self.uncertainty = UncertaintyActions(self.window)
        self.uncertainty.install_menus(menu)

    def segment_dialog(self) -> None:
        if self.editor.case is None:
            self.window.show_error("open an image to segment first")
            return
        choices = installed_models(self.window)
        if choices is None:
            return
        entries, default = choices
        self.dialog = SegmentDialog(entries, default, self.window)
        self.dialog.accepted.connect(lambda: self.segment(*self.dialog.choice()))
        self.dialog.open()

    def segment(self, model_ref: str = "", device: str = "auto") -> None:
        """Run the model on the open image in the background; apply the result as one step."""
        case = self.editor.case
        window = self.window
        if case is None:
            window.show_error("open an image to segment first")
            return
        volume = case.volume

        def work(progress, cancel):
            from ..ai.segment import segment_volume

            return segment_volume(volume, model_ref, device, progress=progress, cancel=cancel)

        def done(result) -> None:
            labels, segments, model, used_device = result
            if self.editor.case is not case:
                return  # another image was opened meanwhile
            try:
                step = case.apply_model_result(labels, {value: name for value, name, _c in segments},
                                               model, colors={value: c for value, _n, c in segments})
            except NeuroviewError as exc:
                window.show_error(str(exc))
                return
            self.editor.segments_changed.emit()
            from ..ai.segment import BRAIN_SEGMENT

            voxel_ml = float(np.prod(volume.spacing)) / 1000.0
            found = ", ".join(f"brain {int((labels > 0).sum()) * voxel_ml:.0f} mL" if name == BRAIN_SEGMENT
                              else f"{name} {int((labels == value).sum())} voxels"
                              for value, name, _c in segments)
            window.notice_bar.show_message(
                f"{model} on {used_device}: {found}" + ("" if step is not None else " (nothing changed)")
                + ". Correct it with the segment editor; Ctrl+Z removes it.")
            training = getattr(window, "training_actions", None)
            if training is not None and training.worklist is not None and training.worklist_id:
                if training.worklist.case(training.worklist_id).status == "new":
                    training.worklist.set_status(training.worklist_id, "proposed")

        def cancelled() -> None:
            window.notice_bar.show_message("Segmentation cancelled; the labels are unchanged.")

        self.job = window.runner.start(work, on_done=done, on_error=window.show_error, on_cancel=cancelled,
                                       label=f"Segmenting with {model_ref or 'the default model'}")
