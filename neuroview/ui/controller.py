"""The viewer's document for the widgets: the volume, its label map, the view state, measurements.

A thin Qt layer over ``app.view_state.ViewerState``: it owns no geometry logic, it only tells the
widgets when to repaint.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from ..app.frames import frame_volume, image_part_text
from ..app.measure_history import MeasureChange, MeasureHistory, apply_change
from ..app.shell_windows import step_window
from ..app.view_measure import (
    OUTSIDE_SCAN,
    Angle,
    DrawnRegion,
    Ellipse,
    Rectangle,
    Ruler,
    measure_centre,
    outside_scan,
)
from ..app.view_presets import intensity_range, shown_unit, shown_value
from ..app.view_state import PLANES, ViewerState, window_level_gain

MODES = ("navigate", "window-level", "ruler", "angle", "rectangle", "ellipse", "paint", "erase", "fill",
         "ai-click")
EDIT_MODES = ("paint", "erase", "fill")
"""Mouse modes that edit the label map through the segment editor (``ui.edit_controller``)."""


_LISTS = {Ruler: "rulers", Angle: "angles", Ellipse: "ellipses", Rectangle: "rectangles"}
"""The controller's list of each kind of measurement drawn."""


def _index(items: list, item) -> int:
    return next((n for n, i in enumerate(items) if i is item), len(items))


class ViewerController(QObject):
    changed = Signal()          # crosshair, window/level, zoom, overlay options: repaint
    volume_changed = Signal()
    labels_changed = Signal()
    layout_changed = Signal()
    mode_changed = Signal(str)
    measured = Signal(str, object)   # a measurement result to list, and where it lies (RAS)
    frame_changed = Signal(int)  # another time point of a 4D image is shown (0-based)
    measurements_changed = Signal(str)
    """A ruler, angle, ellipse or rectangle of this plane was added, moved, deleted, selected or
    unselected: the views of the plane repaint at once (it is no view-state change: the 3D view
    and the Display panel, which follow ``changed``, have nothing to do)."""
    measure_recorded = Signal()
    reveal = Signal(object)     # a point every view brings on screen (a jump to a lesion)
    """A ruler, angle, ellipse or rectangle was drawn, moved or deleted: a new step of Edit >
    Undo."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.volume = None
        self.labels = None
        self.watched_layers = None
        """The annotators' layers of a watched worklist case (``app.watched_layers``, set by
        ``watched_labels``) while :attr:`labels` is their picture: the readout names whose label
        is under the cursor."""
        self.state: ViewerState | None = None
        self.state_layout = "four-up"   # the layout while no image is open (``state`` is None)
        self.rulers: list[Ruler] = []
        self.angles: list[Angle] = []
        self.ellipses: list[Ellipse] = []
        """*Ellipse statistics* drawn (F7), each with the figures of the time point shown."""
        self.rectangles: list[Rectangle] = []
        """*Rectangle statistics* drawn (F4), as the ellipses."""
        self.selected: Ruler | Angle | DrawnRegion | None = None
        """The ruler, angle, ellipse or rectangle clicked last (drawn with handles, or thicker;
        *Delete* removes it)."""
        self.moving_from: Ruler | Angle | DrawnRegion | None = None
        """The measurement as it was when the drag of its point now in progress began."""
        self.measure_history = MeasureHistory()
        """Their drawing, moving and deleting, undone with the label edits (``ui.edit_controller``)."""
        self.mode = "navigate"
        self.range = (0.0, 1.0)
        self.active_view = "axial"
        self.editor = None
        """The segment editor (``ui.edit_controller.EditController``) the slice views paint with."""
        self.preview_labels = None
        """A label map shown instead of ``labels`` while a previewed result waits for Apply."""
        self.threshold_preview = None
        """The Threshold tool's range drawn over the slices (``ui.threshold_tool``), or ``None``."""
        self.interpolate = True
        """Linear interpolation of the image in the slice views (*View > Smooth image*)."""
        self.crosshair_shown = True
        """The crosshair's lines drawn in the slice views and their PNGs (*View > Crosshair*,
        X); hidden, it still links the views. Kept for the next image, as the smoothing is."""
        self.slabs: dict = {}
        """Each slice view's thick slab (plane -> ``app.view_slab.Slab``), kept for the next image
        opened as the layout is (Slicer keeps a view's slab across volumes)."""

    # -- content --------------------------------------------------------------------------------
    def set_volume(self, volume) -> None:
        """Show ``volume``; ``None`` (*File > Close*) empties the views, as at the start; the
        layout chosen stays for the next image."""
        layout = self.state.layout if self.state else self.state_layout
        self.volume = volume
        if volume is None:
            self.state, self.state_layout, self.range = None, layout, (0.0, 1.0)
        else:
            self.state = ViewerState.for_volume(volume)
            # a sagittal spine's 4 mm slices are read sagittally: that view takes the keys and is
            # the large one (One large, three small; One view), as a PACS opens it in its plane
            self.active_view = self.state.acquired_view() or self.active_view
            self.state.set_layout(layout, self.active_view)
            if (flat := self.state.single_slice_view()) not in (None, self.state.maximised):
                self.state.toggle_maximised(flat)   # alone: a double-click gives the layout back
            self.state.interpolate = self.interpolate
            self.state.slabs.update(self.slabs)
            self.range = intensity_range(volume, every_frame=True)   # a 4D run's later ones too
        self.labels = None
        self.preview_labels = None
        self.rulers = []
        self.angles = []
        self.ellipses = []
        self.rectangles = []
        self.selected = self.moving_from = None
        self.measure_history.clear()
        self.volume_changed.emit()
        self.labels_changed.emit()
        self.layout_changed.emit()
        self.changed.emit()

    def add_ruler(self, ruler: Ruler) -> None:
        """A ruler drawn: listed in *Measurements* and selected (Delete takes it back; a drag of
        its end adjusts it); one undo step."""
        self._add(ruler, f"{ruler.length_mm:.1f} mm")

    def delete_ruler(self, ruler: Ruler) -> None:
        """Take ``ruler`` off its view; the *Measurements* list says so under its line."""
        self._delete(ruler, f"{ruler.length_mm:.1f} mm")

    def add_angle(self, angle: Angle) -> None:
        """An angle drawn: listed in *Measurements* and selected, as a ruler drawn is."""
        self._add(angle, f"{angle.degrees:.1f}°")

    def delete_angle(self, angle: Angle) -> None:
        self._delete(angle, f"{angle.degrees:.1f}°")

    def add_region(self, drawn: DrawnRegion) -> None:
        """An ellipse or a rectangle drawn: listed in *Measurements* with its figures and
        selected, as a ruler drawn is; one undo step."""
        self._add(drawn, drawn.stats.describe())

    def figures_of(self, item: Ruler | Angle | DrawnRegion, value: str) -> str:
        """``Kind (plane): value``, ``item``'s line in *Measurements*; an ellipse's or a
        rectangle's figures on a 4D image name the time point they are of, ``Ellipse (axial,
        volume 2 of 4, b = 1000): ...``: its figures on the view follow the time point shown, the
        line stays (until session 50 it named none, and read as the figures of any); on an echo
        of a multi-echo series, its echo, ``Ellipse (axial, echo 2, TE 10 ms): ...`` (until 51
        none: the lines of two echoes, copied into a report, read alike)."""
        when = (image_part_text(self.volume, self.state.frame if self.state is not None else 0)
                if isinstance(item, DrawnRegion) else "")
        return f"{item.kind} ({item.plane}{', ' + when if when else ''}): {value}"

    def delete_region(self, drawn: DrawnRegion) -> None:
        self._delete(drawn, drawn.value_text)

    def _add(self, item: Ruler | Angle | DrawnRegion, value: str) -> None:
        """``item`` drawn: one undo step, a line ``Kind (plane): value`` in *Measurements*, and
        selected (its view, and the one of the item selected before, repaint)."""
        items = getattr(self, _LISTS[type(item)])
        self._record(None, item, len(items))
        items.append(item)
        self.measured.emit(self.figures_of(item, value), measure_centre(item.points))
        self.select(item)

    def _delete(self, item: Ruler | Angle | DrawnRegion, value: str | None) -> None:
        """``item`` taken off its view: one undo step, a line ``Kind (plane): value deleted``."""
        name = _LISTS[type(item)]
        items = getattr(self, name)
        self._record(item, None, _index(items, item))
        setattr(self, name, [i for i in items if i is not item])  # by identity: numpy fields
        if self.selected is item:
            self.selected = None
        self.measured.emit(f"{item.kind} ({item.plane}): {value} deleted", measure_centre(item.points))
        self.measurements_changed.emit(item.plane)

    def delete_measurement(self, item: Ruler | Angle | DrawnRegion) -> None:
        """Delete ``item`` (a ruler, angle, ellipse or rectangle; the view's right-click
        *Delete*)."""
        {Ruler: self.delete_ruler, Angle: self.delete_angle, Ellipse: self.delete_region,
         Rectangle: self.delete_region}[type(item)](item)

    @property
    def selected_ruler(self) -> Ruler | None:
        return self.selected if isinstance(self.selected, Ruler) else None

    def select(self, item: Ruler | Angle | DrawnRegion | None) -> None:
        """Draw ``item`` (a ruler, an angle, an ellipse, a rectangle) with its handles (``None``:
        none); the one selected before loses them."""
        old, self.selected = self.selected, item
        for plane in dict.fromkeys(m.plane for m in (old, item) if m is not None and old is not item):
            self.measurements_changed.emit(plane)

    def replace(self, old: Ruler | Angle | DrawnRegion, new: Ruler | Angle | DrawnRegion) -> None:
        """``new`` in ``old``'s place (a point dragged), selected if ``old`` was; an ellipse's
        figures read (the time point shown)."""
        if isinstance(new, DrawnRegion):
            self.read_region(new)
        self.rulers = [new if r is old else r for r in self.rulers]
        self.angles = [new if a is old else a for a in self.angles]
        self.ellipses = [new if e is old else e for e in self.ellipses]
        self.rectangles = [new if e is old else e for e in self.rectangles]
        if self.selected is old:
            self.selected = new
        self.measurements_changed.emit(new.plane)

    def record_move(self, before: Ruler | Angle, after: Ruler | Angle) -> None:
        """A drag moved ``before``'s point: ``after`` is in its place (:meth:`replace`, at every
        move of the pointer); the drag is one undo step."""
        self._record(before, after, 0)

    def cancel_move(self) -> bool:
        """Ctrl+Z while a point is dragged: the ruler or angle back as it was, the drag over (as
        Ctrl+Z during a brush stroke throws away the stroke only); False: no drag."""
        before, self.moving_from = self.moving_from, None
        if before is None:
            return False
        if self.selected is not None and self.selected is not before:
            self.replace(self.selected, before)
        return True

    def _record(self, before, after, index: int) -> None:
        self.measure_history.push(before, after, index)
        self.measure_recorded.emit()

    def undo_measure(self) -> MeasureChange | None:
        """Take back the newest measurement step (Ctrl+Z when it is newer than the newest label
        edit); ``None``: none."""
        return self._step_again(self.measure_history.pop_undo(), forward=False)

    def redo_measure(self) -> MeasureChange | None:
        return self._step_again(self.measure_history.pop_redo(), forward=True)

    def _step_again(self, change: MeasureChange | None, forward: bool) -> MeasureChange | None:
        if change is None:
            return None
        item = change.item
        name = _LISTS[type(item)]
        setattr(self, name, apply_change(getattr(self, name), change, forward))
        shown = change.after if forward else change.before
        if isinstance(shown, DrawnRegion):   # back: its figures of the time point shown now
            self.read_region(shown)
        if self.selected is not None and self.selected is (change.before if forward else change.after):
            self.selected = None
        value = (shown or item).value_text   # a move: the value now shown
        self.measured.emit(f"{'Redone' if forward else 'Undone'}: {item.kind.lower()} {change.verb} "
                           f"({item.plane}{', ' + value if value else ''})",
                           measure_centre((shown or item).points))
        self.select(shown)
        self.measurements_changed.emit(item.plane)
        return change

    def set_labels(self, labels) -> None:
        self.labels = labels
        if self.state is not None:
            self.state.labels.hidden = set()
        self.labels_changed.emit()
        self.changed.emit()

    def display_labels(self):
        """What the slice views draw: the preview while there is one, else the label map."""
        return self.preview_labels if self.preview_labels is not None else self.labels

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self.mode_changed.emit(mode)

    # -- navigation -----------------------------------------------------------------------------
    def set_crosshair(self, p_ras) -> None:
        if self.state is None:
            return
        self.state.set_crosshair(p_ras)
        self.changed.emit()

    def show_point(self, p_ras) -> None:
        """The crosshair to ``p_ras``, and each view zoomed so that it does not show the point
        panned to centre it (a jump to a lesion off a zoomed view showed no lesion)."""
        self.set_crosshair(p_ras)
        self.reveal.emit(np.asarray(p_ras, float))

    def voxel_centre(self, p_ras):
        """The centre of the voxel drawn at ``p_ras``; outside the volume, of the voxel at its edge
        nearest to it.

        A click in navigate mode puts the crosshair there, as ITK-SNAP's cursor and Slicer's
        slice offsets snap to voxels: the other views then show one voxel slice, not a blend of
        two (and the labels and the brush use that same slice). A click or a drag beyond the
        volume stops at its edge, as ITK-SNAP's cursor does and the wheel stops at the last slice:
        it went to the point itself, and the other views to slices off the image, black
        (``L: 1066.0 mm`` after a drag past the axial view's corner)."""
        from ..core.geometry import clamped_voxel

        if self.volume is None or p_ras is None:
            return p_ras
        voxel = clamped_voxel(self.volume.ras_to_ijk, self.volume.shape, p_ras).astype(float)
        return self.volume.ijk_to_ras[:3, :3] @ voxel + self.volume.ijk_to_ras[:3, 3]

    def scroll(self, plane: str, steps: float) -> None:
        if self.state is not None:
            self.state.scroll(plane, steps)
            self.changed.emit()

    def set_interpolate(self, on: bool) -> None:
        self.interpolate = bool(on)
        if self.state is not None:
            self.state.interpolate = self.interpolate
        self.changed.emit()

    def set_crosshair_shown(self, on: bool) -> None:
        self.crosshair_shown = bool(on)
        self.changed.emit()

    def shown_crosshair(self):
        """The crosshair's RAS point where its lines are drawn, else ``None`` (hidden)."""
        return self.state.crosshair_ras if self.state is not None and self.crosshair_shown else None

    def set_inverted(self, on: bool) -> None:
        """The grey scale inverted, or back (*View > Invert*); another image opens upright."""
        if self.state is not None:
            self.state.inverted = bool(on)
            self.changed.emit()

    def set_slab(self, slab, plane: str | None = None) -> None:
        """Draw a thick slab (``app.view_slab.Slab``; thickness 0: the thin slice) in ``plane``'s
        view, or in every slice view when ``plane`` is ``None``."""
        if self.state is None:
            return
        for name in [plane] if plane else list(self.state.slabs):
            self.state.slabs[name] = slab
        self.slabs = dict(self.state.slabs)
        self.changed.emit()

    def set_frame(self, frame: int) -> None:
        """Show time point ``frame`` (0-based) of a 4D image: the slice views draw it, the 3D view,
        the AI click tool, the presets and the statistics read it; a DWI's volume of another
        b-value at that b-value's window (:mod:`neuroview.app.shell_windows`)."""
        if self.volume is None or self.state is None:
            return
        frame = min(max(int(frame), 0), self.volume.n_frames - 1)
        if frame == self.state.frame:
            return
        step_window(self.volume, self.state, frame)   # a DWI's other b-value: its own window
        self.state.frame = frame
        session = self.editor.session if self.editor is not None else None
        if session is not None and session.volume is self.volume:
            session.frame = frame
        shown, unit = self.shown_volume(), shown_unit(self.volume)
        regions = self.ellipses + self.rectangles
        for drawn in regions:   # their figures of this time point (the 3D view's values follow)
            drawn.read(shown, unit)
        for plane in dict.fromkeys(e.plane for e in regions):
            self.measurements_changed.emit(plane)
        self.frame_changed.emit(frame)
        self.changed.emit()

    def read_region(self, drawn: DrawnRegion) -> None:
        """``drawn``'s figures of the time point on screen, in the unit the pointer's readout
        names (the run's, asked once per image: a time point's own Volume read its voxels again
        to decide it, at every step of the cine and every move of a dragged corner)."""
        drawn.read(self.shown_volume(), shown_unit(self.volume))

    def shown_volume(self):
        """The time point on screen as a 3D Volume (the volume itself when it is 3D)."""
        return frame_volume(self.volume, self.state.frame if self.state is not None else 0)

    def set_window_level(self, window: float, level: float) -> None:
        if self.state is not None:
            self.state.set_window_level(window, level)
            self.changed.emit()

    def reset_views(self) -> None:
        if self.state is not None:
            self.state.reset_view()
            self.changed.emit()

    def set_layout(self, layout: str) -> None:
        if self.state is None:
            self.state_layout = layout
            return
        self.state.set_layout(layout, self.active_view)  # One view: the view clicked last
        self.layout_changed.emit()

    def toggle_maximised(self, view: str) -> None:
        if self.state is not None:
            self.state.toggle_maximised(view)
            self.layout_changed.emit()

    def wl_sensitivity(self) -> float:
        """Intensity units per pixel of a window/level drag (:func:`~neuroview.app.view_state.
        window_level_gain`: the window width / 200)."""
        span = max(self.range[1] - self.range[0], 1e-6)
        window = self.state.window if self.state is not None else span
        return window_level_gain(window, *self.range)

    # -- readout --------------------------------------------------------------------------------
    def readout(self, p_ras) -> str:
        """``ijk (i, j, k)  RAS (x, y, z) mm  value unit  segment`` under the cursor."""
        if self.volume is None or p_ras is None or len(p_ras) != 3:
            return ""
        from ..core.geometry import nearest_voxel

        p_ras = np.asarray(p_ras, dtype=float)
        ras = f"RAS ({p_ras[0]:.1f}, {p_ras[1]:.1f}, {p_ras[2]:.1f}) mm"
        voxel = nearest_voxel(self.volume.ras_to_ijk, self.volume.shape, p_ras)
        if voxel is None:
            return f"outside the volume  {ras}"
        frame = self.state.frame if self.state else 0
        value = np.asarray(self.volume.frame(frame)[voxel]).item()
        unit = shown_unit(self.volume)
        unit = f" {unit}" if unit else ""
        text = f"ijk ({voxel[0]}, {voxel[1]}, {voxel[2]})  {ras}  value {shown_value(value)}{unit}"
        if outside_scan(frame_volume(self.volume, frame), voxel):
            # a CT's padding (a 4D series': its time point's), read as air: it read
            # "value -1024 HU" as if air had been measured there
            text = f"ijk ({voxel[0]}, {voxel[1]}, {voxel[2]})  {ras}  {OUTSIDE_SCAN}"
        if self.labels is not None:
            ijk = nearest_voxel(np.linalg.inv(self.labels.ijk_to_ras), self.labels.shape, p_ras)
            if ijk is not None:
                text += self._label_words(ijk)
        heat = self.state.heat if self.state is not None else None
        if heat is not None and heat.visible and (value := heat.value_at(p_ras)) is not None:
            text += f"  uncertainty {value:.3f} {heat.unit}"
            if getattr(heat, "outside_domain", ""):   # computed on an image its card refuses
                text += " (run anyway)"
        fusion = self.state.fusion if self.state is not None else None
        if fusion is not None and fusion.visible and (value := fusion.value_at(p_ras)) is not None:
            unit = shown_unit(fusion.volume)   # an ADC map laid over a DWI: ×10⁻⁶ mm²/s
            text += f"  overlay {shown_value(value)}" + (f" {unit}" if unit else "")
        return text

    def _label_words(self, ijk) -> str:
        """``  label 2: lesion`` of the labels under the cursor ("" for none); over a watched
        case's annotators' labels, whose: ``  label 3: ben: lesion, under it anna: lesion`` (or
        ``  label 1: lesion, saved by anna``), as Slicer's data probe names each segmentation's
        segment under the cursor (they were told apart by colour alone)."""
        label = int(self.labels.array[ijk])
        layers = self.watched_layers
        if layers is not None and self.labels.segments is layers.table:
            found = layers.under(ijk, self.state.labels.hidden if self.state is not None else ())
            if not found:
                return ""
            (top, name), below = found[0], found[1:]
            if len(layers.layers) == 1:
                return f"  label {label}: {name}, saved by {top.who}"
            return f"  label {label}: {top.who}: {name}" + (
                ", under it " + ", ".join(f"{layer.who}: {under}" for layer, under in below)
                if below else "")
        if not label:
            return ""
        name = self.labels.segments.get(label).name if label in self.labels.segments else f"Segment {label}"
        return f"  label {label}: {name}"

    def views(self) -> tuple[str, ...]:
        """The views shown: with no image (at the start, after *File > Close*) those of the
        layout chosen, as the next image will show them (after a Close: four-up was shown)."""
        if self.state is not None:
            return self.state.visible_views()
        if self.state_layout == "one-row":
            return PLANES
        if self.state_layout == "single":
            return (self.active_view,)
        return PLANES + ("3d",)
