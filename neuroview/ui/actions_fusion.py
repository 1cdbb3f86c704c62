"""*View > Other series > Overlay series...*: a second series of the study drawn in colour over the image on
screen in the three slice views (``app.fusion``, drawn by ``render.fusion``), with its own opacity
and window/level in the Display panel's *Overlay* rows.

The series is picked as a file (a DICOM file stands for its folder's series; a folder of several
series shows the series chooser), read in the background, and laid where its voxels are in the
patient: series of one DICOM frame of reference go on without a word; another frame of reference,
or a file naming none (a NIfTI), is refused in one line with *Overlay anyway* for images the user
knows are aligned. **O** hides and shows it, **Shift+O** / **Alt+O** make it more / less opaque;
**Alt+Shift+Right** / **Alt+Shift+Left** step a 4D overlay's time point (the image's keys with
Shift); another image, or *File > Close*, drops it, and the image opened again gets it back as
it was left (``ui.overlay_recall``).

*View > Other series > Compare series side by side...* picks a series the same way and shows it
beside the image
instead (``compare_window``).
"""

from __future__ import annotations

import os

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from ..app.frames import box_suffix, step_name
from ..app.fusion import OPACITY_STEP, FusionLayer, frame_mismatch, lies_apart
from ..app.overlay_memory import is_series, remember_overlay, settings_back
from ..app.view_presets import intensity_range
from .action_keys import menu_item
from .dialogs import SeriesChooserDialog
from .overlay_recall import OverlayRecall
from .window_open import FILE_FILTER

KEYS = "O hides it, Shift+O / Alt+O more / less opaque"
OVERLAY, COMPARE = "Overlay series", "Compare series side by side"
PURPOSES = {OVERLAY: "overlay", COMPARE: "compare"}
"""What the series picked is for, and the verb that says it."""


class FusionActions:
    """The *View* menu's overlay entries; ``window``: the main window."""

    def __init__(self, window, menu) -> None:
        self.window = window
        self.controller = window.controller
        self.job = None
        self.chooser = None
        self.picks = 0
        self.picked: tuple = ()
        """``(path, series key, aligned)`` of the overlay laid (:meth:`set_layer`)."""
        self.recall = OverlayRecall(self)   # kept with the image, laid again at its next open
        """Counts the series picked: the end of a read that a later pick or image replaced is
        ignored."""
        # a submenu since the View menu grew past a 1366x768 screen at 150 % (screens43)
        menu = menu.addMenu("Other series")
        # not the method itself: triggered's checked (False) would be taken for its purpose
        # (the item raised KeyError / TypeError, tests/ui/test_overlay_series.py)
        self.add_action = self._action(menu, "Overlay series...", lambda: self.overlay_dialog())
        self.add_action.setToolTip("Draw another series of this study in colour over the image "
                                   "(FLAIR over T1), in all three slice views")
        self.compare_action = self._action(menu, "Compare series side by side...",
                                           lambda: self.overlay_dialog(COMPARE))
        self.compare_action.setToolTip("Another series of this study beside the image (T1 and "
                                       "FLAIR), one cursor, slice and zoom, each its own window")
        menu.addSeparator()
        self.show_action = self._action(menu, "Show overlay", self.show, "O")
        self.show_action.setCheckable(True)
        self.more_action = self._action(menu, "More opaque",
                                        lambda: self.step_opacity(OPACITY_STEP), "Shift+O")
        self.less_action = self._action(menu, "Less opaque",
                                        lambda: self.step_opacity(-OPACITY_STEP), "Alt+O")
        # a 4D overlay's time points: the image's keys (Alt+Right / Alt+Left) with Shift
        self.next_action = self._action(menu, "Next overlay time point",
                                        lambda: self.step_frame(1), "Alt+Shift+Right")
        self.previous_action = self._action(menu, "Previous overlay time point",
                                            lambda: self.step_frame(-1), "Alt+Shift+Left")
        self.remove_action = self._action(menu, "Remove overlay", self.remove)
        self.controller.volume_changed.connect(self._volume_changed)
        self._enable()

    def _action(self, menu, text, slot, key: str = "") -> QAction:
        return menu_item(self.window, menu, text, slot, key)

    @property
    def layer(self) -> FusionLayer | None:
        state = self.controller.state
        return None if state is None else state.fusion

    def _enable(self) -> None:
        there = self.layer is not None
        for action in (self.show_action, self.more_action, self.less_action, self.remove_action):
            action.setEnabled(there)
        self.show_action.setChecked(there and self.layer.visible)
        frames = self.layer.volume.n_frames if there else 1
        for action in (self.next_action, self.previous_action):
            action.setEnabled(frames > 1)
        self.window.display_panel.show_fusion_rows(there, frames)

    def _volume_changed(self) -> None:
        """Another image (or none): its overlay went with the viewer state; a read under way stops."""
        self.picks += 1
        if self.job is not None:
            self.job.cancel()
            self.job = None
        if self.chooser is not None:
            self.chooser.reject()
        self._enable()

    # -- commands -------------------------------------------------------------------------------
    def overlay_dialog(self, purpose: str = OVERLAY) -> None:
        if self.controller.volume is None:
            self.window.show_error(f"open an image first, then {PURPOSES[purpose]} another series "
                                   "of its study")
            return
        study, on_screen = self.window.study_on_screen()
        if purpose == COMPARE and study:   # the study's other series first, as a PACS viewer
            self.overlay_path(study, purpose=purpose, on_screen=on_screen)
            return
        self._file_dialog(purpose)

    def _file_dialog(self, purpose: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, purpose,
                                              self.window.last_opened_folder(), FILE_FILTER)
        if path:
            self.overlay_path(path, purpose=purpose)

    def overlay_path(self, path, aligned: bool = False, purpose: str = OVERLAY,
                     remembered: dict | None = None, on_screen=None):
        """Scan ``path`` (a DICOM file: its folder, for the file's series; a file that is not an
        image: refused in one line, ``io.picked_series``) in the background,
        choose a series if several, read it and lay it over the image; ``aligned``: the user said
        a series of another frame of reference lies right (*Overlay anyway*). ``purpose``
        :data:`COMPARE`: show it beside the image instead (``compare_window``). ``remembered``:
        the overlay the image was left with (``app.overlay_memory``), laid again: its series
        with no chooser, its settings. ``on_screen``: the key of the series on screen, ``path`` its
        study's folder: its other series in the chooser, that one marked (on screen); the file
        dialog where it holds no other."""
        from ..io.picked_series import scan_picked

        if self.job is not None:   # a second pick replaces the first still being read
            self.job.cancel()
        self.picks += 1
        pick = self.picks
        path = os.fspath(path)
        shown = self.controller.volume

        def chosen(found) -> None:
            if pick != self.picks or self.controller.volume is not shown:
                return
            self.job = None
            result, picked = found   # picked: a DICOM file's series
            if remembered is not None:   # the series left: by its key; a file's own series
                keyed = [c for c in result.candidates if is_series(remembered, c)]
                picked = keyed[0] if keyed else picked
                if picked is None and (os.path.isdir(path) or len(result.candidates) != 1):
                    # a folder: another series left in it is not the one overlaid
                    self.recall.gone(path, "no longer holds the series overlaid")
                    return
            if on_screen is not None and all(c.key == on_screen for c in result.candidates):
                self._file_dialog(purpose)   # the study holds no other series
                return
            if on_screen is None and (len(result.candidates) == 1 or picked is not None):
                self._load(picked or result.candidates[0], shown, aligned, pick, purpose, path,
                           remembered)
                return
            dialog = self.chooser = SeriesChooserDialog(result, self.window, shown=on_screen)
            if on_screen is not None:   # another than the one on screen chosen first
                dialog.list.setCurrentRow(next(row for row, c in enumerate(result.candidates)
                                               if c.key != on_screen))
            dialog.setWindowTitle(f"Choose the series to {PURPOSES[purpose]}")
            dialog.accepted.connect(lambda: dialog.chosen() is not None
                                    and self._load(dialog.chosen(), shown, aligned, pick, purpose,
                                                   path))
            dialog.finished.connect(lambda _code: setattr(self, "chooser", None))
            dialog.open()

        self.job = self.window.runner.start(
            lambda progress, cancel: scan_picked(path, progress, cancel), on_done=chosen,
            on_error=lambda text: self._failed(pick, text, purpose),
            on_cancel=lambda: self._cancelled(pick, purpose),
            label=f"Scanning {os.path.basename(path.rstrip(os.sep)) or path}")
        return self.job

    def _load(self, candidate, shown, aligned: bool, pick: int, purpose: str = OVERLAY,
              path: str = "", remembered: dict | None = None) -> None:
        def lay(volume, anyway: bool) -> None:
            if self.controller.volume is not shown:
                return
            layer = FusionLayer.for_volume(volume)
            if remembered is not None:
                settings_back(layer, remembered)
            self.set_layer(layer, (path, candidate.key, anyway), restored=remembered is not None)

        def done(volume) -> None:
            if pick != self.picks or self.controller.volume is not shown:
                return   # another series picked, or another image opened, meanwhile
            self.job = None
            if purpose == COMPARE:
                # its panes import the follow-up's scipy.ndimage: not before the window's first
                # paint (tests/cli/test_start_imports.py)
                from .compare_window import compare_series

                self.job = compare_series(self.window, shown, volume, candidate.description)
                return
            problem = frame_mismatch(shown, volume)
            name = volume.description or candidate.description or "the series"
            if problem and not aligned:
                self.window.notice_bar.show_message(
                    f"{name} {problem}. Nothing overlaid; Overlay anyway if they are aligned.",
                    [("Overlay anyway", lambda: lay(volume, True)), ("Cancel", lambda: None)])
                return
            lay(volume, aligned)

        def load(progress, cancel):
            volume = candidate.load(progress, cancel)
            volume.workspace_key(cancel)   # its key, for labels drawn on it (app.labels_image)
            intensity_range(volume, every_frame=True)   # remembered: its boxes' range, read here
            return volume

        self.job = self.window.runner.start(
            load, on_done=done,
            on_error=lambda text: self._failed(pick, text, purpose),
            on_cancel=lambda: self._cancelled(pick, purpose),
            label=f"Loading {candidate.description or 'the series'}")

    def set_layer(self, layer: FusionLayer, picked: tuple = (), restored: bool = False) -> None:
        """Draw ``layer`` over the image on screen (replacing any overlay) and say how to use it;
        ``picked``: ``(path, series key, aligned)`` as :meth:`overlay_path` read it, kept with the
        image for its next open (``app.overlay_memory``); ``restored``: laid again as the image
        was left (said under the bar's other news, never over a restore question)."""
        state = self.controller.state
        if state is None:
            return
        state.fusion, self.picked = layer, tuple(picked)
        self.recall.remember()
        self.window.display_panel.fusion_row.set_range(*intensity_range(layer.volume, every_frame=True))
        self._enable()
        self.controller.changed.emit()
        apart = (" lies nowhere over the image (its header places it elsewhere: another space?), "
                 "so nothing of it shows" if lies_apart(self.controller.volume, layer.volume) else "")
        steps = (f", Alt+Shift+Right / Alt+Shift+Left its {step_name(layer.volume).lower()}"
                 if layer.volume.n_frames > 1 else "")   # a 4D overlay: its time points
        text = (f"Overlay: {layer.name}{' laid again, as this image was left' if restored else ''}"
                f"{apart} ({KEYS}{steps}; its opacity, colours and window in the Display panel).")
        if restored:
            self.window.notice_bar.add(text)
        else:
            self.window.notice_bar.show_message(text)

    def _failed(self, pick: int, text: str, purpose: str = OVERLAY) -> None:
        if pick != self.picks:
            return
        self.job = None
        self.window.show_error(f"{purpose.split()[0]} series: {text}")

    def _cancelled(self, pick: int, purpose: str = OVERLAY) -> None:
        if pick != self.picks:
            return
        self.job = None
        self.window.notices.status(f"{purpose.split()[0]} series cancelled; the image on screen "
                                   "is as it was.")

    def show(self, visible: bool) -> None:
        layer = self.layer
        if layer is None:
            self.show_action.setChecked(False)
            return
        layer.visible = bool(visible)
        self.show_action.setChecked(layer.visible)
        self.controller.changed.emit()
        self.window.notices.status(f"Overlay {layer.name} {'shown' if layer.visible else 'hidden'} (O)")

    def step_opacity(self, step: float) -> None:
        layer = self.layer
        if layer is None:
            return
        layer.set_opacity(round(layer.opacity + step, 2))
        layer.visible = True
        self.show_action.setChecked(True)
        self.controller.changed.emit()
        self.window.notices.status(f"Overlay opacity {round(layer.opacity * 100)} %")

    def step_frame(self, steps: int) -> None:
        """Alt+Shift+Right / Alt+Shift+Left: the overlay's next / previous time point (a 4D
        overlay; stops at the ends), said in the status bar as the Display panel's row shows it."""
        layer = self.layer
        if layer is None or layer.volume.n_frames < 2:
            return
        layer.set_frame(layer.frame + steps)
        self.controller.changed.emit()
        self.window.notices.status(f"Overlay {step_name(layer.volume).lower()} {layer.frame + 1}"
                                   f"{box_suffix(layer.volume, layer.frame)}")

    def remove(self) -> None:
        state = self.controller.state
        if state is None or state.fusion is None:
            return
        name, state.fusion = state.fusion.name, None
        remember_overlay(self.controller.volume.workspace_key(), None)   # opens without it
        self._enable()
        self.controller.changed.emit()
        # the notice that laid it, still shown, said "O hides it" of an overlay no longer there
        if not self.window.notice_bar.replace_line(("Overlay: ",), f"Overlay {name} removed."):
            self.window.notices.status("Overlay removed")
