"""*View > Other series > Compare series side by side...*: the series on screen and another series
of the study
in two linked panes (``compare_pair``), as PACS viewers' and Slicer's compare views: a T1 beside
its FLAIR, pre- beside post-contrast. One crosshair (a click in either pane moves it in both), one
slice (wheel, Up/Down, PgUp/PgDn, Home/End), one zoom and pan (Ctrl+wheel or right-drag,
middle-drag, R), the Axial/Sagittal/Coronal buttons; each pane its own window/level (the typed
boxes and presets of its row; with *Window/level* (F2) a left drag changes the window of the pane
it starts in). Esc or Close closes it.

Series of one DICOM frame of reference share their patient coordinates: they are shown as they
lie, with no registration. Another frame of reference, or a file naming none (a NIfTI), is first
registered rigidly onto the series on screen off the GUI thread (the registration of
*File > Open follow-up...*, :func:`neuroview.io.registration.register`) and shown where the
registration lays it (its voxels moved by the transform, not resampled)."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..app.followup_checks import patients_differ
from ..app.fusion import frame_mismatch
from ..app.same_anatomy import frame_of_reference
from ..app.view_state import PLANES
from .compare_pair import SeriesPairWidget
from .dialog_parts import close_buttons, row
from .followup_wl import WindowLevelControls
from .qt_guard import guard_overrides
from .screen_room import resize_within_screen

SAME_FRAME = "one frame of reference: shown as they lie, no registration"
CLOSED = ("Compare series closed: another image opened in the main window (its pair was of the "
          "image before)")


def series_name(volume) -> str:
    """What a pane's caption and the window's title call ``volume``: its description, else its
    file's name."""
    path = (volume.source_path or "").rstrip(os.sep)
    return volume.description or os.path.basename(path) or "series"


@guard_overrides
class CompareWindow(QWidget):
    """``left`` (the series on screen) and ``right`` side by side; ``note``: how they were laid
    in one patient space (:data:`SAME_FRAME`, or the registration)."""

    def __init__(self, left, right, note: str = SAME_FRAME, parent=None) -> None:
        super().__init__(parent)
        names = (series_name(left), series_name(right))
        self.setWindowTitle(f"Side by side: {names[0]} | {names[1]}")
        self.pair = SeriesPairWidget(left, right, names)
        pair = self.pair
        top = QHBoxLayout()
        self.plane_buttons = QButtonGroup(self)
        for plane in PLANES:
            button = QPushButton(plane.capitalize())
            button.setCheckable(True)
            button.setChecked(plane == pair.plane)
            button.setFocusPolicy(Qt.TabFocus)   # the keys stay with the panes
            button.clicked.connect(lambda _=False, p=plane: pair.set_plane(p))
            self.plane_buttons.addButton(button)
            top.addWidget(button)
        self.left_wl = WindowLevelControls(pair, self)
        self.right_wl = WindowLevelControls(pair, self, right, pair.right_state,
                                            pair.set_right_window_level)
        top.addWidget(self.left_wl.button)
        top.addStretch(1)
        windows = QHBoxLayout()   # a row of its own: with the planes it passed a laptop's width
        for side, wl in (("Left", self.left_wl), ("Right", self.right_wl)):
            wl.preset_box.setToolTip(f"Window/level preset of the {side.lower()} pane")
            for widget in (QLabel(f"{side}: window"), wl.window_box, QLabel("level"), wl.level_box,
                           wl.preset_box):
                windows.addWidget(widget)
            windows.addSpacing(12)
        windows.addStretch(1)
        self.status = QLabel(note)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(windows)
        layout.addWidget(pair, 1)
        layout.addWidget(row(self.status, close_buttons(self)))
        resize_within_screen(self, 1200, 700)
        pair.setFocus(Qt.OtherFocusReason)

    def follow(self, controller, say) -> None:
        """Close once the main window (its ``controller``) shows another image, or none: the pair
        was of the image before, possibly another patient's, and would be read beside the new one;
        ``say`` (the status line) tells why it went when another image opened."""
        self._main, self._say = controller, say
        controller.volume_changed.connect(self._main_image_changed)   # gone with this window

    def _main_image_changed(self) -> None:
        if self._main.volume is not self.pair.baseline and self.isVisible():
            self.close()
            if self._main.volume is not None:   # File > Close says "Image closed" itself
                self._say(CLOSED)

    def start_at(self, window: float, level: float, p_ras) -> None:
        """The left pane at the main window's window and the crosshair at its point."""
        self.pair.set_window_level(window, level)
        if p_ras is not None:
            self.pair.set_crosshair(p_ras)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.pair.setFocus(Qt.OtherFocusReason)   # the keys to the panes once it is a window

    def closeEvent(self, event) -> None:
        """Closing frees the window and the series it holds."""
        super().closeEvent(event)
        if event.isAccepted():
            self.deleteLater()


def compare_series(window, shown, other, name: str = ""):
    """Open the side-by-side window for ``shown`` (the main window's image) and ``other``: at
    once for one frame of reference, else after a rigid registration in the background (its
    job returned). A series of another patient (their DICOM Patient IDs differ) is refused in one
    line, nothing opened."""
    name = name or series_name(other)
    if patients_differ(shown, other):   # the IDs are not shown
        window.show_error(f"Compare series: {name} is of another patient than the image on screen "
                          "(their DICOM Patient IDs differ): nothing opened")
        return None
    if not frame_mismatch(shown, other):
        _open(window, shown, other, SAME_FRAME)
        return None

    def work(progress, cancel):
        from ..io import registration

        return registration.register(shown.as_shown().frame(0), shown.ijk_to_ras,
                                     other.as_shown().frame(0), other.ijk_to_ras, kind="rigid",
                                     progress=progress, cancel=cancel)

    def done(result) -> None:
        if window.controller.volume is not shown:
            return   # another image opened meanwhile
        # a fixed point p lies at fixed_to_moving @ p in the other series: its voxels moved back
        moved = replace(other, ijk_to_ras=np.linalg.inv(result.fixed_to_moving) @ other.ijk_to_ras)
        which = ("is of another DICOM frame of reference" if frame_of_reference(shown)
                 and frame_of_reference(other) else "names no DICOM frame of reference")
        _open(window, shown, moved, f"{name} {which}: registered rigidly onto the image on screen "
              "(as File > Open follow-up... registers)")

    window.notices.status(f"Compare series: registering {name} onto the image on screen")
    return window.runner.start(
        work, on_done=done, on_error=lambda text: window.show_error(f"Compare series: {text}"),
        on_cancel=lambda: window.notices.status("Compare series cancelled: nothing opened."),
        label=f"Registering {name}")


def _open(window, shown, other, note: str) -> CompareWindow:
    old = getattr(window, "compare_window", None)
    if old is not None:
        old.close()
    view = CompareWindow(shown, other, note, parent=window)
    view.setWindowFlag(Qt.Window)   # its own window, closed with the main one
    state = window.controller.state
    if state is not None:
        view.start_at(state.window, state.level, state.crosshair_ras)
    window.compare_window = view
    view.follow(window.controller, window.notices.status)
    view.destroyed.connect(lambda: _forget(window, view))
    view.show()
    return view


def _forget(window, view) -> None:
    if getattr(window, "compare_window", None) is view:
        window.compare_window = None
