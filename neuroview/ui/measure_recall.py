"""The rulers, angles, ellipses and rectangles kept with their image (``app.measure_memory``):
written at every change of them (drawn, moved, deleted, undone, redone: a crash, even ``kill -9``,
keeps them as they were), given back when the image opens again (``ui.window_open``), each listed
in *Measurements* again; entries of the file that are damaged are left out, said in one line
naming the file."""

from __future__ import annotations

from ..app.kept_keys import kept_for
from ..app.measure_memory import (
    image_file,
    measure_record,
    measurements_from,
    remember_measurements,
    remembered_measurements,
)
from ..app.shown_path import short_path
from ..app.view_measure import DrawnRegion, measure_centre
from ..core.plural import plural

KINDS = ("rulers", "angles", "ellipses", "rectangles")
"""The controller's lists kept, in the file's order."""


class MeasureRecall:
    """The measurements of ``window``'s image kept with it."""

    def __init__(self, window) -> None:
        self.window = window
        self.written: tuple | None = None
        """The image's key and the record this window wrote last (or read): a change writes
        anew, over what another window showing the image wrote meanwhile (kept: merged)."""
        controller = window.controller
        controller.measurements_changed.connect(self.keep)
        controller.measure_recorded.connect(self.keep)

    def _record(self) -> list[dict]:
        c = self.window.controller
        return measure_record([item for kind in KINDS for item in getattr(c, kind)])

    def keep(self, *_args) -> None:
        """Write the image's measurements when they changed (not while a point is dragged: at its
        release)."""
        c = self.window.controller
        if c.volume is None or c.moving_from is not None:
            return
        key, record = c.volume.workspace_key(), self._record()
        if (key, record) == self.written:
            return
        base = self.written[1] if self.written and self.written[0] == key else []
        self.written = (key, record)
        kept = remember_measurements(key, record, base)
        others = len(kept) - len(record)
        if others > 0:
            self.window.statusBar().showMessage(
                f"{plural(others, 'measurement')} another window drew on this image kept with "
                "it too (shown when the image opens again).", 8000)

    def give_back(self, volume) -> None:
        """The image ``volume`` just opened gets the measurements it was left with."""
        c = self.window.controller
        record = kept_for(volume, remembered_measurements, remember_measurements)
        self.written = (volume.workspace_key(), record if isinstance(record, list) else [])
        if record is None:
            return
        items, problems = measurements_from(record, c.shown_volume())
        for kind in KINDS:
            setattr(c, kind, [i for i in items if f"{i.kind.lower()}s" == kind])
        for item in items:
            value = item.stats.describe() if isinstance(item, DrawnRegion) else item.value_text
            c.measured.emit(f"{c.figures_of(item, value)} (kept with the image)",   # every figure
                            measure_centre(item.points))
        for plane in dict.fromkeys(item.plane for item in items):
            c.measurements_changed.emit(plane)
        if problems:
            more = f" (and {plural(len(problems) - 1, 'more')})" if len(problems) > 1 else ""
            where = short_path(image_file(volume.workspace_key()))
            self.window.notice_bar.add(
                f"{where}: {plural(len(problems), 'damaged measurement')} of "
                f"this image left out ({problems[0]}{more}); {plural(len(items), 'other')} shown.")
