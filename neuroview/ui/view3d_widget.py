"""The 3D view: shows the offscreen VTK scene (``render.volume3d.Scene3D``) as an image.

Left-drag rotates, right-drag or wheel zooms, middle-drag pans, double-click maximises, R resets the
camera (the pointer over the view gives it the keys, as over a slice view). While the mouse drags,
frames are ray cast at half resolution; the full frame follows on release. Rendering offscreen and
drawing the result keeps one code path for Xvfb, a real display and Qt's offscreen platform (where
an embedded VTK widget renders black and cannot be grabbed). Frames are rendered at the screen's
resolution (device pixel ratio 2: twice the widget's points each way, :mod:`.hidpi`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from ..app.view3d_choice import preset_for, remember_3d_choice, remembered_3d_choice, unsuited
from . import hidpi
from .frame_input import FrameInput, after_frame
from .measure_draw import markups_3d
from .qt_guard import guard_overrides
from .single_shot import single_shot
from .slice_widget import TITLE_HEIGHT, labels_top
from .view3d_input import View3DInput
from .view3d_quick_look import FIRST_FRAME_DELAY_MS, QuickLook
from .view3d_time import TimePoints

SURFACE_DELAY_MS = 250
VOLUME_DELAY_MS = 30
VOLUME_MAX_WAITS = 50   # the 3D set-up waits for the slice views' first paint this many times
MARKUPS_DELAY_MS = 250
"""Rulers and angles are drawn anew once their changes pause this long: a frame per step of a
dragged ruler's end cost 0.19 CPU s each (a drag of 30 steps 5.4 s instead of 0.07 s)."""
QUICK_LOOK_DIM = 64
"""A big image (over :data:`QUICK_LOOK_VOXELS`) is shown first from every n-th voxel, at most
this many per axis (``prepare_volume``'s ``quick_dim``, drawn with fewer rays: ``volume3d.
QUICK_RAYS``), then at full resolution as the user left it meanwhile: the 3D view stayed blank
2-3.5 s after the demo head opened under load (its set-up in a worker, then its first frame's
gradient pass and cast, 1.1-1.6 s), where 3D Slicer shows a volume at once."""
QUICK_LOOK_VOXELS = 128 ** 3
"""Images up to this many voxels are shown at full resolution at once (their set-up and first
frame take a few tenths of a second: a quick look would only add a frame)."""
PREPARING = "Preparing the 3D view..."
"""Written in the 3D view while a new image's volume rendering is made and its first frame drawn."""


@guard_overrides
class View3DWidget(View3DInput, QuickLook, TimePoints, QWidget):
    max_volume_waits = VOLUME_MAX_WAITS   # another time point's set-up waits for no paint
    rendered = Signal()  # a frame was drawn (the Display panel follows the scene's state)
    escape_unused = Signal()
    """Esc over the 3D view with no slice view on screen to pass it to (the 3D view maximised):
    the window cancels the job its job bar shows, as Esc over a slice view does."""
    failed = Signal(str)  # the volume rendering could not be made: one line for the notice bar
    said = Signal(str)  # a word for the status line (a Shift+click on nothing)
    aside = Signal(str)
    """A word on what the 3D view did by itself (volume rendering off as segment surfaces show):
    for the status line once the word up there has been read."""
    menu_asked = Signal(object)
    """A right click that did not drag (a right drag zooms): the window opens the 3D view's menu
    at this global point (:mod:`.view_context_menu`)."""
    noted = Signal(str)
    """News of the image just opened for the notice bar: the user's CT preset does not suit it."""

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.scene = None
        self.rgb: np.ndarray | None = None
        self._fast = False
        self._button = None
        self._last = None
        self._timer = single_shot(self, 0, self._render)
        # Label surfaces are rebuilt in a worker thread, at most a few times a second while the
        # user edits, so painting never waits for the 3D view.
        self._surface_timer = single_shot(self, SURFACE_DELAY_MS, self._build_surfaces)
        self._markups_timer = single_shot(self, MARKUPS_DELAY_MS, self._show_markups)
        self._surface_runner = None
        self._surfaces = None   # the surfaces of the last label map built (render.label_mesh)
        # A new volume is set up (percentiles, VTK scene) just after the slice views' first
        # paint, so the first image of a big study does not wait for the 3D view.
        self._volume_timer = single_shot(self, VOLUME_DELAY_MS, self._load_volume)
        self._first_frame_timer = single_shot(self, FIRST_FRAME_DELAY_MS, lambda: self.schedule(self._fast))
        self.slices_painted = None
        """Set by the window: a callable telling whether the slice views have shown the new
        volume; the 3D set-up waits for it (a few times, then goes ahead)."""
        self._volume_waits = 0
        self._released = False
        """Set by :meth:`release` (the window closed): no scene is made any more."""
        self._scene_volume = None   # the image the scene shows (a time point of it)
        self._surface_job = None
        self._volume_runner = None
        self._preparing = None   # the image whose volume rendering a worker is making
        self._frame_moved = False   # another time point was chosen during the quick look
        self._scene_frame = 0   # the time point the scene shows
        self.held_until: str | None = None
        """Set by *Play time points* (``ui.time_cine``) while it plays or its slider is dragged,
        what ends it ("the cine stops"): the scene keeps the time point it shows and says so, and
        follows once released (:meth:`hold_frames`)."""
        self._frame_behind = False   # another time point was chosen while held
        self._planes_at = None   # the crosshair, window and level the planes were drawn at
        self._sharp = None   # the full volume rendering, held until the quick look is drawn
        self.quick_look = False
        """The scene shows the image open in a quick look (:data:`QUICK_LOOK_DIM`) while a worker
        makes its full volume rendering (:attr:`_preparing`)."""
        self.opening_preset = "MR default"
        """The 3D preset the image open starts at (``app.view_presets.opening_3d_preset``), known
        as it opens: the Display panel names it before the first frame (it read "MR default",
        the scene's preset before any image, until a CT's first frame was drawn)."""
        from ..render.prepare3d import PRESETS_3D

        self.choice = remembered_3d_choice(PRESETS_3D)
        """The user's *3D preset* and *Volume rendering* choices (``app.view3d_choice``): each
        new image starts with them, this session and the next."""
        self._preset_note = ""   # why the image opening does not start at the preset chosen
        self.volume_wanted: bool | None = None
        """*Volume rendering* ticked or cleared before the scene showed the image on screen: held,
        and applied with the image's volume rendering (:meth:`set_volume_visible`)."""
        self.planes_wanted = False
        self.opacity_wanted = 1.0
        """*Slice planes in 3D* and *Volume opacity* as the Display panel has them: a new scene
        starts with them (:meth:`set_options`; set before any image, they were ignored)."""
        self._surface_wanted = 0
        self.surfaces_wanted = True   # the view menu's *Segment surfaces* (set_surfaces_shown)
        self.camera_wanted = None
        """``(volume, camera)``: the camera (:meth:`camera`) ``volume``'s scene starts with, set by
        the window for an image opened again (``app.view_memory``); None: the front view."""
        self.labels_version = None   # set by the window: the edit session's version, a callable
        self._asked_version = None   # the version the latest surface build was asked for at
        self._surface_shown = 0
        self._surface_failure_told = False   # a failed surface build was told once
        self._after_frame: list = []   # calls held while a frame is drawn (after_frame)
        self._render_again = False   # a frame was asked for while one was drawn
        self._input = FrameInput(lambda: (self, *self.slice_views.values()), self)
        """The user's input while a frame is drawn: the keys handled then, the rest held."""
        self.setMinimumSize(96, 96)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.StrongFocus)
        self.slice_views = {}
        """Set by the window: the slice views by plane, which get the keys R leaves (keyPressEvent)."""
        self._keys_to = "axial"   # the slice view clicked last
        self._shown_top = None   # the label top of the frame on screen (bars_moved)
        self.covered_to = None
        """Set by the window, as a slice view's: the row down to which a notice or error bar covers
        this view (0: none); the rulers' and angles' values are drawn below it."""
        controller.volume_changed.connect(self._volume_changed)
        controller.frame_changed.connect(self._frame_changed)
        controller.labels_changed.connect(self._labels_changed)
        controller.changed.connect(self._crosshair_changed)
        controller.measurements_changed.connect(self._measurements_changed)

    # -- scene ----------------------------------------------------------------------------------
    def _ensure_scene(self):
        if self.scene is None:
            from ..render.volume3d import Scene3D

            self.scene = Scene3D(max(self.width(), 64), max(self.height(), 64))
            self.scene.during_frame = self._handle_events
            self.scene.set_volume_opacity(self.opacity_wanted)
            self.scene.set_planes_visible(self.planes_wanted)
        return self.scene

    @after_frame
    def set_options(self, planes: bool, opacity: float) -> None:
        """The Display panel's *Slice planes in 3D* and *Volume opacity* (0-1): applied to the
        scene, and held for the scene of the first image when none is made yet (the first scene
        was built with no planes and full opacity, as 3D Slicer keeps its view settings)."""
        self.planes_wanted, self.opacity_wanted = bool(planes), float(opacity)
        if self.scene is not None:
            self.scene.volume_opacity = self.opacity_wanted
            self.scene.set_planes_visible(self.planes_wanted)

    def choose_preset(self, name: str) -> None:
        """The user chose the *3D preset* ``name``: shown, and the preset of the images opened
        after this one (this session and the next; a CT preset only for CT images)."""
        self.choice.preset = name
        remember_3d_choice(self.choice)
        self.opening_preset, self._preset_note = name, ""   # this image too, whatever it is
        self.set_preset(name)
        if unsuited(self.controller.volume, name):
            self.said.emit(f"3D preset {name} reads CT values (HU), and this image is not a CT: "
                           "it may show nothing or noise. MR default suits it")

    @after_frame
    def set_preset(self, name: str) -> None:
        """The Display panel's *3D preset* (its scene changed under the ray caster when chosen
        while a frame was drawn: a nested dialog's event loop takes the user's input then)."""
        if self.scene is not None and (self._preparing is None or self.quick_look):
            self.scene.set_preset(name)
            self.schedule()

    def _volume_changed(self) -> None:
        self._frame_behind = False
        if self.controller.volume is not None:
            self.opening_preset, self._preset_note = preset_for(self.controller.volume,
                                                                self.choice.preset)
        if self.controller.volume is not None and not self._released:
            self._volume_waits = 0
            self._volume_timer.start()
        elif self.controller.volume is None:   # File > Close: _render drops the closed image's frame
            self._volume_timer.stop()
            self.schedule()

    @after_frame
    def _load_volume(self) -> None:
        volume = self.controller.volume
        if volume is None or self._released:
            return
        if self.slices_painted is not None and not self.slices_painted() and \
                self._volume_waits < VOLUME_MAX_WAITS:
            self._volume_waits += 1  # a busy machine: the slice views' first paint comes first
            self._volume_timer.start()
            return
        scene = self._ensure_scene()
        if self._scene_volume is volume:   # the same image at another time point
            self._make_frame()
        else:
            big = int(np.prod(volume.shape[:3])) > QUICK_LOOK_VOXELS
            self._scene_frame = self.controller.state.frame
            self._prepare(volume, scene.volume_opacity, QUICK_LOOK_DIM if big else None)

    def camera(self) -> tuple | None:
        """The 3D camera: ``(position, focal point, view up, parallel scale, view angle)``;
        None while no scene is made."""
        if self.scene is None:
            return None
        camera = self.scene.renderer.GetActiveCamera()
        return (camera.GetPosition(), camera.GetFocalPoint(), camera.GetViewUp(),
                camera.GetParallelScale(), camera.GetViewAngle())

    def _set_camera(self, view) -> None:
        camera = self.scene.renderer.GetActiveCamera()
        camera.SetPosition(*view[0])
        camera.SetFocalPoint(*view[1])
        camera.SetViewUp(*view[2])
        camera.SetParallelScale(view[3])
        camera.SetViewAngle(view[4])
        self.scene.renderer.ResetCameraClippingRange()

    @property
    def shows_open_image(self) -> bool:
        """The scene shows the image open (not still the one before, or none)."""
        return self.scene is not None and self._scene_volume is self.controller.volume

    @after_frame
    def set_volume_visible(self, visible: bool) -> None:
        """The user's *Volume rendering* choice: applied now when the scene shows the image on
        screen, else held until it does (it was dropped, and the box ticked back, when made
        while the 3D view was being set up, as 3D Slicer keeps a volume's rendering choice); the
        images opened after this one start with it (:attr:`choice`)."""
        self.choice.volume = bool(visible)
        remember_3d_choice(self.choice)
        if self.scene is None or (self._preparing is not None and not self.quick_look) or \
                self._scene_volume is not self.controller.volume:
            self.volume_wanted = bool(visible)
            return
        self.scene.set_volume_visible(visible)
        self.schedule()

    def _labels_changed(self) -> None:
        """The label map or its segments changed: rebuild the surfaces soon, off the GUI thread;
        while the layout hides the 3D view, once it is shown again (every stroke rebuilt the
        surfaces of the whole label map for a view nobody saw)."""
        if self.scene is None and not self._volume_timer.isActive() and self._preparing is None:
            return
        self._surface_wanted += 1
        self._asked_version = None if self.labels_version is None else self.labels_version()
        if not self.isHidden():
            self._surface_timer.start()

    def labels_edited(self) -> None:
        """The editor's debounced *labels edited*: surfaces rebuilt unless asked for at this
        version already (a model result or its undo drew a second frame 0.3 s later, 0.1 s)."""
        if self.labels_version is None or self.labels_version() != self._asked_version:
            self._labels_changed()

    @property
    def surfaces_pending(self) -> bool:
        """True until the surfaces of the latest label change are on screen (built off-thread,
        then drawn: :attr:`frame_pending`) and while a new image's first frame is due; False
        while the layout hides the 3D view (they are built when it is shown)."""
        return (self._surface_shown != self._surface_wanted and not self.isHidden()
                or self._surface_timer.isActive() or self._volume_timer.isActive()
                or self._preparing is not None or self._first_frame_timer.isActive()
                or self.frame_rebuilding
                or self.frame_pending)

    @property
    def frame_pending(self) -> bool:
        """A frame asked for is not on screen yet: due at the event loop's next turn, or asked
        for while one was drawn. (Surfaces built during a frame were shown after it, their frame
        still due, while ``surfaces_pending`` said done: a test then grabbed the frame without
        them, 1 run in 3 under load.)"""
        return self.isVisible() and (self._timer.isActive() or self._render_again
                                     or (self.scene is not None and self.scene.rendering))

    def _build_surfaces(self) -> None:
        from ..render import prepare3d
        from ..render.label_mesh import LabelSurfaces
        from .workers import JobRunner

        if self.scene is None:
            return
        if self._surface_job is not None and not self._surface_job.finished:
            self._surface_timer.start()  # one build at a time; the newest state follows
            return
        state = self.controller.state
        labels = self.controller.labels
        generation = self._surface_wanted
        if labels is None or not self.surfaces_wanted or (state is not None
                                                         and not state.labels.visible):
            self._surfaces_built(generation, None)
            return
        hidden = set(state.labels.hidden) if state else set()
        segments = [dataclasses.replace(s) for s in labels.segments]
        # Copy on the GUI thread (strokes write into the live array); subsampled first. The
        # worker rebuilds the segments changed since the last build, around the change only
        array, affine = prepare3d.subsample(labels.array, labels.ijk_to_ras)
        array = array.copy()
        if self._surface_runner is None:
            self._surface_runner = JobRunner(self)
            self._surfaces = LabelSurfaces()
        surfaces = self._surfaces
        self._surface_job = self._surface_runner.start(
            lambda progress, cancel: prepare3d.build_label_surface(array, affine, segments, hidden,
                                                                   surfaces),
            on_done=lambda surface: self._surfaces_built(generation, surface),
            on_error=lambda text: self._surfaces_failed(generation, text), label="3D surfaces")

    def _surfaces_failed(self, generation: int, text: str) -> None:
        """A failed surface build says so once (each stroke rebuilds, and would say it again);
        the next build that works shows the surfaces and lets a later failure speak."""
        if self.scene is not None and not self._surface_failure_told:
            self._surface_failure_told = True
            reason = (text.strip().splitlines() or ["unknown error"])[0].removeprefix("3D surfaces: ")
            self.failed.emit(f"3D view: label surfaces not shown ({reason}); the labels are "
                             "unchanged and the slice views show them")
        self._surfaces_built(generation, None)

    @after_frame
    def _surfaces_built(self, generation: int, surface) -> None:
        if self.scene is None:
            return
        if surface is not None:
            self._surface_failure_told = False
        changed = surface is not None or self.scene.surfaces is not None
        self.scene.show_label_surface(surface)
        self._surface_shown = generation
        # none before or after (a new image): the frame is right; a newer build draws its own
        if changed and generation == self._surface_wanted:
            self.schedule()

    def _measurements_changed(self, _plane: str = "") -> None:
        """A ruler, angle or ellipse was drawn, moved or deleted (in any slice view), or an
        ellipse's figures changed with the time point: the scene shows them
        all (as Slicer's 3D view shows markups) once the changes pause (:data:`MARKUPS_DELAY_MS`:
        a dragged end is drawn in 3D where the drag stops); a selection changes nothing."""
        if self.scene is not None and tuple(markups_3d(self.controller)) != self.scene.markups.shown:
            self._markups_timer.start()

    @after_frame
    def _show_markups(self) -> None:
        markups = tuple(markups_3d(self.controller))
        if self.scene is not None and markups != self.scene.markups.shown:
            self.scene.show_markups(markups)
            self.schedule()

    def _label_top(self) -> int:
        """The frame's top rows (frame pixels) the markups' values stay below (``labels_top``)."""
        return round(labels_top(self.covered_to) * self.devicePixelRatioF())

    @after_frame
    def bars_moved(self) -> None:
        """A notice or error bar came, went or changed height: a new frame when it moves a ruler's
        or angle's value (they stayed under a bar that came, or below one gone, until the next
        frame for another reason)."""
        if self.scene is None or self.rgb is None or not self.scene.markups.shown:
            return
        top = self._label_top()
        # after a PNG export's frame (another size, no bar) the scene cannot tell: drawn anew
        if self._shown_top is None or self.scene.markups.moved_by(top):
            self.schedule()

    def _crosshair_changed(self) -> None:
        if self.scene is not None and self.scene.show_planes and not (
                self.held_until is not None and self._planes_key() == self._planes_at):
            self.schedule()   # held: not a frame per time point when the planes stay

    def _planes_key(self) -> tuple | None:
        state = self.controller.state
        return None if state is None else (tuple(state.crosshair_ras), state.window, state.level)

    def schedule(self, fast: bool = False) -> None:
        """Render once control returns to the event loop (several changes make one frame); a new
        image's first frame once :data:`FIRST_FRAME_DELAY_MS` have passed."""
        self._fast = fast
        if self.isVisible() and not self._first_frame_timer.isActive():
            self._timer.start()

    def _render(self) -> None:
        if self.scene is None or not self.isVisible():
            return
        if self.scene.rendering:   # met in _handle_events: once this frame is drawn
            self._render_again = True
            return
        if self._scene_volume is not self.controller.volume:
            # another image is opening (or none is open): drawing the one it replaces held the
            # GUI thread for a whole frame, once per label or crosshair change meanwhile
            if self.rgb is not None:
                self.rgb = None
                self.update()
            return
        state = self.controller.state
        if state is not None and self.scene.planes_drawn:
            self.scene.update_planes(state.crosshair_ras, state.window, state.level)
            self._planes_at = self._planes_key()
        self._shown_top = self._label_top()
        self.rgb = self._draw(*hidpi.device_size(self), fast=self._fast,
                              scale=self.devicePixelRatioF(), label_top=self._shown_top)
        self.update()
        self.rendered.emit()
        if self._sharp is not None:   # held until the quick look was drawn
            data, self._sharp = self._sharp, None
            self._sharpen(data)

    def _draw(self, width: int, height: int, **options) -> np.ndarray:
        """A frame of the scene; then what was held while it was drawn (:func:`after_frame`), and
        the user's input held (:mod:`.frame_input`)."""
        try:
            return self.scene.render(width, height, **options)
        finally:
            held, self._after_frame = self._after_frame, []
            for call in held:
                call()
            self._input.send_held()
            if self._render_again:
                self._render_again = False
                self.schedule(self._fast)

    def _handle_events(self) -> None:
        """Called by the scene every 50 ms or so while it draws a frame: the window's paints,
        timers and workers' results are handled (what reaches the 3D view waits for the frame:
        :func:`after_frame`), and the keys that cannot change the scene; clicks and the other
        keys wait for the frame (:mod:`.frame_input`). A new image's first frame held the window
        1.2-2.3 s on a 512x512x600 CT under load (the ray caster's gradient pass, then the cast;
        ``bench/open_hold.py --ct``)."""
        if self.rgb is None:
            self.update()   # PREPARING
        self._input.handle_events()

    def render_image(self, width: int, height: int, scale: float = 1.0) -> np.ndarray | None:
        """A full-quality frame at another size (for PNG export); ``scale``: pixels per point."""
        if self.scene is None or self.scene.rendering:
            return None
        self._shown_top = None   # the markups placed for the file, not the screen (bars_moved)
        return self._draw(width, height, scale=scale)

    # -- Qt events ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        rgb = self.rgb
        width, height = hidpi.device_size(self)
        if rgb is None or rgb.shape[:2] != (height, width):
            painter.fillRect(self.rect(), QColor(20, 20, 30))
            if self.scene is not None and not self.scene.rendering:   # else that frame comes
                self.schedule(self._fast)
        if rgb is not None:
            painter.drawImage(0, 0, hidpi.picture(rgb, self.devicePixelRatioF()))
        painter.setPen(QColor(200, 200, 200))
        if rgb is None and self.controller.volume is not None and not self._released and (
                self._preparing is not None or (self.scene is not None and self.scene.rendering)):
            painter.drawText(self.rect(), Qt.AlignCenter, PREPARING)
        painter.setFont(QFont("Sans", 8))
        if self.held_line and rgb is not None:
            painter.drawText(self.rect().adjusted(0, 0, -8, -6), Qt.AlignRight | Qt.AlignBottom,
                             self.held_line)   # the orientation marker is at the bottom left
        painter.fillRect(0, 0, 6, TITLE_HEIGHT, QColor(120, 120, 220))
        painter.drawText(10, 12, "3D")

    def showEvent(self, event) -> None:
        if self._surface_shown != self._surface_wanted and not self._surface_timer.isActive() \
                and (self._surface_job is None or self._surface_job.finished):
            self._build_surfaces()   # labels changed while the layout hid the view
        self.schedule()

    def release(self) -> None:
        """Free the VTK scene (the window is closing), for good: a timer, a late signal (an open
        ended after the close) or a worker's volume made a new scene after this, an X connection
        that outlived Xvfb and ended a test run with an X error (``test_view3d_release.py``)."""
        self._released = True
        self._timer.stop()
        self._surface_timer.stop()
        self._markups_timer.stop()
        self._volume_timer.stop()
        self._first_frame_timer.stop()
        for runner in (self._surface_runner, self._volume_runner):
            if runner is not None:
                runner.wait(10000)
        self._surfaces = self._sharp = None
        if self.scene is not None:
            self.scene.close()
            self.scene = None

    @after_frame
    def turn_camera(self, azimuth: float, elevation: float) -> None:
        """Turn the camera by degrees (the arrow keys over the view)."""
        if self.scene is not None:
            self.scene.turn(azimuth, elevation)
            self.schedule()

    @after_frame
    def reset_camera(self, side: str | None = None) -> None:
        """R (the front view), or the view menu's *Look from* ``side`` (``Scene3D.SIDES``)."""
        if self.scene is not None:
            self.scene.reset_camera(side)
            self.schedule()

    def set_surfaces_shown(self, shown: bool) -> None:
        """The view menu's *Segment surfaces*: off, the 3D view shows none (the slice views still
        show the labels), and volume rendering left automatic comes back."""
        self.surfaces_wanted = bool(shown)
        self._labels_changed()
