"""How a new image reaches the 3D view (a base of :class:`~neuroview.ui.view3d_widget.View3DWidget`):
its volume rendering is made in a worker and taken on the GUI thread; a big image is shown first
as a quick look, from every n-th voxel, then at full resolution as the user left the quick look."""

from __future__ import annotations

from .frame_input import after_frame

FIRST_FRAME_DELAY_MS = 300
"""A new image's first 3D frame is ray cast this long after its volume rendering is ready: the
frame holds the GUI thread about 0.1 s (CPU), and the first scrolls and clicks in the slice views
come first; a window closed sooner (an image opened by mistake, most window tests) casts none."""
QUICK_LOOK_DELAY_MS = 100
"""The quick look's frame waits this long, not :data:`FIRST_FRAME_DELAY_MS`: it is cast in a
tenth of a second (the window's events handled meanwhile, as in any frame), and the full
volume rendering, when ready first, waits for it (it took the quick look's place unseen)."""


class QuickLook:
    """The widget gives it ``controller``, ``scene``, ``rgb``, ``opening_preset``, ``choice``,
    ``camera_wanted``, ``camera``/``_set_camera``, ``schedule``, the first frame's timer and the
    open's state (``_preparing``, ``quick_look``, ``_frame_moved``, ``_sharp``, ``_scene_volume``,
    ``_volume_runner``)."""

    def _prepare(self, volume, opacity: float, quick_dim: int | None) -> None:
        """Make the new image's volume rendering in a worker (``render.prepare3d.prepare_volume``:
        the copy into VTK, percentiles and the CT guess held the GUI thread 0.2-0.6 s after an
        image opened); the scene takes it on the GUI thread. ``quick_dim``: a quick look first, at
        most this many voxels per axis (``ui.view3d_widget.QUICK_LOOK_DIM``)."""
        from ..render.prepare3d import prepare_volume
        from .workers import JobRunner

        shown, preset = self.controller.shown_volume(), self.opening_preset

        def start(dim: int | None, then=None, content=None) -> None:
            self._volume_runner.start(
                lambda progress, cancel: prepare_volume(shown, preset, opacity, content, dim),
                on_done=lambda data: self._prepared(volume, data, then),
                on_error=lambda text: self._prepare_failed(volume, text), label="3D view")

        if self._volume_runner is None:
            self._volume_runner = JobRunner(self)
        self._preparing, self.quick_look, self._frame_moved, self._sharp = volume, False, False, None
        if quick_dim is not None:
            start(quick_dim, then=lambda quick: start(None, content=quick.content))
        else:
            start(None)

    def _prepare_failed(self, volume, text: str) -> None:
        if self._preparing is volume and volume is self.controller.volume:   # not a stale one
            reason = (text.strip().splitlines() or ["unknown error"])[0].removeprefix("3D view: ")
            self.failed.emit(f"3D view: not shown ({reason}); the slice views work as before")
        self._prepared(volume, None)

    @after_frame
    def _prepared(self, volume, data, next_step=None) -> None:
        """The worker's volume rendering, on the GUI thread: shown unless another image (or time
        point) was opened meanwhile; at the user's preset and *Volume rendering* choice, even when
        made while it was prepared (:attr:`choice`). ``next_step``: ``data`` is a quick look, and
        ``next_step(data)`` starts the full one, which replaces it as the user left it
        (:meth:`_sharpen`)."""
        if self._preparing is not volume or self.scene is None:
            return
        if next_step is None:
            self._preparing = None
        if data is None or volume is not self.controller.volume:
            self._preparing, self.quick_look = None, False
            return
        if next_step is not None:
            next_step(data)
        if self.quick_look and self._scene_volume is volume:
            if self.rgb is None:   # its frame first (due, or being drawn): the view was blank
                self._sharp = data   # 1-2 s longer when the full one overtook it
            else:
                self._sharpen(data)
            return
        self.quick_look = next_step is not None
        self.scene.show_volume_data(data, self.opening_preset)
        wanted, self.camera_wanted = self.camera_wanted, None
        if wanted is not None and wanted[0] is volume:   # the camera as this image was left
            self._set_camera(wanted[1])
        if self.choice.volume is not None:   # the user's, this image's or an earlier one's
            self.scene.set_volume_visible(self.choice.volume)
        self.volume_wanted = None
        if self._preset_note:
            self.noted.emit(self._preset_note)
        self._scene_volume = volume
        self._labels_changed()  # labels that arrived before the scene
        self._show_markups()   # none of the image before
        if self.rgb is not None:   # the image before's frame
            self.rgb = None
            self.update()
        # its schedule() draws the frame (FIRST_FRAME_DELAY_MS)
        self._first_frame_timer.start(QUICK_LOOK_DELAY_MS if self.quick_look else FIRST_FRAME_DELAY_MS)

    def _sharpen(self, data) -> None:
        """The full volume rendering in place of the quick look, seen as the user left that: the
        camera, the preset, the *Volume rendering* choice (the opacity and planes are the
        scene's own); a new time point chosen meanwhile (``_frame_changed``) follows."""
        view, choice, preset = self.camera(), self.scene.volume_choice, self.scene.preset
        self.quick_look = False
        self.scene.show_volume_data(data, preset)
        self.scene.set_volume_visible(choice)
        self._set_camera(view)
        self.schedule()
        if self._frame_moved:
            self._frame_changed()
