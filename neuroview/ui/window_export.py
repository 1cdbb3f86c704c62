"""Exporting the main window's views as PNG: one view or all four composed (File > Export ...).

The slice pictures carry the rulers and statistics rectangles, as on screen. A base of
:class:`~neuroview.ui.main_window.MainWindow`.
"""

from __future__ import annotations

import os
import threading
from typing import Callable

from PySide6.QtCore import QStandardPaths

from ..app.frames import view_caption
from ..app.save_folder import case_folder_refused, image_stem, proposed_folder
from ..app.shown_path import full_path, short_path
from ..app.view_presets import shown_value
from ..core.errors import NeuroviewError
from ..core.jobs import check
from ..render.slab import sample_slab
from ..render.slices import annotate, made_up_note
from ..render.text import draw_text
from . import hidpi
from .measure_draw import with_measurements
from .save_question import file_to_save
from .slab_job import grid_of, needs_slab, slab_at, slab_key


class WindowExport:
    """The views' pictures and the PNG files made of them."""

    def _picture_size(self, view: str, width: int | None, height: int | None):
        """``(width, height, scale)``: the size asked for, else the view's on screen at the
        screen's resolution (on a HiDPI screen the PNG had the view's size in points, half the
        pixels at 200 %), its letters, lines and labels as big as there."""
        if width is not None and height is not None:
            return width, height, 1.0
        widget = self.views[view]
        scale = widget.devicePixelRatioF()
        width, height = (max(size, round(64 * scale)) for size in hidpi.device_size(widget))
        return width, height, scale

    def view_picture(self, view: str, width: int | None = None, height: int | None = None,
                     sampled=None):
        """The view's picture at ``width`` x ``height`` pixels, else as on screen; ``sampled``:
        its oblique thick slab's values computed beforehand (see :meth:`_with_slabs`)."""
        width, height, scale = self._picture_size(view, width, height)
        if view == "3d":
            return self.view3d.render_image(width, height, scale)
        picture = self.views[view].render(width, height, overlays=False, sampled=sampled)
        state = self.controller.state
        annotate(picture.rgb, picture.geometry, self.controller.shown_crosshair(),
                 state.orientation_letters(view),
                 view_caption(self.controller.volume, state.frame, state.slice_label(view)),
                 scale=scale, number=state.slice_number_text(view),
                 warning=made_up_note(self.controller.volume, state, view))
        corner_texts(picture.rgb, state, scale)
        # the rulers and statistics rectangle too, as on screen (the PNG used to leave them out)
        return with_measurements(picture, self.controller, view, scale)

    def _slab_keys(self, sizes: dict) -> dict:
        """``{view: (key, geometry, slab)}`` of the views in ``sizes`` (``{view: (w, h)}``) whose
        pictures draw an oblique thick slab."""
        c = self.controller
        state, keys = c.state, {}
        for view, (width, height) in sizes.items():
            if view in self.slice_views:
                geom, slab = state.geometry(view, width, height), state.slabs[view]
                if needs_slab(c.volume, geom, slab):
                    keys[view] = (slab_key(c.volume, state.frame, geom, slab), geom, slab)
        return keys

    def _with_slabs(self, sizes: dict, then: Callable[[dict], None]):
        """Call ``then({view: slab values})`` with the oblique thick slabs the pictures of
        ``sizes`` draw: at once when each is the one its view shows (computed on the plane's
        grid, drawn at any size: ``slab_job.grid_of``), else once the others are computed: one
        its view is computing now (the slab worker) once it comes, the rest by a job off the
        GUI thread (1.5-3 s each for a thin-slice CT), which then waits for those the views
        compute: the job bar shows it, Cancel or Esc stops the export (the views' slabs go on).
        Returns that job, else ``None``.
        A view moved meanwhile: nothing is made (its picture would not be the slab's)."""
        c = self.controller
        volume, frame, keys = c.volume, c.state.frame, self._slab_keys(sizes)
        sampled, missing, coming = {}, {}, {}
        for view, (key, geom, slab) in keys.items():
            picture = self.slice_views[view].slab
            values = picture.computed(volume, frame, geom, slab)
            if values is not None:
                sampled[view] = values
            elif picture.job.computing() == key:   # half done on the slab worker: not again
                coming[view] = key
            else:
                missing[view] = (key, geom, slab)

        def at_pixels() -> dict:   # the slabs, on their planes' grids, at the pictures' pixels
            return {view: slab_at(volume, keys[view][1], values) for view, values in sampled.items()}

        if not missing and not coming:
            then(at_pixels())
            return None
        waiting, job = set(coming) | {"job"}, None
        to_come, handed = set(coming), threading.Event()   # the job waits for the views' slabs
        if not to_come:
            handed.set()

        def moved() -> None:
            self.show_error("nothing exported: the view moved while its thick slab was "
                            "computed; export it again")

        def part(name: str, computed: dict | None) -> None:   # a slab or the job's slabs came
            to_come.discard(name)
            if not to_come:
                handed.set()
            if not waiting:   # one stopped before (cancelled, a view moved): said once
                return
            if computed is None:
                waiting.clear()
                if job is not None:
                    job.cancel()
                moved()
                return
            sampled.update(computed)
            waiting.discard(name)
            if waiting:
                return
            now = self._slab_keys(sizes) if c.volume is volume else {}
            if {view: entry[0] for view, entry in now.items()} != \
                    {view: entry[0] for view, entry in keys.items()}:
                moved()
                return
            try:
                then(at_pixels())
            except Exception as exc:  # shown in the message bar, as a file written at once
                self.show_error(str(exc))

        for view, key in coming.items():
            self.slice_views[view].slab.job.when_handed(
                key, lambda values, view=view: part(view, None if values is None else {view: values}))
        # a view moved meanwhile stops the job at its next plane: its slab is stale
        job = self._compute_slabs(volume, frame, missing, lambda computed: part("job", computed),
                                  left=lambda: part("job", None), handed=handed,
                                  cancelled=waiting.clear, coming=list(coming))
        return job

    def _compute_slabs(self, volume, frame: int, missing: dict, then: Callable[[dict | None], None],
                       left: Callable[[], None], handed: threading.Event,
                       cancelled: Callable[[], None], coming: list):
        """The job computing the slabs of ``missing`` (``{view: (key, geometry, slab)}``) off the
        GUI thread, handed to their views (which wait for them meanwhile) and to ``then``, then
        waiting until ``handed`` is set (the slabs of the views ``coming``, computed by the views);
        cancelled: ``cancelled()``, ``then`` not called; failed: the message bar says why.
        ``left()`` once one of ``missing``'s views moves to another picture meanwhile."""
        image, ras_to_ijk = volume.frame(frame), volume.ras_to_ijk
        waits = "Waiting for the thick slab of the " + " and ".join(coming) + \
            (" view" if len(coming) == 1 else " views")

        computed = {}   # the slabs computed so far: a failure hands those to their views

        def compute(progress, cancel):   # worker thread: numpy and scipy only
            for number, (view, (_key, geom, slab)) in enumerate(missing.items()):
                def told(done, total, _text="", number=number, view=view):
                    progress(number * total + done, len(missing) * total,
                             f"Thick slab of the {view} view")
                computed[view] = sample_slab(image, ras_to_ijk, grid_of(volume, geom),
                                             slab.thickness_mm, slab.mode, order=1,
                                             cancel=cancel, progress=told)
            if coming:   # Cancel or Esc stops the export here too (its file is not written)
                progress(0, 0, waits)
            while not handed.wait(0.05):
                check(cancel)
            return dict(computed)

        def stopped() -> None:   # cancelled: the views compute their own
            cancelled()
            for view in missing:
                self.slice_views[view].slab.expect(None)

        def failed(message: str) -> None:
            """The view whose slab failed says so, as when it computes it itself (it was asked
            again, or said "soon" for ever); those computed before draw theirs, the others
            compute their own."""
            cancelled()
            for view, (key, _geom, _slab) in missing.items():
                picture = self.slice_views[view].slab
                if view in computed:
                    picture.take(key, computed[view])
                elif view == next((v for v in missing if v not in computed), None):
                    picture.fail(key, job.reason)
                else:
                    picture.expect(None)
            self.show_error(message)

        def arrived(computed: dict) -> None:
            for view, values in computed.items():   # a view waiting for this very slab draws it
                self.slice_views[view].slab.take(missing[view][0], values)
            then(computed)

        for view, (key, _geom, _slab) in missing.items():
            self.slice_views[view].slab.expect(key, left)
        job = self.runner.start(compute, on_done=arrived, on_error=failed, on_cancel=stopped,
                                label="Exporting: thick slab" if missing else waits)
        return job

    def _require_image(self, path) -> None:
        if self.controller.volume is None:
            raise NeuroviewError("nothing to export, open an image first", path=path)

    def _write_then(self, path, pictures: Callable[[dict], object], written) -> Callable[[dict], None]:
        def write(sampled: dict) -> None:
            from ..render.png import write_png

            picture = pictures(sampled)
            if picture is None:
                raise ValueError("nothing to export yet")
            write_png(picture, path)
            if written is not None:
                written()
        return write

    def export_view(self, path, view: str | None = None, written: Callable[[], None] | None = None):
        """The view as on screen to the PNG ``path``, at once, or once the oblique thick slab it
        draws is computed (see :meth:`_with_slabs`: the job returned); ``written()`` then."""
        self._require_image(path)
        view = view or self.controller.active_view
        width, height, _scale = self._picture_size(view, None, None)
        write = self._write_then(path, lambda sampled: self.view_picture(
            view, sampled=sampled.get(view)), written)
        return self._with_slabs({view: (width, height)}, write)

    def export_all(self, path, width: int = 1024, height: int = 1024,
                   written: Callable[[], None] | None = None):
        """The four views composed into the PNG ``path`` (as :meth:`export_view`)."""
        from ..render.layout import compose_four_up, tile_sizes

        self._require_image(path)
        tile_w, tile_h = tile_sizes(width, height)

        def composed(sampled: dict):
            images = {view: self.view_picture(view, tile_w, tile_h, sampled=sampled.get(view))
                      for view in self.views}
            if images["3d"] is None:
                images["3d"] = images["axial"] * 0
            return compose_four_up(images, width, height)

        write = self._write_then(path, composed, written)
        return self._with_slabs({view: (tile_w, tile_h) for view in self.slice_views}, write)

    def _export(self, function, title, suffix: str) -> None:
        volume = self.controller.volume
        if volume is None:
            self.show_error("nothing to export: open an image first")
            return
        # where Save labels proposes (a worklist case's folder), named after the image and the
        # view: it was "view.png" in the program's working folder, one name for every view and image
        documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        in_worklist = bool(self.training_actions.worklist_id)
        folder = proposed_folder(volume.source_path, documents, in_worklist)
        refused = case_folder_refused(volume.source_path or "", folder, "the picture") \
            if in_worklist else ""
        if refused:
            self.notice_bar.show_message(refused)
        start = os.path.join(os.fspath(folder), f"{image_stem(volume)}_{suffix}.png")
        # a name typed without .png gets it (no viewer opened the file as an image), then one
        # question if that file exists (Qt's asked of the name as typed: x.png replaced unasked)
        path = file_to_save(self, title, start, "PNG (*.png)")
        if path:
            def written() -> None:   # it said nothing: the file's name and folder, as Save labels
                self.notice_bar.show_message(
                    f"Exported {short_path(path, volume.source_path)}", tooltip=full_path(path))
            try:
                function(path, written=written)   # now, or once a thick slab is computed
            except Exception as exc:  # shown in the message bar, the app keeps running
                self.show_error(str(exc))

    def export_view_dialog(self) -> None:
        self._export(self.export_view, "Export view", self.controller.active_view)

    def export_all_dialog(self) -> None:
        self._export(self.export_all, "Export all views", "views")


def corner_texts(rgb, state, scale: float = 1.0) -> None:
    """The window/level, upper left, as Horos' export writes its corner texts (the reader of a
    key image could not tell the window it was read at). Not the series' DICOM description: a
    PACS may fill it with patient text, and text in the pixels goes wherever the picture goes."""
    line = f"W {shown_value(state.window)}  L {shown_value(state.level)}"
    draw_text(rgb, line, 4 * scale, 3 * scale, (230, 230, 230), "top-left", round(12 * scale))
