"""The 3D view: volume rendering with presets, smoothed label surfaces, optional slice planes.

Rendered in an offscreen VTK window and read back as a numpy image, which the GUI shows and
``neuroview snapshot`` writes: one path on an X display (Xvfb or real), on EGL without a display,
and never the black frames of a VTK widget under Qt's offscreen platform. What it shows is made
by :mod:`.prepare3d` (in a worker thread, for the window). The scene works in RAS mm: each actor
carries its grid's ``ijk_to_ras`` as user matrix.

Volume rendering would hide everything inside it, so (as a user of Slicer ends up doing by hand)
it is on by default only while nothing else is shown: once label surfaces with depth or slice
planes are shown it turns off, unless the user switched it on or off explicitly; an opacity
scale (0-1) makes it translucent. Slice planes show the slice image (the window/level of the 2D views), with
the air around the head transparent instead of black squares. A labelled cube (R/L, A/P, S/I) in
the lower-left corner turns with the camera, as every 3D viewer's orientation marker.
"""

from __future__ import annotations

import time
import weakref

import numpy as np

from ..core import geometry
from ..core.interrupts import interrupts_held
from .flat import face_on, flat_axis
from .markups3d import MarkupLayer
from .observers import observe, raise_held
from .orientation_marker import build_orientation_marker, sync_orientation_marker
from .prepare3d import (
    PRESETS_3D,
    LabelSurface,
    VolumeData,
    actor_matrix,
    build_label_surface,
    prepare_volume,
    preset_functions,
    sample_distance,
    vtk_matrix,
)
from .render_windows import (
    give_back_render_window,
    offscreen_render_window,  # noqa: F401 - bench/render.py imports it here
    take_render_window,
)
from .slice_planes import plane_actor, set_plane_window

_OPEN_SCENES: "weakref.WeakSet[Scene3D]" = weakref.WeakSet()
PUMP_S = 0.05
"""How often, at most, :attr:`Scene3D.during_frame` is called while a frame is drawn (seconds)."""


SPHERE_FILL = 0.95
"""R (reset) frames the sphere round the image's content (:mod:`.framing`) at this fraction of the
view's shorter side: the head stays in view whichever way it is turned, with a margin of 2.5 %
each side (zoomed 1.3 times past the grid's sphere until session 38, a cropped image's corners
left the view when turned; the grid's sphere until session 43, a 1 mm head filled 40 % of it)."""

FLAT_VOXELS = 1.5
"""Segment surfaces thinner than this many voxels along a voxel axis (one stroke of the 2D brush,
one slice thick: 1.15 voxels once smoothed) leave the volume rendering on: seen edge-on from the
front view they drew a line one pixel high, and the 3D view looked empty after a first stroke.
So do strokes on single slices a few apart (``prepare3d.on_single_slices``: drawn for *Fill
between slices*), which drew a few such lines."""

SIDES = {"Anterior": ((0, 1, 0), (0, 0, 1)), "Posterior": ((0, -1, 0), (0, 0, 1)),
         "Left": ((-1, 0, 0), (0, 0, 1)), "Right": ((1, 0, 0), (0, 0, 1)),
         "Superior": ((0, 0, 1), (0, 1, 0)), "Inferior": ((0, 0, -1), (0, 1, 0))}
"""Slicer's standard 3D views: the camera's side of the patient (RAS) and the view's up (superior;
anterior from above or below)."""

QUICK_RAYS = 4.0
"""A quick look (:attr:`.prepare3d.VolumeData.quick`) is cast one ray per this many pixels each
way, and steps of 2 mm: its voxels are 4 mm or more, and its fast frame (one ray per 2 pixels)
took 175 ms under load against 69 ms (the demo head, a 950x520 view; alike to the eye)."""

VIEW_ANGLES = (0.5, 60.0)
"""The camera's view angle (degrees) zooming keeps within: from about 60 times the reset
camera's magnification (31.5 degrees) to half of it, wide enough to see the head whole with
room round it and narrow enough to keep the perspective undistorted."""


def open_scenes() -> list["Scene3D"]:
    """The scenes still holding a render window (made, not closed, still referenced). Each holds
    an X connection on a display: one left when the X server goes away (Xvfb at the end of a test
    run) is freed at exit with an X connection error, ``XIO: fatal IO error``, and exit status 1.
    The window tests check after each test that none is left."""
    return list(_OPEN_SCENES)


def _headlight():
    """The light at the camera that the renderer would make itself, with a white ambient colour:
    the CPU ray caster multiplies a volume's ambient term by the light's ambient colour (black
    by default, so the ambient term was lost and a surface facing away from the light went black);
    surfaces drawn by OpenGL take the ambient term from their own property either way."""
    from vtkmodules.vtkRenderingCore import vtkLight

    light = vtkLight()
    light.SetLightTypeToHeadlight()
    light.SetAmbientColor(1.0, 1.0, 1.0)
    return light


class Scene3D:
    """Volume + label surfaces + slice planes, rendered offscreen to numpy images."""

    def __init__(self, width: int = 400, height: int = 400) -> None:
        from vtkmodules.vtkRenderingCore import vtkRenderer

        self.window = take_render_window(width, height)   # a closed scene's, else a new one
        self.renderer = vtkRenderer()
        self.renderer.SetBackground(0.08, 0.08, 0.12)
        self.renderer.AddLight(_headlight())
        self.window.AddRenderer(self.renderer)
        self.volume_prop = None
        self.surfaces = None
        self.surfaces_flat = False
        """The surfaces shown are thinner than :data:`FLAT_VOXELS`, or strokes on single slices
        (the volume rendering stays)."""
        self.planes: list = []
        self.preset = PRESETS_3D[0]
        self._range, self._ramp = (0.0, 1.0), (0.0, 0.0, 0.0, 1.0)
        self._air = 0.0
        self._inverted, self._turned_over = False, None
        self._image = None
        self._affine = np.eye(4)
        self._content = None   # the sphere the camera frames (VolumeData.content)
        self._quick = False   # the volume is a quick look (VolumeData.quick)
        self.volume_choice: bool | None = None
        """The user's explicit volume rendering on/off; ``None``: automatic (see the module doc)."""
        self.volume_opacity = 1.0
        self.show_planes = False
        self.flat_axis: int | None = None
        """The voxel axis of a single-slice image, whose slice is drawn as a plane (``render.flat``)."""
        self.markups = MarkupLayer(self.window, layer=1)
        """The rulers and angles, drawn over the scene (:mod:`.markups3d`)."""
        self.marker = build_orientation_marker(self.window)
        self.during_frame = None
        """A callable, called with no argument every :data:`PUMP_S` or so while a frame is being
        drawn (the ray caster's gradient pass and its ray cast report their progress): the window
        handles its events there, so that a new image's first frame (1.2-2.3 s for a 512x512x600
        CT under load) does not freeze it. It must not touch this scene (:attr:`rendering`)."""
        self.rendering = False
        """A frame is being drawn: nothing may change the scene (or draw another frame) now."""
        self._close_after_frame = False
        self._pumped = 0.0
        _OPEN_SCENES.add(self)

    # -- content ------------------------------------------------------------------------------
    def set_volume(self, volume, preset: str) -> None:
        """Show ``volume`` at ``preset``: the caller's choice (``app.view_presets.opening_3d_preset``
        for the window and ``neuroview snapshot``). The scene chose "CT bone" for any CT itself
        when given none, a second rule beside the window's head-or-body one."""
        self.show_volume_data(prepare_volume(volume, preset, self.volume_opacity), preset)

    def show_volume_data(self, data: "VolumeData", preset: str) -> None:
        """Show a volume made by :func:`prepare_volume` (in a worker thread, for the window):
        only adding it to the scene is left for this thread, with the slice planes and camera."""
        if self.volume_prop is not None:
            self.renderer.RemoveVolume(self.volume_prop)
        self._image, self._affine, self._range = data.image, data.affine, data.range
        self._ramp = data.ramp
        self._content, self._quick = data.content, data.quick
        self._inverted, self._turned_over = data.inverted, data.turned_over
        self._air = data.range[0] if data.air is None else data.air
        self.volume_prop = data.prop
        self._report_progress(data.prop.GetMapper())
        self.volume_choice = None
        self.flat_axis = flat_axis(data.image.GetDimensions())
        self.renderer.AddVolume(self.volume_prop)
        self._update_volume_visibility()
        self.set_preset(preset)   # as prepared, unless the opacity changed meanwhile
        self._build_planes()
        self.reset_camera()

    def _report_progress(self, mapper) -> None:
        """Call :attr:`during_frame` from ``mapper``'s progress events (in the thread that draws
        the frame, which holds the GIL again for it), at most once per :data:`PUMP_S`."""
        from vtkmodules.vtkCommonCore import vtkCommand

        def progressed(_caller, _event) -> None:
            now = time.perf_counter()
            if self.rendering and self.during_frame is not None and now - self._pumped >= PUMP_S:
                self._pumped = now
                self.during_frame()

        for event in (vtkCommand.VolumeMapperComputeGradientsProgressEvent,
                      vtkCommand.VolumeMapperComputeGradientsEndEvent,
                      vtkCommand.VolumeMapperRenderProgressEvent):
            observe(mapper, event, progressed)

    def set_preset(self, name: str) -> None:
        if name not in PRESETS_3D:
            raise ValueError(f"unknown 3D preset {name!r}; choose one of {PRESETS_3D}")
        self.preset = name
        if self.volume_prop is not None:
            color, opacity = preset_functions(name, self._ramp, self.volume_opacity)
            prop = self.volume_prop.GetProperty()
            prop.SetColor(color)
            prop.SetScalarOpacity(opacity)

    def set_volume_opacity(self, scale: float) -> None:
        """Scale the preset's opacity curve by ``scale`` (0: invisible, 1: the preset as is)."""
        self.volume_opacity = float(np.clip(scale, 0.0, 1.0))
        self.set_preset(self.preset)

    @property
    def show_volume(self) -> bool:
        """Whether volume rendering is drawn: the user's choice, else only when nothing else is."""
        if self.volume_choice is not None:
            return self.volume_choice
        return not self.surfaces_deep and not self.show_planes and self.flat_axis is None

    @property
    def surfaces_deep(self) -> bool:
        """Segment surfaces are shown, and are more than a flat stroke (:data:`FLAT_VOXELS`)."""
        return self.surfaces is not None and not self.surfaces_flat

    @property
    def volume_yields_to(self) -> str:
        """What the volume rendering steps aside for, left automatic: "segment surfaces" or
        "slice planes" ("" when it shows, or is off by the user's choice or a single slice)."""
        if self.volume_choice is not None or self.show_volume:
            return ""
        if self.surfaces_deep:
            return "segment surfaces"
        return "slice planes" if self.show_planes else ""

    def set_volume_visible(self, visible: bool | None) -> None:
        """The user's choice (``None``: back to automatic)."""
        self.volume_choice = None if visible is None else bool(visible)
        self._update_volume_visibility()

    def _update_volume_visibility(self) -> None:
        if self.volume_prop is not None:
            self.volume_prop.SetVisibility(self.show_volume)

    def set_labels(self, labels, hidden=()) -> None:
        """Smoothed surfaces of every visible segment, coloured by segment; ``None`` clears."""
        self.show_label_surface(None if labels is None else build_label_surface(
            labels.array, labels.ijk_to_ras, list(labels.segments), hidden))

    def show_label_surface(self, surface: "LabelSurface | None") -> None:
        """Show surfaces made by :func:`build_label_surface` (possibly in a worker thread)."""
        from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper

        if self.surfaces is not None:
            self.renderer.RemoveActor(self.surfaces)
            self.surfaces = None
        if surface is None:
            self._update_volume_visibility()
            return
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(surface.polydata)
        mapper.SetLookupTable(surface.table)
        mapper.SetScalarRange(0, surface.top)
        mapper.SetScalarModeToUsePointData()
        mapper.SetColorModeToMapScalars()  # uint8 labels would otherwise be taken as colours
        self.surfaces = vtkActor()
        self.surfaces.SetMapper(mapper)
        self.surfaces.SetUserMatrix(vtk_matrix(surface.affine))
        self.renderer.AddActor(self.surfaces)
        bounds = np.array(surface.polydata.GetBounds(), float)   # voxels of the label grid
        # (none: a segment filling the grid, which yields as before)
        self.surfaces_flat = surface.polydata.GetNumberOfPoints() > 0 and \
            (bool(np.min(bounds[1::2] - bounds[::2]) < FLAT_VOXELS) or surface.sketched)
        self._update_volume_visibility()

    def show_markups(self, markups) -> None:
        """Draw ``markups`` (rulers and angles, :class:`.markups3d.Markup`) over the scene."""
        self.markups.show(markups)

    def _build_planes(self) -> None:
        """Three orthogonal voxel planes (image slices) that follow the crosshair when shown."""
        for actor in self.planes:
            self.renderer.RemoveViewProp(actor)
        self.planes = []
        for axis in range(3):
            actor = plane_actor(self._image, axis, vtk_matrix(actor_matrix(self._affine)))
            actor.SetVisibility(self.plane_shown(axis))
            self.renderer.AddViewProp(actor)
            self.planes.append(actor)

    def update_planes(self, crosshair_ras, window: float, level: float) -> None:
        if not self.planes:
            return
        # the slices the 2D views draw (a crosshair halfway between two: the +RAS one)
        ijk = geometry.nearest_ijk(np.linalg.inv(self._affine), crosshair_ras)
        dims = self._image.GetDimensions()
        if self._turned_over is not None:  # the image turned over: its level too
            level = self._turned_over - level
        for axis, actor in enumerate(self.planes):
            set_plane_window(actor, window, level, self._air, self._inverted)
            actor.GetMapper().SetSliceNumber(int(np.clip(ijk[axis], 0, dims[axis] - 1)))
            actor.SetVisibility(self.plane_shown(axis))

    def set_planes_visible(self, visible: bool) -> None:
        self.show_planes = bool(visible)
        for axis, actor in enumerate(self.planes):
            actor.SetVisibility(self.plane_shown(axis))
        self._update_volume_visibility()

    def plane_shown(self, axis: int) -> bool:
        """The slice plane across voxel ``axis`` is drawn: all three when asked for, and a
        single-slice image's own slice always (nothing else of it can be drawn)."""
        return self.show_planes or axis == self.flat_axis

    @property
    def planes_drawn(self) -> bool:
        return self.show_planes or self.flat_axis is not None

    # -- camera -------------------------------------------------------------------------------
    def reset_camera(self, side: str | None = None) -> None:
        """Look at the patient from the front (anterior), superior up, as Slicer's 3D view; or
        from ``side`` (a key of :data:`SIDES`), the image framed as at a reset."""
        camera = self.renderer.GetActiveCamera()
        towards, up = SIDES[side or "Anterior"]
        camera.SetFocalPoint(0, 0, 0)
        camera.SetPosition(*towards)
        camera.SetViewUp(*up)
        if side is None and self.flat_axis is not None:   # a single slice: face on
            towards, up = face_on(self._affine, self.flat_axis)
            camera.SetPosition(*towards)
            camera.SetViewUp(*up)
        # framed on the image, whatever is visible: at a new image's set_volume the old image's
        # label surfaces were the only visible props (volume rendering yields to them).
        # ResetCamera fits the bounds' sphere in the view; zoomed 1.3 times past it, a tightly
        # cropped image filled the view edge to edge and its corners left it when turned
        bounds = self.volume_prop.GetBounds() if self.volume_prop is not None else None
        if bounds is not None and self._content is not None and self.flat_axis is None:
            # a cube whose sphere is the content's (a single slice is framed whole, as a picture)
            centre, radius = self._content
            half = radius / np.sqrt(3.0)
            self.renderer.ResetCamera(*(float(c + side) for c in centre for side in (-half, half)))
        elif bounds is not None:
            self.renderer.ResetCamera(bounds)
        else:
            self.renderer.ResetCamera()
        camera.Zoom(SPHERE_FILL)
        if bounds is not None:
            self.renderer.ResetCameraClippingRange(bounds)
        else:
            self.renderer.ResetCameraClippingRange()

    def rotate(self, dx: float, dy: float) -> None:
        """A left-drag of ``dx``, ``dy`` pixels: the scene turns with the pointer, 0.4 degree a pixel."""
        self.turn(-0.4 * dx, 0.4 * dy)

    def turn(self, azimuth: float, elevation: float) -> None:
        """Turn the camera about the focal point by ``azimuth`` degrees (about the view's up)
        and ``elevation`` degrees (about its horizontal), as VTK's camera does."""
        camera = self.renderer.GetActiveCamera()
        camera.Azimuth(azimuth)
        camera.Elevation(elevation)
        camera.OrthogonalizeViewUp()
        self.renderer.ResetCameraClippingRange()

    def zoom(self, factor: float) -> None:
        """Magnify by ``factor`` (the wheel, a right-drag), narrowing or widening the camera's view
        angle within :data:`VIEW_ANGLES`: zoomed out without a bound, the angle reached VTK's
        179 degrees, the head shrank to a dot in a fish-eye, and the rulers' values gathered
        in a pile (20 wheel notches out: 155 degrees)."""
        camera = self.renderer.GetActiveCamera()
        low, high = VIEW_ANGLES
        camera.SetViewAngle(float(np.clip(camera.GetViewAngle() / float(factor), low, high)))
        self.renderer.ResetCameraClippingRange()

    def pan(self, dx: float, dy: float) -> None:
        camera = self.renderer.GetActiveCamera()
        focal, position = np.array(camera.GetFocalPoint()), np.array(camera.GetPosition())
        up = np.array(camera.GetViewUp())
        forward = focal - position
        distance = np.linalg.norm(forward)
        right = np.cross(forward / distance, up)
        height = self.window.GetSize()[1] or 1
        scale = 2 * distance * np.tan(np.radians(camera.GetViewAngle() / 2)) / height
        shift = (-dx * right + dy * up) * scale
        camera.SetFocalPoint(*(focal + shift))
        camera.SetPosition(*(position + shift))

    def pick(self, x: float, y: float) -> np.ndarray | None:
        """The RAS point (mm) of the first thing drawn at frame pixel ``(x, y)`` (top-left
        origin, in the last frame's pixels): a segment surface, a slice plane or the volume where
        its opacity shows; ``None`` over the background."""
        from vtkmodules.vtkRenderingCore import vtkCellPicker

        picker = vtkCellPicker()
        picker.SetTolerance(0.0005)
        height = self.window.GetSize()[1]
        if not picker.Pick(float(x), float(height - 1 - y), 0.0, self.renderer):
            return None
        return np.array(picker.GetPickPosition(), float)

    def view_direction(self) -> np.ndarray:
        """The unit vector the camera looks along (RAS), into the scene."""
        return np.array(self.renderer.GetActiveCamera().GetDirectionOfProjection(), float)

    # -- output -------------------------------------------------------------------------------
    def render(self, width: int, height: int, fast: bool = False, scale: float = 1.0,
               label_top: int = 0) -> np.ndarray:
        """Render to an ``(height, width, 3)`` uint8 image; ``fast`` halves the ray-cast resolution
        (used while the user drags); ``scale``: the screen's pixels per point (a HiDPI screen), so
        a fast frame casts no more rays than at 1 and stays as quick; ``label_top``: the image's
        top rows that the window covers (a notice bar), which the markups' values stay below."""
        from vtkmodules.util.numpy_support import vtk_to_numpy
        from vtkmodules.vtkRenderingCore import vtkWindowToImageFilter

        width, height = max(int(width), 16), max(int(height), 16)
        if tuple(self.window.GetSize()) != (width, height):
            self.window.SetSize(width, height)
        if self.volume_prop is not None:
            mapper = self.volume_prop.GetMapper()
            rays = QUICK_RAYS if self._quick else 2.0 if fast else 1.0
            mapper.SetImageSampleDistance(rays * max(scale, 1.0) if rays > 1 else 1.0)
            mapper.SetSampleDistance((2.0 if fast or self._quick else 1.0) * sample_distance(self._affine))
        # fitted to what this frame shows: fitted when last set (a turn, a camera restored) to
        # the surfaces the volume rendering yielded to, it cut the head when they went
        self.renderer.ResetCameraClippingRange()
        sync_orientation_marker(self.marker, self.renderer.GetActiveCamera())
        self.markups.sync(self.renderer.GetActiveCamera(), max(scale, 1.0), label_top)
        if self.rendering:
            raise RuntimeError("Scene3D.render called while it draws a frame (from during_frame)")
        self.rendering, self._pumped = True, time.perf_counter()
        try:
            with interrupts_held(heard=lambda: self.window.SetAbortRender(1)):
                self.window.Render()   # a Ctrl+C stops the frame, raised once VTK has returned
            raise_held()   # one an observer raised itself (render.observers)
            grabber = vtkWindowToImageFilter()
            grabber.SetInput(self.window)
            grabber.ShouldRerenderOff()   # it rendered the frame again (its default): twice the CPU
            grabber.ReadFrontBufferOff()
            grabber.SetInputBufferTypeToRGB()
            grabber.Update()
            image = grabber.GetOutput()
        finally:
            self.rendering = False
            if self._close_after_frame:   # the window closed meanwhile (during_frame)
                self.close()
        w, h, _ = image.GetDimensions()
        rgb = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(h, w, -1)[::-1, :, :3]
        return np.ascontiguousarray(rgb)

    def close(self) -> None:
        """Free the scene; its render window waits for the next scene (:mod:`.render_windows`,
        which releases it, its X connection closed, at exit or when told: before the X server
        goes away, Xvfb in tests)."""
        if self.window is None:
            return
        if self.rendering:   # closed from during_frame: once the frame is drawn
            self._close_after_frame = True
            return
        _OPEN_SCENES.discard(self)
        self.window.RemoveRenderer(self.renderer)   # with its props' graphics resources
        self.window.RemoveRenderer(self.marker)
        self.markups.close(self.window)
        give_back_render_window(self.window)   # the next scene's (render_windows)
        self.renderer.RemoveAllViewProps()
        self.marker.RemoveAllViewProps()
        self.marker = None
        self.volume_prop = self.surfaces = self._image = None
        self.planes = []
        self.renderer = None
        self.window = None
