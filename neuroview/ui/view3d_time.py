"""A 4D image's time points in the 3D view (a base of :class:`~neuroview.ui.view3d_widget.
View3DWidget`): another time point's volume rendering is made in a worker while the scene keeps
showing the one before, and taken on the GUI thread once ready (made on the GUI thread, the one
rebuild after a cine stopped held the window 0.3-0.6 s on a 512x512x64 CT, quiet machine, and
0.9-2.2 s under load: ``bench/cine_stop_stall.py``). One is made at a time: a time point chosen
meanwhile is made next, and the one made for a time point no longer on screen is dropped. While
*Play time points* plays, its slider is dragged or Alt+Right is held (``ui.time_cine``), the
scene keeps its time point and says so (:meth:`hold_frames`)."""

from __future__ import annotations

from .frame_input import after_frame


class TimePoints:
    """The widget gives it ``controller``, ``scene``, ``quick_look``, ``_released``, the volume
    timer and its waits, ``_scene_volume``, ``_scene_frame``, ``_volume_runner``, ``camera`` /
    ``_set_camera``, ``schedule`` and ``update``."""

    _frame_job = None   # the worker making another time point's volume rendering
    _frame_again = False   # another time point was chosen while it ran

    def hold_frames(self, until: str | None) -> None:
        """Keep the time point the scene shows until ``until`` happens ("the cine stops"; None:
        now): a 512x512x64 CT's volume rendering made anew at each step of the cine held the slice
        views about a second a step (``bench/time_cine.py --ct``), where Slicer's and Horos's
        slice views follow a cine at its rate. Released, the scene shows the time point on screen."""
        if until == self.held_until:
            return
        self.held_until = until
        if until is None and self._frame_behind:
            self._frame_behind = False
            if self.controller.state is not None and self.controller.state.frame != self._scene_frame:
                self._frame_changed()
        self.update()

    @property
    def frame_rebuilding(self) -> bool:
        """Another time point's volume rendering is being made (the scene shows the one before)."""
        return self._frame_job is not None

    @property
    def held_line(self) -> str:
        """What the view writes at its bottom right while it shows another time point than the
        slice views: held, or while the one on screen is made."""
        state = self.controller.state
        if state is None or state.frame == self._scene_frame or self._scene_volume is not \
                self.controller.volume:
            return ""
        if self.held_until is not None and self._frame_behind:
            return f"3D: time point {self._scene_frame + 1}, updating when {self.held_until}"
        if self.frame_rebuilding:
            return f"3D: time point {self._scene_frame + 1}, updating"
        return ""

    def _frame_changed(self) -> None:
        """Another time point of a 4D image: the 3D view shows it too (soon, once per burst of
        Alt+Right presses), seen from where the user left the camera; while held
        (:meth:`hold_frames`), once released."""
        self._frame_moved = self.quick_look   # followed once the full one is in (_sharpen)
        if self.held_until is not None:
            self._frame_behind = True
            if self._scene_volume is self.controller.volume:   # a step's 30 ms wait: made on release
                self._volume_timer.stop()
            self.update()   # the line saying which time point the view shows
            return
        if self.scene is not None and self._scene_volume is self.controller.volume \
                and not self._released and not self.quick_look:
            self._volume_waits = self.max_volume_waits
            self._volume_timer.start()

    def _make_frame(self) -> None:
        """The scene's image at the time point on screen: its volume rendering made in a worker
        (``render.prepare3d.prepare_volume``, at the scene's preset and opacity), the scene
        showing the time point before until it is ready; one at a time."""
        from ..render import prepare3d
        from .workers import JobRunner

        if self._frame_job is not None:
            self._frame_again = True   # made once this one is in
            return
        volume, frame = self.controller.volume, self.controller.state.frame
        shown, preset, opacity = self.controller.shown_volume(), self.scene.preset, \
            self.scene.volume_opacity
        if self._volume_runner is None:
            self._volume_runner = JobRunner(self)
        self._frame_job = self._volume_runner.start(
            lambda progress, cancel: prepare3d.prepare_volume(shown, preset, opacity),
            on_done=lambda data: self._frame_made(volume, frame, data),
            on_error=lambda text: self._frame_made(volume, frame, None, text), label="3D view")
        self.update()   # the line saying the view is updating

    @after_frame
    def _frame_made(self, volume, frame: int, data, failure: str = "") -> None:
        """The worker's volume rendering of ``frame``: shown, seen as the user left the scene
        meanwhile (camera, preset, *Volume rendering*), unless the image or the time point on
        screen changed since (then the newest is made, unless held)."""
        self._frame_job = None
        again, self._frame_again = self._frame_again, False
        state = self.controller.state
        if self.scene is None or self._released or volume is not self.controller.volume \
                or self._scene_volume is not volume or self.quick_look or state is None:
            return
        if state.frame != frame:   # stepped again meanwhile: this one is stale
            if self.held_until is None and (again or state.frame != self._scene_frame):
                self._make_frame()
            self.update()
            return
        if data is None:
            reason = (failure.strip().splitlines() or ["unknown error"])[0].removeprefix("3D view: ")
            self.failed.emit(f"3D view: time point {frame + 1} not shown ({reason}); the slice "
                             "views show it")
            self.update()
            return
        view, choice = self.camera(), self.scene.volume_choice
        self._scene_frame = frame
        self.scene.show_volume_data(data, self.scene.preset)
        self.scene.set_volume_visible(choice)
        self._set_camera(view)
        self.schedule()
