"""An oblique thick slab computed off the GUI thread: interpolating a 10 mm slab of a thin-slice CT
plane by plane takes 1.3-2 s (``render.slab``), during which the window answered nothing. A view
(a slice view, a follow-up pane) asks its :class:`SlabPicture` what to draw at each paint: the
thin slice while the view moves, the slab's values once computed for this very picture. The slab
is computed by :class:`SlabJob` once the view has been still for :data:`FULL_SLAB_AFTER_MS`; its
values come back on the GUI thread with the key they were computed for, and are kept only while
that key is the view's (a slab of a slice the user has left is dropped, never drawn); one that
fails is not asked again for that key, and the view says why. Computed by
a :class:`SlabWorker` the views of a window share (and the follow-up panes with it): one thread,
the view the user works in served first, on a ``ui.workers.JobRunner`` of its own (not the
window's: no job bar for it)."""

from __future__ import annotations

from typing import Callable

import numpy as np
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ..core.same_object import Same
from ..render.slab import is_oblique, sample_slab, slab_grid, slab_onto
from .single_shot import single_shot
from .workers import JobRunner

FULL_SLAB_AFTER_MS = 150
"""An oblique thick slab (1.4-2 s a frame) is drawn as the thin slice while the view moves, and
computed off the GUI thread once nothing has changed for this long, as PACS viewers do."""


def grid_of(volume, geom):
    """The grid the oblique slab of the picture ``geom`` is computed on (``render.slab.slab_grid``:
    the plane at the voxels' spacing, whatever the picture's size, zoom or pan)."""
    return slab_grid(volume.shape, volume.ras_to_ijk, geom)


def slab_key(volume, frame: int, geom, slab) -> tuple:
    """What an oblique slab's values depend on: the image (by identity), its frame, the plane
    (its grid, :func:`grid_of`) and the slab (thickness, mode). The picture's size, zoom and pan
    are not in it (a slab is drawn at any of them, an export's tiles too), nor window/level and
    labels: a window/level drag on a still view redraws the slab already computed."""
    grid = grid_of(volume, geom)
    where = np.concatenate([grid.origin_ras, grid.col_ras, grid.row_ras])
    return (Same(volume), frame, tuple(np.round(where, 9)), grid.width, grid.height, slab)


def slab_at(volume, geom, values: tuple) -> tuple:
    """The slab ``values`` computed on the grid of ``geom``'s plane, at ``geom``'s pixels."""
    return slab_onto(values, grid_of(volume, geom), geom)


def needs_slab(volume, geom, slab) -> bool:
    """Whether a picture ``geom`` of ``volume`` draws an oblique thick slab (computed beforehand,
    off the GUI thread); a slab along the voxel grid is sampled with the picture."""
    return slab is not None and slab.on and is_oblique(volume.ras_to_ijk, geom)


def slab_runner(parent) -> JobRunner:
    """A runner of one thread for thick slabs, with no job bar."""
    runner = JobRunner(parent)
    runner.pool.setMaxThreadCount(1)
    return runner


def _view(job: "SlabJob"):
    """The widget whose picture ``job`` computes (a slice view, the follow-up panes), if alive."""
    picture = job.parent()
    view = picture.parent() if picture is not None else None
    return view if isinstance(view, QWidget) and shiboken6.isValid(view) else None


def is_active(job: "SlabJob") -> bool:
    """Whether ``job``'s view is the one the user works in: under the pointer or with the keys
    (a slice view takes the keys when the pointer enters it)."""
    view = _view(job)
    return view is not None and (view.hasFocus() or view.underMouse())


def is_shown(job: "SlabJob") -> bool:
    """Whether ``job``'s view is on screen (not closed, not hidden by a layout)."""
    view = _view(job)
    return view is None or view.isVisible()


class SlabWorker(QObject):
    """One thread computing the oblique slabs of several views (a window's three, the follow-up
    panes), one slab at a time. The view the user works in (:func:`is_active`) is served first,
    the others in order of request; a view's newer request replaces its queued one, which never
    runs. While the user scrolled one view, the others' requests (1.5-2 s each) ran first, in
    order of request (``bench/slab.py --active-only``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.runner = slab_runner(self)
        self.runner.finished.connect(self._finished)
        self.active_first = True
        """False: in order of request only (the bench's comparison)."""
        self._queue: dict = {}    # SlabJob -> (key, compute), in order of request
        self._running = None      # (SlabJob, key, Job) on the thread now

    def request(self, owner: "SlabJob", key: tuple, compute: Callable) -> None:
        """Compute ``compute`` (``(progress, cancel) -> values``) for ``owner``, replacing the
        request it has queued, and stopping its slab of another key being computed (at its next
        plane: ``cancel`` is checked between them); ``owner.handed(key, values)`` once computed."""
        self._queue.pop(owner, None)
        self._queue[owner] = (key, compute)
        running = self._running
        if running is not None and running[0] is owner and running[1] != key:
            self._running = None   # superseded: its thread is free at its next plane
            running[2].cancel()
            owner.handed(running[1], None)
        self._serve()

    def withdraw(self, owner: "SlabJob") -> None:
        """Drop ``owner``'s request; its slab being computed stops at its next plane and is not
        handed over."""
        self._queue.pop(owner, None)
        if self._running is not None and self._running[0] is owner:
            key = self._running[1]
            self._running[2].cancel()
            self._running = None
            owner.handed(key, None)
            self._serve()   # queued behind the cancelled one, which ends at its next plane

    def computing(self, owner: "SlabJob") -> tuple | None:
        """The key of ``owner``'s slab on the thread now, else ``None``."""
        running = self._running
        return running[1] if running is not None and running[0] is owner else None

    def key_of(self, owner: "SlabJob") -> tuple | None:
        """The key of ``owner``'s slab queued or being computed, else ``None``."""
        if owner in self._queue:
            return self._queue[owner][0]
        return self.computing(owner)

    def _serve(self) -> None:
        for owner in [o for o in self._queue if not shiboken6.isValid(o) or not is_shown(o)]:
            del self._queue[owner]   # a view closed or hidden: asks again when drawn again
        if self._running is not None or not self._queue:
            return
        owner = next((o for o in self._queue if is_active(o)), None) if self.active_first else None
        owner = owner or next(iter(self._queue))
        key, compute = self._queue.pop(owner)
        self._running = (owner, key, self.runner.start(compute, label="Thick slab"))

    def _finished(self, job) -> None:
        running = self._running
        if running is not None and running[2] is job:
            self._running = None
            owner, key, _job = running
            if shiboken6.isValid(owner):
                kind, value = job.outcome
                owner.handed(key, value if kind == "done" else None,
                             job.reason if kind == "failed" else "")
        self._serve()


class SlabJob(QObject):
    """One view's slab requests to a :class:`SlabWorker` (its own until :meth:`use` gives it a
    shared one): at most one queued or computed; each slab computed is handed to
    ``arrived(key, (values, inside))`` on the GUI thread, where the view compares ``key`` with
    its own. A cancelled slab is never handed over."""

    def __init__(self, arrived: Callable[[tuple, tuple], None], parent=None,
                 failed: Callable[[tuple, str], None] | None = None) -> None:
        super().__init__(parent)
        self._arrived = arrived
        self._failed = failed   # failed(key, why): the slab could not be computed
        self._listeners: list = []   # (key, called with its values, or None: not computed)
        self._worker = None   # made when first needed: a shared one is usually given first
        self.started = 0
        """Slabs asked of the worker (for tests and the bench)."""

    @property
    def worker(self) -> SlabWorker:
        if self._worker is None:
            self._worker = SlabWorker(self)
        return self._worker

    @property
    def runner(self) -> JobRunner:
        return self.worker.runner

    def use(self, worker: SlabWorker) -> None:
        """Compute the slabs on ``worker`` (one thread that several views share) rather than on
        the one this view had."""
        if self._worker is not None:
            self._worker.withdraw(self)
            if self._worker.parent() is self:   # its own, idle now: a thread pool less
                self._worker.deleteLater()
        self._worker = worker

    @property
    def busy(self) -> bool:
        return self._worker is not None and self._worker.key_of(self) is not None

    def start(self, key: tuple, volume, frame: int, geom, slab) -> None:
        """Compute the slab ``key`` names (unless it is asked already), replacing another."""
        if self.worker.key_of(self) == key:
            return
        self.cancel()
        image, ras_to_ijk, grid = volume.frame(frame), volume.ras_to_ijk, grid_of(volume, geom)

        def compute(_progress, cancel):   # worker thread: numpy and scipy only
            return sample_slab(image, ras_to_ijk, grid, slab.thickness_mm, slab.mode, order=1,
                               cancel=cancel)

        self.started += 1
        self.worker.request(self, key, compute)

    def cancel(self, unless: tuple | None = None) -> None:
        """Drop the slab asked, unless it is the one ``unless`` names."""
        if self.busy and (unless is None or self._worker.key_of(self) != unless):
            self._worker.withdraw(self)

    def computing(self) -> tuple | None:
        """The key of the slab being computed for this view now, else ``None``."""
        return self._worker.computing(self) if self._worker is not None else None

    def when_handed(self, key: tuple, listener: Callable[[tuple | None], None]) -> None:
        """Call ``listener(values)`` once the slab ``key`` being computed is handed over (after
        the view), or ``listener(None)`` when it stops without (the view moved, an error)."""
        self._listeners.append((key, listener))

    def handed(self, key: tuple, values: tuple | None, failure: str = "") -> None:
        """The worker's: the slab ``key`` computed (``values``), or stopped (``None``); ``failure``:
        why it failed (``"not enough memory"``), empty when cancelled."""
        if values is not None:
            self._arrived(key, values)
        elif failure and self._failed is not None:
            self._failed(key, failure)
        called = [listener for k, listener in self._listeners if k == key]
        self._listeners = [(k, listener) for k, listener in self._listeners if k != key]
        for listener in called:
            listener(values)


class SlabPicture(QObject):
    """What one view draws for its thick slab, asked at each paint (:meth:`values`); calls
    ``arrived()`` on the GUI thread when the slab of the picture shown is there to draw."""

    def __init__(self, arrived: Callable[[], None], parent=None) -> None:
        super().__init__(parent)
        self._on_arrival = arrived
        self.job = SlabJob(self._arrived, self, failed=self._failed_with)
        self._timer = single_shot(self, FULL_SLAB_AFTER_MS, self._start)
        self._wanted = None   # (key, volume, frame, geom, slab) of the thin picture shown
        self._done = None     # (key, (values, inside)): the last slab computed, on its grid
        self._shown = None    # (picture, values): that slab at the pixels of the last picture
        self._coming = None   # the key of a slab computed elsewhere for this view (an export)
        self._left = None     # called once when the view leaves that slab's picture
        self._failed = None   # (key, why): the slab of the picture shown failed, not asked again

    def values(self, volume, frame: int, geom, slab) -> tuple[tuple | None, bool]:
        """``(sampled, thin)`` for a picture ``geom`` of ``volume`` with ``slab``: ``sampled``, the
        oblique slab's values computed for it (``render.slices.render_slice``'s), or ``None``
        (no slab, a plane along the voxel grid: sampled with the picture); ``thin``: draw the
        thin slice, the slab is not there yet (computed once the view is still)."""
        if not needs_slab(volume, geom, slab):
            self.job.cancel()
            self._timer.stop()
            self._wanted = self._done = self._failed = None
            return None, False
        key = slab_key(volume, frame, geom, slab)
        if self._failed is not None and self._failed[0] != key:
            self._failed = None   # another slice, thickness or mode: tried again
        if self._done is not None and self._done[0] == key:
            self._wanted = None
            return self._at(volume, geom), False
        if self._wanted is None or self._wanted[0] != key:
            self.job.cancel(unless=key)   # the view moved: that slab would be dropped
            if self._coming is not None and self._coming != key:
                self._coming, left, self._left = None, self._left, None
                if left is not None:   # and so would the one computed elsewhere: stopped now
                    left()
            self._wanted = (key, volume, frame, geom, slab)
            self._timer.start()   # counted from the last change drawn: the slab once input stops
        elif self._failed is None and not self.job.busy and not self._timer.isActive():
            self._timer.start()   # the same picture drawn again (a pane's crosshair moved)
        return None, True

    def _at(self, volume, geom) -> tuple:
        """The slab computed, at ``geom``'s pixels (kept for the next paint of the same picture:
        a window/level drag redraws it)."""
        where = (self._done[0], tuple(np.concatenate([geom.origin_ras, geom.col_ras,
                                                      geom.row_ras])), geom.width, geom.height)
        if self._shown is None or self._shown[0] != where:
            self._shown = (where, slab_at(volume, geom, self._done[1]))
        return self._shown[1]

    def computed(self, volume, frame: int, geom, slab) -> tuple | None:
        """The slab's values this view computed for the plane of ``geom``, on its grid
        (:func:`grid_of`: :func:`slab_at` draws them at ``geom``'s or any other size), else
        ``None``."""
        done = self._done
        if done is None or not needs_slab(volume, geom, slab):
            return None
        return done[1] if done[0] == slab_key(volume, frame, geom, slab) else None

    def at(self, volume, frame: int, geom, slab) -> tuple | None:
        """The slab this view computed, at the pixels of ``geom`` (a part of its picture, an
        edit's), else ``None``."""
        values = self.computed(volume, frame, geom, slab)
        return None if values is None else slab_at(volume, geom, values)

    def expect(self, key: tuple | None, left: Callable[[], None] | None = None) -> None:
        """The slab ``key`` is being computed elsewhere (an export, :meth:`take` hands it over):
        if it is the one this view waits for, the view stops computing it too; ``None``: that
        stopped (cancelled), the view computes its slab itself. ``left()``: called once if the
        view moves to another picture meanwhile (that slab is stale: the export stops it)."""
        self._coming, self._left = key, (left if key is not None else None)
        waiting = self._wanted is not None and (key is None or self._wanted[0] == key)
        if waiting and key is not None:
            self.job.cancel()
            self._timer.stop()
        elif waiting and not self.job.busy:
            self._timer.start()

    def take(self, key: tuple, values: tuple) -> None:
        """A slab computed elsewhere: drawn if it is the one this view waits for."""
        self._coming = self._left = None
        if self._wanted is not None and self._wanted[0] == key:
            self.job.cancel()
            self._timer.stop()
            self._arrived(key, values)

    def fail(self, key: tuple, why: str) -> None:
        """The slab ``key`` computed elsewhere (an export) failed: said as one this view computed
        (:meth:`failure`), not asked again for the same picture."""
        self._coming = self._left = None
        self._failed_with(key, why)

    @property
    def failure(self) -> str:
        """Why the slab of the picture last asked for (:meth:`values`) failed (``"not enough
        memory"``), else ``""``: it is not asked again until the picture changes."""
        return self._failed[1] if self._failed is not None else ""

    def thin_note(self, slab: str) -> str:
        """What a view drawing its thin slice for the slab titled ``slab`` says:
        ``"thin (MIP 10 mm soon)"``, or ``"thin (MIP 10 mm failed: not enough memory)"``."""
        return f"thin ({slab} failed: {self.failure})" if self.failure else f"thin ({slab} soon)"

    def _start(self) -> None:
        view = self.parent()   # closed (a window's close waited for its jobs): none started after
        if self._wanted is not None and self._wanted[0] != self._coming and (
                view is None or view.isVisible()) and self._failed is None:
            self.job.start(*self._wanted)

    def _failed_with(self, key: tuple, why: str) -> None:
        """The slab ``key`` could not be computed: if it is the picture's, the view says so and
        it is not asked again (it was at each repaint of the same picture), until the picture
        changes."""
        if self._wanted is not None and self._wanted[0] == key:
            self._failed = (key, why)
            self._timer.stop()
            self._on_arrival()   # drawn again: the title says why

    def _arrived(self, key: tuple, values: tuple) -> None:
        if self._wanted is not None and self._wanted[0] == key:
            self._done, self._wanted, self._failed = (key, values), None, None
            self._on_arrival()
