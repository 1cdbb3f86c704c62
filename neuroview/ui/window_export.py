"""Exporting the main window's views as PNG: one view or all four composed (File > Export ...).

The slice pictures carry the rulers and statistics rectangles, as on screen. A base of
:class:`~neuroview.ui.main_window.MainWindow`.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from ..app.save_folder import image_stem, proposed_folder
from ..app.shown_path import full_path, short_path
from ..core.errors import NeuroviewError
from ..render.slices import annotate
from . import hidpi
from .measure_draw import with_measurements


class WindowExport:
    """The views' pictures and the PNG files made of them."""

    def view_picture(self, view: str, width: int | None = None, height: int | None = None):
        """The view's picture at ``width`` x ``height`` pixels, else as on screen: at the screen's
        resolution (on a HiDPI screen the PNG had the view's size in points, half the pixels at
        200 %), its letters, lines and labels as big as there."""
        widget, scale = self.views[view], 1.0
        if width is None or height is None:
            scale = widget.devicePixelRatioF()
            width, height = (max(size, round(64 * scale)) for size in hidpi.device_size(widget))
        if view == "3d":
            return self.view3d.render_image(width, height, scale)
        picture = widget.render(width, height, overlays=False)
        state = self.controller.state
        annotate(picture.rgb, picture.geometry, state.crosshair_ras, state.orientation_letters(view),
                 state.slice_label(view), scale=scale)
        # the rulers and statistics rectangle too, as on screen (the PNG used to leave them out)
        return with_measurements(picture, self.controller, view, scale)

    def _require_image(self, path) -> None:
        if self.controller.volume is None:
            raise NeuroviewError("nothing to export, open an image first", path=path)

    def export_view(self, path, view: str | None = None) -> None:
        from ..render.png import write_png

        self._require_image(path)
        view = view or self.controller.active_view
        picture = self.view_picture(view)
        if picture is None:
            raise ValueError("nothing to export yet")
        write_png(picture, path)

    def export_all(self, path, width: int = 1024, height: int = 1024) -> None:
        from ..render.layout import compose_four_up, tile_sizes
        from ..render.png import write_png

        self._require_image(path)
        tile_w, tile_h = tile_sizes(width, height)
        images = {view: self.view_picture(view, tile_w, tile_h) for view in self.views}
        if images["3d"] is None:
            images["3d"] = images["axial"] * 0
        write_png(compose_four_up(images, width, height), path)

    def _export(self, function, title, suffix: str) -> None:
        volume = self.controller.volume
        if volume is None:
            self.show_error("nothing to export: open an image first")
            return
        # beside the image (or where Save labels proposes), named after it and the view: it was
        # "view.png" in the program's working folder, one name for every view and image
        documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        start = os.path.join(os.fspath(proposed_folder(volume.source_path, documents)),
                             f"{image_stem(volume)}_{suffix}.png")
        path, _ = QFileDialog.getSaveFileName(self, title, start, "PNG (*.png)")
        if path and not path.lower().endswith(".png"):   # a name typed without it: no viewer
            path += ".png"                                  # opened the file as an image
        if path:
            try:
                function(path)
            except Exception as exc:  # shown in the message bar, the app keeps running
                self.show_error(str(exc))
                return
            # it said nothing: the file's name and folder, as Save labels says them
            self.notice_bar.show_message(f"Exported {short_path(path, self.controller.volume.source_path)}",
                                         tooltip=full_path(path))

    def export_view_dialog(self) -> None:
        self._export(self.export_view, "Export view", self.controller.active_view)

    def export_all_dialog(self) -> None:
        self._export(self.export_all, "Export all views", "views")
