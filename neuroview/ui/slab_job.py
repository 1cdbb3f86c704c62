"""An oblique thick slab computed off the GUI thread: interpolating a 10 mm slab of a thin-slice CT
plane by plane takes 1.3-2 s (``render.slab``), during which the window answered nothing. A view
(a slice view, a follow-up pane) asks its :class:`SlabPicture` what to draw at each paint: the
thin slice while the view moves, the slab's values once computed for this very picture. The slab
is computed by :class:`SlabJob` once the view has been still for :data:`FULL_SLAB_AFTER_MS`; its
values come back on the GUI thread with the key they were computed for, and are kept only while
that key is the view's (a slab of a slice the user has left is dropped, never drawn). Run by a
``ui.workers.JobRunner`` of its own (not the window's: no job bar for it), one thread."""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer

from ..core.same_object import Same
from ..render.slab import is_oblique, sample_slab
from .workers import JobRunner

FULL_SLAB_AFTER_MS = 150
"""An oblique thick slab (1.4-2 s a frame) is drawn as the thin slice while the view moves, and
computed off the GUI thread once nothing has changed for this long, as PACS viewers do."""


def slab_key(volume, frame: int, geom, slab) -> tuple:
    """What an oblique slab's values depend on: the image (by identity), its frame, where the
    view's pixels lie, and the slab (thickness, mode). Window/level and labels are not in it: a
    window/level drag on a still view redraws the slab already computed."""
    where = np.concatenate([geom.origin_ras, geom.col_ras, geom.row_ras])
    return (Same(volume), frame, tuple(np.round(where, 9)), geom.width, geom.height, slab)


def needs_slab(volume, geom, slab) -> bool:
    """Whether a picture ``geom`` of ``volume`` draws an oblique thick slab (computed beforehand,
    off the GUI thread); a slab along the voxel grid is sampled with the picture."""
    return slab is not None and slab.on and is_oblique(volume.ras_to_ijk, geom)


def slab_runner(parent) -> JobRunner:
    """A runner of one thread for thick slabs, with no job bar."""
    runner = JobRunner(parent)
    runner.pool.setMaxThreadCount(1)
    return runner


class SlabJob(QObject):
    """At most one slab in computation for one view; each slab computed is handed to
    ``arrived(key, (values, inside))`` on the GUI thread, where the view compares ``key`` with
    its own (a cancelled slab stops at its next plane; one cancelled after its last plane is
    handed over all the same, and dropped there)."""

    def __init__(self, arrived: Callable[[tuple, tuple], None], parent=None) -> None:
        super().__init__(parent)
        self._arrived = arrived
        self.runner = None
        self._job = None
        self._key = None
        self.use(slab_runner(self))
        self.started = 0
        """Slabs handed to the worker (for tests and the bench)."""

    def use(self, runner: JobRunner) -> None:
        """Compute the slabs on ``runner`` (one thread that several views share: they are served
        one after another) rather than on the one this view had."""
        self.cancel()
        if self.runner is not None:
            self.runner.finished.disconnect(self._finished)
            if self.runner.parent() is self:   # its own, idle now: a thread pool less
                self.runner.deleteLater()
        self.runner = runner
        runner.finished.connect(self._finished)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self, key: tuple, volume, frame: int, geom, slab) -> None:
        """Compute the slab ``key`` names (unless it is being computed), cancelling another."""
        if self._job is not None and self._key == key:
            return
        self.cancel()
        image, ras_to_ijk = volume.frame(frame), volume.ras_to_ijk

        def compute(_progress, cancel):   # worker thread: numpy and scipy only
            return sample_slab(image, ras_to_ijk, geom, slab.thickness_mm, slab.mode, order=1,
                               cancel=cancel)

        self._key = key
        self.started += 1
        self._job = self.runner.start(compute, on_done=lambda values: self._arrived(key, values),
                                      label="Thick slab")

    def cancel(self, unless: tuple | None = None) -> None:
        """Stop the slab being computed, unless it is the one ``unless`` names."""
        if self._job is not None and (unless is None or self._key != unless):
            self._job.cancel()
            self._job, self._key = None, None

    def _finished(self, job) -> None:
        if job is self._job:
            self._job, self._key = None, None


class SlabPicture(QObject):
    """What one view draws for its thick slab, asked at each paint (:meth:`values`); calls
    ``arrived()`` on the GUI thread when the slab of the picture shown is there to draw."""

    def __init__(self, arrived: Callable[[], None], parent=None) -> None:
        super().__init__(parent)
        self._on_arrival = arrived
        self.job = SlabJob(self._arrived, self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FULL_SLAB_AFTER_MS)
        self._timer.timeout.connect(self._start)
        self._wanted = None   # (key, volume, frame, geom, slab) of the thin picture shown
        self._done = None     # (key, (values, inside)): the last slab computed
        self._coming = None   # the key of a slab computed elsewhere for this view (an export)

    def values(self, volume, frame: int, geom, slab) -> tuple[tuple | None, bool]:
        """``(sampled, thin)`` for a picture ``geom`` of ``volume`` with ``slab``: ``sampled``, the
        oblique slab's values computed for it (``render.slices.render_slice``'s), or ``None``
        (no slab, a plane along the voxel grid: sampled with the picture); ``thin``: draw the
        thin slice, the slab is not there yet (computed once the view is still)."""
        if not needs_slab(volume, geom, slab):
            self.job.cancel()
            self._timer.stop()
            self._wanted = self._done = None
            return None, False
        key = slab_key(volume, frame, geom, slab)
        if self._done is not None and self._done[0] == key:
            self._wanted = None
            return self._done[1], False
        if self._wanted is None or self._wanted[0] != key:
            self.job.cancel(unless=key)   # the view moved: that slab would be dropped
            self._wanted = (key, volume, frame, geom, slab)
            self._timer.start()   # counted from the last change drawn: the slab once input stops
        elif not self.job.busy and not self._timer.isActive():
            self._timer.start()   # the same picture drawn again (a pane's crosshair moved)
        return None, True

    def computed(self, volume, frame: int, geom, slab) -> tuple | None:
        """The slab's values this view computed for a picture ``geom`` (an exported view's, at
        the view's size), else ``None``."""
        done = self._done
        if done is None or not needs_slab(volume, geom, slab):
            return None
        return done[1] if done[0] == slab_key(volume, frame, geom, slab) else None

    def expect(self, key: tuple | None) -> None:
        """The slab ``key`` is being computed elsewhere (an export, :meth:`take` hands it over):
        if it is the one this view waits for, the view stops computing it too; ``None``: that
        stopped (cancelled), the view computes its slab itself."""
        self._coming = key
        waiting = self._wanted is not None and (key is None or self._wanted[0] == key)
        if waiting and key is not None:
            self.job.cancel()
            self._timer.stop()
        elif waiting and not self.job.busy:
            self._timer.start()

    def take(self, key: tuple, values: tuple) -> None:
        """A slab computed elsewhere: drawn if it is the one this view waits for."""
        self._coming = None
        if self._wanted is not None and self._wanted[0] == key:
            self.job.cancel()
            self._timer.stop()
            self._arrived(key, values)

    def _start(self) -> None:
        view = self.parent()   # closed (a window's close waited for its jobs): none started after
        if self._wanted is not None and self._wanted[0] != self._coming and (
                view is None or view.isVisible()):
            self.job.start(*self._wanted)

    def _arrived(self, key: tuple, values: tuple) -> None:
        if self._wanted is not None and self._wanted[0] == key:
            self._done, self._wanted = (key, values), None
            self._on_arrival()
