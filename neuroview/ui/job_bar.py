"""The status bar's part for background jobs: what runs, its progress and Cancel.

The bar shows one job at a time: the newest one still running that the user started, else a
panel's count (:meth:`JobBar.watch`); when it ends, the newest of those left, in that order. A
job reports ``(done, total, text)``; total 0 means the amount of work is not known yet (a stage
before the first patch of a model) and shows a busy bar, as does a job until its first
report (one that never reports, *Send to training set*, stood at 0 % until it ended). Cancel asks
the job shown, and only it, to stop at its next check (until session 27 it stopped every running
job: a Cancel meant for a restore stopped a model run started before it too); a model's step under way (brain
extraction, a network pass) finishes first, which takes seconds on a loaded CPU, so the bar says
the Cancel was heard until that job has stopped.

A panel's own runner (the Lesions list's count after each edit) is :meth:`JobBar.watch`-ed: its
job shows on the bar only once it has run ``after_ms`` (a count of a few lesions does not flash the
status bar at every stroke; a long one gets Cancel), and only while no job the user started (the
main runner's: a model run, a save, a restore) runs: those keep the bar, so Cancel and Esc stop
what the user started, not a count an edit set off meanwhile (until session 43 the newer count
took the bar and Esc cancelled it while the model ran on). The count says how far it got in its
own panel (``lesions_panel.counting_line``: until session 44 a recount said nothing while the
bar was held), and comes to the bar when the user's job ends.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressBar, QPushButton

from .plain_text import plain_label

CANCELLING = "Cancelling (the step under way finishes first)..."
WATCHED_AFTER_MS = 500
"""A watched runner's job shows on the bar once it has run this long (:meth:`JobBar.watch`)."""


class JobBar:
    def __init__(self, status_bar, runner) -> None:
        self.runner = runner
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.text = plain_label()   # "Checking the label values of NAME": a file's name
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancelling = False
        self.shown = None
        """The job the bar shows (its words, its progress, what Cancel stops)."""
        self.listed: list = []
        """The jobs the bar may show, oldest first (a watched runner's once they ran long enough)."""
        self.background: set = set()
        """The listed jobs of watched runners: shown only while no other listed job runs."""
        for widget in self.widgets:
            status_bar.addPermanentWidget(widget)
            widget.hide()
        runner.started.connect(self.started)
        runner.job_progress.connect(self.report)
        runner.finished.connect(self.finished)

    def watch(self, runner, after_ms: int = WATCHED_AFTER_MS) -> None:
        """Show the jobs of another ``runner`` too, each once it has run ``after_ms``."""
        def started(job) -> None:
            QTimer.singleShot(after_ms, self.cancel_button,
                              lambda: None if job.finished else self._background_started(job))

        runner.started.connect(started)
        runner.job_progress.connect(self.report)
        runner.finished.connect(self.finished)

    @property
    def widgets(self):
        return (self.text, self.progress, self.cancel_button)

    def cancel(self) -> None:
        """Cancel the job shown (the others go on)."""
        if self.shown is None:
            return
        self.shown.cancel()
        self.cancelling = True
        self.cancel_button.setEnabled(False)
        self.text.setText(CANCELLING)

    def started(self, job) -> None:
        # busy until the job's first report: one that never reports (Send to training set) stood
        # at 0 % until it ended
        self.listed.append(job)
        self._show(job, busy=True)

    def _background_started(self, job) -> None:
        self.listed.append(job)
        self.background.add(job)
        if self.shown is None or self.shown in self.background:
            self._show(job, busy=True)

    def _show(self, job, busy: bool = False) -> None:
        """Show ``job``, just started or left running when the job shown ended (``busy``: how far
        it got is known at its next report)."""
        self.shown = job
        self.cancelling = job.cancel_token.cancelled
        self.cancel_button.setEnabled(not self.cancelling)
        self.progress.setRange(0, 0 if busy else 1000)
        self.progress.setValue(0)
        self.text.setText(CANCELLING if self.cancelling else job.label)
        for widget in self.widgets:
            widget.show()

    def report(self, job, done: float, total: float, text: str) -> None:
        if job is not self.shown:   # another job's progress: not what the bar shows
            return
        self.progress.setRange(0, 1000 if total > 0 else 0)   # total 0: unknown, a busy bar
        self.progress.setValue(int(1000 * done / total) if total > 0 else 0)
        if text and not self.cancelling:
            self.text.setText(text)

    def finished(self, job) -> None:
        if job in self.listed:
            self.listed.remove(job)
        self.background.discard(job)
        if job is not self.shown and self.shown is not None and not self.shown.finished:
            return
        running = [other for other in self.listed if not other.finished]
        running.sort(key=lambda other: other not in self.background)   # stable: user's jobs last
        if running:   # the newest of those left, the user's first; its progress at its next report
            self._show(running[-1], busy=True)
            return
        self.shown = None
        self.cancelling = False
        self.cancel_button.setEnabled(True)
        for widget in self.widgets:
            widget.hide()
