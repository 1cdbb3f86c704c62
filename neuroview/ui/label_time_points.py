"""A 4D image's labels and its time points in the window: the view goes back to the time point the
labels were drawn on (``Segment.time_points``) when a restore, a reopen or a label file brings
them, and the status line says once, as the user steps to another time point with labels present,
that they are one 3D mask shown on every time point (as Slicer's Sequences keep one segmentation
unless asked for one per item)."""

from __future__ import annotations

import weakref

from ..app.frames import label_time_points, points_text


def _four_d_session(window):
    """The session of the 4D image (time points, not colour channels) on screen, else ``None``."""
    session, volume = window.editor.session, window.controller.volume
    if session is None or volume is None or session.volume is not volume:
        return None
    return session if volume.axis4 == "time" and volume.n_frames > 1 else None


def go_to_drawn(window) -> None:
    """Show the time point the labels were drawn on (the first of several) unless one of them is
    on screen; nothing when none is recorded."""
    session = _four_d_session(window)
    points = label_time_points(session.labels, session.volume) if session is not None else []
    if points and window.controller.state.frame + 1 not in points:
        window.display_panel.frame_box.setValue(points[0])   # the views, the session, the notice


def one_mask_line(session) -> str:
    """The status line's word on a 4D image's labels (``""`` without voxels in them)."""
    if not session.counts.counts():
        return ""
    points = label_time_points(session.labels, session.volume)
    drawn = f": they were drawn on {points_text(points)}" if points else ""
    sent = (f" (Send to training set sends the image of time point {points[0]})" if len(points) == 1
            else " (Send to training set sends the one of them shown)" if points else "")
    return f"The labels are one 3D mask, shown on every time point{drawn}{sent}."


class LabelTimePoints:
    """Connects :func:`go_to_drawn` to a case's start and the one-mask word to the time point box."""

    def __init__(self, window) -> None:
        self.window = window
        self.told = weakref.WeakSet()   # the sessions told (once each)
        window.editor.case_changed.connect(self._case_changed)
        window.controller.frame_changed.connect(self._stepped)

    def _case_changed(self) -> None:
        session = self.window.editor.session
        if session is not None and session.volume is self.window.controller.volume:
            session.frame = self.window.controller.state.frame   # stepped before editing began
        go_to_drawn(self.window)

    def _stepped(self, _frame: int) -> None:
        session = _four_d_session(self.window)
        if session is None or session in self.told:
            return
        line = one_mask_line(session)
        if line:
            self.told.add(session)
            self.window.notices.status(line)
