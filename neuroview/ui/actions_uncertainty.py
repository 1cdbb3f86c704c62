"""AI > Show uncertainty: where the model is unsure, as a heat overlay on the three slice views.

Checking the action the first time for an image asks for a model (the Segment dialog, the default
model first) and computes the map in the background (``app.uncertainty.compute_uncertainty``: the
entropy in bits of the foreground probability averaged over four test-time flips) with progress
and Cancel; the views stay responsive. The map then lives in the viewer state
(``ViewerState.heat``) and is drawn by ``render.heat`` between the image and the labels, so it
follows scrolling, zoom and oblique reslicing like the labels do. Unchecking hides it, checking
again shows it without recomputing; "Compute uncertainty..." recomputes with another model.
Opening another image drops the map.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialogButtonBox

from ..app.view_presets import is_ct
from .code_consent import run_with_consent
from .model_choice import (
    SegmentDialog,
    image_domain_of,
    installed_models,
    refusal_of,
    run_anyway_offered,
)

HIDDEN_NOTICE = "Uncertainty map hidden; AI > Show uncertainty (Ctrl+Shift+U) shows it again."


class UncertaintyActions:
    def __init__(self, window) -> None:
        self.window = window
        self.controller = window.controller
        self.dialog = None
        self.job = None
        self.consent_box = None
        self.notice = ""   # the notice of the last map computed
        self.controller.volume_changed.connect(self._volume_changed)

    def install_menus(self, menu) -> None:
        menu.addSeparator()
        self.show_action = QAction("Show uncertainty", self.window)
        self.show_action.setCheckable(True)
        self.show_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.show_action.setToolTip("Heat overlay of the model's uncertainty (entropy over "
                                    "test-time flips, in bits)")
        self.show_action.triggered.connect(self.toggle)
        menu.addAction(self.show_action)
        self.compute_action = QAction("Compute uncertainty with a model...", self.window)
        self.compute_action.triggered.connect(self.compute_dialog)
        menu.addAction(self.compute_action)

    # -- state ----------------------------------------------------------------------------------
    @property
    def map(self):
        state = self.controller.state
        return state.heat if state is not None else None

    def set_map(self, uncertainty_map) -> None:
        """Show ``uncertainty_map`` (an ``app.uncertainty.UncertaintyMap`` on any grid)."""
        state = self.controller.state
        if state is None:
            return
        state.heat = uncertainty_map
        uncertainty_map.visible = True
        self.show_action.setChecked(True)
        self.controller.changed.emit()
        lesions = getattr(self.window, "lesions", None)
        if lesions is not None:   # its Unsure column: each lesion's mean
            lesions.map_changed()

    def show(self, visible: bool) -> None:
        """Show or hide the current map (no map: nothing to show; the action stays unchecked)."""
        current = self.map
        if current is None:
            self.show_action.setChecked(False)
            return
        current.visible = bool(visible)
        self.show_action.setChecked(bool(visible))
        self.controller.changed.emit()
        # the notice follows: it does not say "Showing" over a hidden map
        bar, shown, hidden = self.window.notice_bar, self.notice, HIDDEN_NOTICE
        if not visible and shown and bar.text == shown:
            bar.show_message(hidden)
        elif visible and shown and bar.text == hidden:
            bar.show_message(shown)

    def _volume_changed(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.show_action.setChecked(False)

    # -- commands -------------------------------------------------------------------------------
    def toggle(self, checked: bool) -> None:
        if not checked:
            self.show(False)
        elif self.map is not None:
            self.show(True)
        else:
            self.show_action.setChecked(False)  # checked once the map is there
            self.compute_dialog()

    def compute_dialog(self) -> None:
        if self.controller.volume is None:
            self.window.show_error("open an image first")
            return
        choices = installed_models(self.window)
        if choices is None:
            return
        entries, default = choices
        dialog = SegmentDialog(entries, default, self.window,
                               image_is_ct=is_ct(self.controller.volume),
                               domain=image_domain_of(self.controller.volume),
                               refused=refusal_of(self.controller.volume))
        dialog.setWindowTitle("Uncertainty map")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).setText("Compute")
        dialog.accepted.connect(lambda: self.compute(*dialog.choice(), anyway=dialog.anyway))
        self.dialog = dialog
        dialog.open()

    def compute(self, model_ref: str = "", device: str = "auto", anyway: bool = False):
        """Compute the map for the open image in the background; it shows when done (a model
        holding code, TorchScript, asks first: :func:`.code_consent.run_with_consent`).
        ``anyway``: on an image outside the card's domain, computed all the same (*Run anyway*)."""
        if self.controller.volume is None:
            self.window.show_error("open an image first")
            return None
        self.job = None
        run_with_consent(self, self.window, model_ref, lambda: self._compute(model_ref, device, anyway))
        return self.job

    def _compute(self, model_ref: str, device: str, anyway: bool = False):
        window = self.window
        volume = self.controller.volume
        if volume is None:
            window.show_error("open an image first")
            return None

        shown = self.controller.shown_volume() if volume.axis4 == "time" else volume  # time point on screen

        def work(progress, cancel):
            from ..app.uncertainty import compute_uncertainty

            return compute_uncertainty(shown, model_ref, device=device, progress=progress,
                                       cancel=cancel, allow_domain_mismatch=anyway)

        def done(result) -> None:
            self.job = None
            if self.controller.volume is not volume:
                return  # another image was opened meanwhile
            self.set_map(result)
            self.notice = f"Showing the {result.describe()}. AI > Show uncertainty (Ctrl+Shift+U) hides it."
            window.notice_bar.show_message(self.notice, tooltip=result.outside_domain)

        def failed(text: str) -> None:
            self.job = None
            self.show_action.setChecked(self.map is not None and self.map.visible)
            if self.controller.volume is not volume or not run_anyway_offered(
                    window, text, lambda: self.compute(model_ref, device, anyway=True)):
                window.show_error(text)

        def cancelled() -> None:
            self.job = None
            self.show_action.setChecked(self.map is not None and self.map.visible)
            window.notice_bar.show_message("Uncertainty map cancelled.")

        self.job = window.runner.start(work, on_done=done, on_error=failed, on_cancel=cancelled,
                                       label=f"Uncertainty of {model_ref or 'the default model'}")
        return self.job
