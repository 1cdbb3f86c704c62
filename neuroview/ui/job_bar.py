"""The status bar's part for background jobs: what runs, its progress and Cancel.

A job reports ``(done, total, text)``; total 0 means the amount of work is not known yet (a stage
before the first patch of a model) and shows a busy bar. Cancel asks every running job to stop at
its next check; a model's step under way (brain extraction, a network pass) finishes first, which
takes seconds on a loaded CPU, so the bar says the Cancel was heard until the jobs have stopped.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

CANCELLING = "Cancelling (the step under way finishes first)..."


class JobBar:
    def __init__(self, status_bar, runner) -> None:
        self.runner = runner
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.text = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancelling = False
        for widget in self.widgets:
            status_bar.addPermanentWidget(widget)
            widget.hide()
        runner.started.connect(self.started)
        runner.progress.connect(self.report)
        runner.finished.connect(self.finished)

    @property
    def widgets(self):
        return (self.text, self.progress, self.cancel_button)

    def cancel(self) -> None:
        self.runner.cancel_all()
        self.cancelling = True
        self.cancel_button.setEnabled(False)
        self.text.setText(CANCELLING)

    def started(self, job) -> None:
        self.cancelling = False
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.text.setText(job.label)
        for widget in self.widgets:
            widget.show()

    def report(self, done: float, total: float, text: str) -> None:
        self.progress.setRange(0, 1000 if total > 0 else 0)   # total 0: unknown, a busy bar
        self.progress.setValue(int(1000 * done / total) if total > 0 else 0)
        if text and not self.cancelling:
            self.text.setText(text)

    def finished(self, job) -> None:
        if not self.runner.busy:
            self.cancelling = False
            self.cancel_button.setEnabled(True)
            for widget in self.widgets:
                widget.hide()
