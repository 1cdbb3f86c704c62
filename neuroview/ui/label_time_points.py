"""A 4D image's labels and its time points in the window: the view goes back to the time point the
labels were drawn on (``Segment.time_points``) when a restore, a reopen or a label file brings
them."""

from __future__ import annotations

from ..app.frames import label_time_points


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


class LabelTimePoints:
    """Connects :func:`go_to_drawn` to a case's start."""

    def __init__(self, window) -> None:
        self.window = window
        window.editor.case_changed.connect(self._case_changed)

    def _case_changed(self) -> None:
        session = self.window.editor.session
        if session is not None and session.volume is self.window.controller.volume:
            session.frame = self.window.controller.state.frame   # stepped before editing began
        go_to_drawn(self.window)
