"""StudyDates of the paths typed into *Open follow-up*'s fields, read off the GUI thread: finding
one walks the typed folder (:func:`~neuroview.io.dicom.study_date.study_date`), 30-150 ms on the
GUI thread at each key for a folder of 20,000 files (session 41). One lookup runs at a time; a
path typed further meanwhile is looked up next, those typed in between never."""

from __future__ import annotations

import threading
from typing import Callable

from PySide6.QtCore import QObject, Signal

from ..core.thread_errors import when_failed
from ..io.dicom.study_date import study_date


class StudyDates(QObject):
    """``date(path)``: the date known, else None while it is looked up; ``on_found`` is called
    (on the GUI thread) when a date arrives."""

    found = Signal(str, str)

    def __init__(self, on_found: Callable[[], None], parent=None) -> None:
        super().__init__(parent)
        self.on_found = on_found
        self.dates: dict[str, str] = {}
        self._wanted: str | None = None
        self._running = False
        self.found.connect(self._arrived)   # queued: emitted by the lookup's thread

    def date(self, path: str) -> str | None:
        if "://" in path:   # a PACS series: the date its browser gave (:meth:`known`)
            return self.dates.get(path, "")
        if not path:
            return ""
        if path in self.dates:
            return self.dates[path]
        self._wanted = path
        if not self._running:
            self._start(path)
        return None

    def known(self, path: str, date: str) -> None:
        """The date of ``path`` is ``date``, as another told it (a series picked on a PACS, not
        retrieved yet: the study on screen stayed the baseline beside an older prior until
        session 50, and the comparison was refused as 'older than the baseline')."""
        self.dates[path] = date

    def date_now(self, path: str) -> str:
        """The date of ``path``, read here when it is not known yet (the dialog's OK: once)."""
        known = self.date(path)
        if known is None:
            known = self.dates[path] = study_date(path)
        return known

    def _start(self, path: str) -> None:
        self._running = True
        thread = threading.Thread(target=self._look_up, args=(path,), name="study date", daemon=True)
        when_failed(thread, lambda _error: self._tell(path, ""))   # the lookup ends: date unknown
        thread.start()

    def _look_up(self, path: str) -> None:
        self._tell(path, study_date(path))

    def _tell(self, path: str, date: str) -> None:
        try:
            self.found.emit(path, date)
        except RuntimeError:   # the dialog was closed and deleted meanwhile
            pass

    def _arrived(self, path: str, date: str) -> None:
        self._running = False
        self.dates[path] = date
        if self._wanted is not None and self._wanted not in self.dates:
            self._start(self._wanted)   # typed further meanwhile
        if path == self._wanted:
            self.on_found()
