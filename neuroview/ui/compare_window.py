"""*View > Other series > Compare series side by side...*: the series on screen and another series
of the study
in two linked panes (``compare_pair``), as PACS viewers' and Slicer's compare views: a T1 beside
its FLAIR, pre- beside post-contrast. One crosshair (a click in either pane moves it in both), one
slice (wheel, Up/Down, PgUp/PgDn, Home/End), one zoom and pan (Ctrl+wheel or right-drag,
middle-drag, +/-, R), the Axial/Sagittal/Coronal buttons, one thick slab (the *Slab* box, M: a
MIP); a 4D other series' time point stepped with Alt+Right / Alt+Left (the left pane's is the main
window's); each pane its own window/level (the typed boxes and presets of its row; with
*Window/level* (F2) a left drag changes the window of the pane it starts in). The image's segments
over both panes, as the main window shows them (edits, visibility and opacity followed), and
its grey scale inverted with *View > Invert grey scale* (I) there; the
pointer over either pane reads both series' values there. Esc or Close closes it.

Series of one DICOM frame of reference share their patient coordinates: they are shown as they
lie, with no registration. Another frame of reference, or a file naming none (a NIfTI), is first
registered rigidly onto the series on screen off the GUI thread (the registration of
*File > Open follow-up...*, :func:`neuroview.io.registration.register`) and shown where the
registration lays it (its voxels moved by the transform, not resampled). A registration that looks
wrong (``app.compare_registration``) or failed is said in red in the window's status line; the
*Registered* box shows the series as its file lies instead (a failed one is shown so at once)."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..app.followup_checks import patients_differ
from ..app.fusion import frame_mismatch
from ..app.same_anatomy import frame_of_reference
from ..app.view_presets import intensity_range, shown_unit
from ..app.view_state import PLANES
from .compare_pair import SeriesPairWidget
from .dialog_parts import close_buttons, row
from .followup_wl import WindowLevelControls
from .plain_text import plain_label
from .qt_guard import guard_overrides
from .screen_room import resize_within_screen
from .slab_row import SlabRowWidget, toggle_mip

SAME_FRAME = "one frame of reference: shown as they lie, no registration"
WARNING_STYLE = "color: #c62828;"
"""A registration that failed or looks wrong: the status line in red, as the follow-up window's
warnings."""
POINT_HERE = "Point at either pane to read both series' values there"
AS_IT_LIES = ("{name}: not registered, shown where its file's header places it (its anatomy may "
              "not lie over the image's)")
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
    in one patient space (:data:`SAME_FRAME`, or the registration). ``unregistered``: the other
    series as its file lies, when ``right`` is its registered copy (the *Registered* box shows
    either); ``warning``: why the registration looks wrong or failed, said in red."""

    def __init__(self, left, right, note: str = SAME_FRAME, parent=None, unregistered=None,
                 warning: str = "") -> None:
        super().__init__(parent)
        names = (series_name(left), series_name(right))
        self.setWindowTitle(f"Side by side: {names[0]} | {names[1]}")
        self.pair = SeriesPairWidget(left, right, names,
                                     slab_worker=getattr(parent, "slab_worker", None))
        pair = self.pair
        self._laid = (right, unregistered)
        self._notes = (note, warning, AS_IT_LIES.format(name=names[1]))
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
        self.slab_row = SlabRowWidget(pair, views=False)   # both panes, M toggles a MIP
        self.slab_row.mode_box.setFocusPolicy(Qt.TabFocus)
        top.addWidget(QLabel("Slab:"))
        top.addWidget(self.slab_row)
        QShortcut(QKeySequence("M"), self, lambda: toggle_mip(
            self.slab_row, not pair.state.slabs[pair.plane].on))
        for key, steps in (("Alt+Right", 1), ("Alt+Left", -1)):   # a 4D other series' time point
            QShortcut(QKeySequence(key), self, lambda steps=steps: self._step_right(steps))
        top.addStretch(1)
        windows = QHBoxLayout()   # a row of its own: with the planes it passed a laptop's width
        for side, wl in (("Left", self.left_wl), ("Right", self.right_wl)):
            wl.preset_box.setToolTip(f"Window/level preset of the {side.lower()} pane")
            for widget in (QLabel(f"{side}: window"), wl.window_box, QLabel("level"), wl.level_box,
                           wl.preset_box):
                windows.addWidget(widget)
            windows.addSpacing(12)
        windows.addStretch(1)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.registered = QCheckBox("Registered")
        self.registered.setToolTip("Unticked: the series where its file's header places it, "
                                   "not moved by the registration")
        self.registered.setFocusPolicy(Qt.TabFocus)
        self.registered.setChecked(unregistered is not None)
        self.registered.setVisible(unregistered is not None)
        self.registered.toggled.connect(self._show_registered)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(windows)
        layout.addWidget(pair, 1)
        self.pointer = plain_label(POINT_HERE)   # both series' values (and names) under the pointer
        self.pointer.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._pointed = None   # the point read last
        pair.pointed.connect(self._read)
        layout.addWidget(self.pointer)
        layout.addWidget(row(self.status, self.registered, close_buttons(self)))
        self._say_how_laid()
        resize_within_screen(self, 1200, 700)
        pair.setFocus(Qt.OtherFocusReason)

    def _read(self, p_ras=None) -> None:
        """Both series' values at ``p_ras`` in the readout line (None: the pointer left)."""
        self._pointed = p_ras
        self.pointer.setText(POINT_HERE if p_ras is None else self.pair.readout(p_ras))

    def _show_registered(self, on: bool) -> None:
        """The other series registered (``on``) or as its file lies (the readout its value at the
        point read last)."""
        registered, unregistered = self._laid
        self.pair.set_right(registered if on else unregistered)
        self._read(self._pointed)
        self._say_how_laid()

    def _say_how_laid(self) -> None:
        note, warning, as_it_lies = self._notes
        if self.registered.isVisible() and not self.registered.isChecked():
            self.status.setText(as_it_lies)
            self.status.setStyleSheet("")
            return
        self.status.setText(warning or note)
        self.status.setStyleSheet(WARNING_STYLE if warning else "")

    def follow(self, controller, say, editor=None) -> None:
        """Close once the main window (its ``controller``) shows another image, or none: the pair
        was of the image before, possibly another patient's, and would be read beside the new one;
        ``say`` (the status line) tells why it went when another image opened. The panes draw
        its segments, following ``editor``'s edits and previews."""
        self._main, self._say = controller, say
        controller.volume_changed.connect(self._main_image_changed)   # gone with this window
        self.pair.segments = self._segments
        controller.labels_changed.connect(self.pair.segments_edited)
        controller.changed.connect(self._main_changed)
        controller.frame_changed.connect(self._main_frame)
        if editor is not None:
            editor.voxels_changed.connect(self.pair.segments_edited)
            editor.preview_changed.connect(self.pair.segments_edited)
        self._main_changed()

    def _main_changed(self) -> None:
        """The segments' visibility, opacity and outline as the main window shows them, and its
        grey scale inverted or upright (*View > Invert*, I), in both panes."""
        state = self._main.state
        self.pair.state.inverted = state is not None and state.inverted
        self.pair.update()

    def _main_frame(self, frame: int) -> None:
        """The left pane at the time point the main window shows (a 4D image)."""
        self.pair.show_left_frame(frame)
        self._read(self._pointed)

    def _step_right(self, steps: int) -> None:
        """The other series' next / previous time point (its readout with it)."""
        self.pair.step_right_frame(steps)
        self._read(self._pointed)

    def _segments(self):
        """The main window's segments and how it shows them (none once it shows no image)."""
        state = self._main.state
        return (None, None) if state is None else (self._main.display_labels(), state.labels)

    def _main_image_changed(self) -> None:
        if self._main.volume is not self.pair.baseline and self.isVisible():
            self.close()
            if self._main.volume is not None:   # File > Close says "Image closed" itself
                self._say(CLOSED)

    def start_at(self, window: float, level: float, p_ras, frame: int = 0) -> None:
        """The left pane at the main window's window and time point, the crosshair at its
        point; the right pane at that window too where both series are CTs in Hounsfield units
        (a contrast study's arterial and venous phases: it opened at its own, the venous phase at
        400/40 beside the arterial at the lung window the reader had chosen)."""
        self.pair.frames[0] = frame
        self.pair.set_window_level(window, level)
        if shown_unit(self.pair.baseline) == shown_unit(self.pair.right) == "HU":
            self.pair.set_right_window_level(window, level)
        if p_ras is not None:
            self.pair.set_crosshair(p_ras)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.pair.setFocus(Qt.OtherFocusReason)   # the keys to the panes once it is a window

    def closeEvent(self, event) -> None:
        """Closing frees the window and the series it holds."""
        super().closeEvent(event)
        if event.isAccepted():
            for slab in self.pair.slabs:   # a slab being computed: stopped at its next plane
                slab.job.cancel()
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
        from ..app.compare_registration import registration_doubts
        from ..core.errors import GeometryError
        from ..io import registration

        fixed, moving = shown.as_shown().frame(0), other.as_shown().frame(0)
        try:
            result = registration.register(fixed, shown.ijk_to_ras, moving, other.ijk_to_ras,
                                           kind="rigid", progress=progress, cancel=cancel)
        except GeometryError as error:   # shown as they lie, said in red
            return None, None, str(error), []
        # a fixed point p lies at fixed_to_moving @ p in the other series: its voxels moved back
        moved = replace(other, ijk_to_ras=np.linalg.inv(result.fixed_to_moving) @ other.ijk_to_ras)
        intensity_range(moved, every_frame=True)   # remembered by grid: read here, not in the window
        return result, moved, *registration_doubts(fixed, shown.ijk_to_ras, moving,
                                                   other.ijk_to_ras, result.fixed_to_moving)

    said = f"Compare series: registering {name} onto the image on screen"

    def done(outcome) -> None:
        if window.controller.volume is not shown:
            return   # another image opened meanwhile
        # the word said no longer "registering" for the rest of its 15 s (session 52's walk)
        window.notices.restate(said, f"Compare series: {name} shown beside the image")
        result, moved, done_text, doubts = outcome
        which = ("is of another DICOM frame of reference" if frame_of_reference(shown)
                 and frame_of_reference(other) else "names no DICOM frame of reference")
        if result is None:
            _open(window, shown, other, "", warning=f"{name} {which}, and its {done_text}: shown "
                  "where its file's header places it, not registered (its anatomy may not lie "
                  "over the image's)")
            return
        warning = (f"{name}: the registration looks wrong ({'; '.join(doubts)}): check the "
                   "anatomy, or untick Registered to see the series as its file lies"
                   if doubts else "")
        _open(window, shown, moved, f"{name} {which}: registered rigidly onto the image on screen "
              f"({done_text})", other, warning)

    window.notices.status(said)
    return window.runner.start(
        work, on_done=done, on_error=lambda text: window.show_error(f"Compare series: {text}"),
        on_cancel=lambda: window.notices.status("Compare series cancelled: nothing opened."),
        label=f"Registering {name}")


def _open(window, shown, other, note: str, unregistered=None, warning: str = "") -> CompareWindow:
    old = getattr(window, "compare_window", None)
    if old is not None:
        old.close()
    view = CompareWindow(shown, other, note, window, unregistered, warning)
    view.setWindowFlag(Qt.Window)   # its own window, closed with the main one
    state = window.controller.state
    if state is not None:
        view.start_at(state.window, state.level, state.crosshair_ras, state.frame)
    window.compare_window = view
    view.follow(window.controller, window.notices.status, getattr(window, "editor", None))
    view.destroyed.connect(lambda: _forget(window, view))
    view.show()
    return view


def _forget(window, view) -> None:
    if getattr(window, "compare_window", None) is view:
        window.compare_window = None
