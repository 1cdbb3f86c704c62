"""``neuroview train`` in its own process (QProcess), its output turned into progress signals.

The window never imports torch for training: the child process does all of it, and this module
only reads the lines the train command prints (``neuroview.ai.train.fit`` and
``neuroview.ai.finetune.train_on_dataset``)::

    4 training and 1 held-out cases (split 1a2b...)
    resumed from .../blobs@1.0.0.checkpoint at epoch 1 (best held-out Dice 0.402 at epoch 1)
    epoch 2: loss 0.812  held-out Dice 0.431, 0.220  (best)  0.3 min
    held-out Dice lesion 0.455
    /home/.../models/blobs@1.0.0            <- the package folder, always the last line

Signals carry plain values only (see workers.py on PySide6 and ``Signal(object)``).
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

log = logging.getLogger(__name__)
PROGRESS_LINE = re.compile(r"^progress (\d+(?:\.\d+)?)/(\d+(?:\.\d+)?) ?(.*)$")   # cli/progress.py
EPOCH_LINE = re.compile(r"^epoch (\d+): loss (\S+)\s+held-out Dice ([0-9.,\s-]+?)(\s+\(best\))?\s+(\S+) min")
RESUMED_LINE = re.compile(r"^resumed from .*? at epoch (\d+)"
                          r"(?: \(best held-out Dice ([0-9.]+) at epoch \d+\))?\s*$")


def stop_process(process: QProcess, wait_ms: int = 5000) -> None:
    """SIGTERM (the child stops as after Ctrl+C), then SIGKILL if it is not gone in ``wait_ms``."""
    process.terminate()
    if not process.waitForFinished(wait_ms):
        process.kill()
        if not process.waitForFinished(wait_ms):   # (a process in the kernel's uninterruptible wait)
            log.warning("process %d still running %g s after SIGKILL", process.processId(),
                        wait_ms / 1000)


@dataclass
class TrainRequest:
    """What the Train dialog asks for; ``arguments()`` is the train command line after ``train``."""

    dataset: str
    name: str
    version: str
    base: str = ""            # registry reference; empty: from scratch
    epochs: int = 40
    iterations: int = 0       # 0: the command's default
    device: str = "auto"
    resume: bool = False
    keep_worse: bool = False  # with a base: saved even when no epoch beats it (--keep-worse)
    extra: list[str] = field(default_factory=list)

    def arguments(self) -> list[str]:
        args = ["train", "--dataset", self.dataset, "--out", self.name, "--version", self.version,
                "--epochs", str(self.epochs), "--device", self.device]
        if self.base:
            args += ["--base", self.base]
        if self.iterations:
            args += ["--iterations", str(self.iterations)]
        if self.resume:
            args.append("--resume")
        if self.keep_worse and self.base:
            args.append("--keep-worse")
        return args + list(self.extra)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"


def _package_root() -> str:
    """The folder holding the ``neuroview`` package this window runs from: the child process
    must run the same code (a source checkout, not another installed copy)."""
    return str(Path(__file__).resolve().parents[2])


def neuroview_process(parent=None) -> QProcess:
    """A QProcess set up to run ``python -m neuroview ...`` with this window's code and settings
    (``program``/``arguments`` from :func:`neuroview_command`)."""
    process = QProcess(parent)
    env = QProcessEnvironment.systemEnvironment()
    for key, value in os.environ.items():  # what this process was given (tests set a home)
        env.insert(key, value)
    env.insert("PYTHONPATH", os.pathsep.join(p for p in (_package_root(), os.environ.get("PYTHONPATH"))
                                             if p))
    env.insert("PYTHONUNBUFFERED", "1")
    # the child stops when this window is gone (cli/parent_watch.py): a killed window's training
    # went on unseen, writing the checkpoint the next window resumed from
    env.insert("NEUROVIEW_PARENT_PID", str(os.getpid()))
    process.setProcessEnvironment(env)
    return process


def neuroview_command(arguments: list[str]) -> tuple[str, list[str]]:
    return sys.executable, ["-m", "neuroview"] + list(arguments)


class ProgressProcess(QObject):
    """A ``neuroview`` verb in its own process with ``NEUROVIEW_PROGRESS_LINES=1``
    (``cli/progress.py``): ``progress(done, total, text)`` per progress line, ``line(text)`` per
    other line, ``finished(code, crashed)`` at the end (also after ``cancel``: ``cancelled`` says
    so), ``failed(text)`` when it cannot start. stdout and stderr are merged, or with
    ``separate_errors`` stderr's lines come as ``error_line(text)``. The Rank dialog, the Models
    dialog's *Measure* and :class:`TrainingProcess` run theirs with it."""

    progress = Signal(float, float, str)
    line = Signal(str)
    error_line = Signal(str)
    finished = Signal(int, bool)
    failed = Signal(str)

    def __init__(self, parent=None, separate_errors: bool = False) -> None:
        super().__init__(parent)
        self.process: QProcess | None = None
        self.cancelled = False
        self.separate_errors = separate_errors
        self._tails = ["", ""]   # stdout's, stderr's unfinished last line
        self._decoders = self._new_decoders()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.NotRunning

    def start(self, arguments: list[str]) -> None:
        """Run ``neuroview ARGUMENTS``."""
        if self.running:
            raise RuntimeError("the process is already running")
        process = neuroview_process(self)
        environment = process.processEnvironment()
        environment.insert("NEUROVIEW_PROGRESS_LINES", "1")
        process.setProcessEnvironment(environment)
        process.setProcessChannelMode(QProcess.SeparateChannels if self.separate_errors
                                      else QProcess.MergedChannels)
        process.readyReadStandardOutput.connect(self._read_output)
        process.readyReadStandardError.connect(self._read_errors)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        self.process, self.cancelled, self._tails = process, False, ["", ""]
        self._decoders = self._new_decoders()
        process.start(*neuroview_command(arguments))

    def cancel(self, wait_ms: int = 5000) -> None:
        """Stop it (SIGTERM, then SIGKILL) and wait until it is gone."""
        if not self.running:
            return
        self.cancelled = True
        stop_process(self.process, wait_ms)

    def _read_output(self) -> None:
        self._read(0)

    def _read_errors(self) -> None:
        self._read(1)

    @staticmethod
    def _new_decoders() -> list:
        # one per channel, incremental: a character split across two reads is kept whole
        return [codecs.getincrementaldecoder("utf-8")("replace") for _ in range(2)]

    def _read(self, channel: int, final: bool = False) -> None:
        data = self.process.readAllStandardError() if channel else self.process.readAllStandardOutput()
        self._tails[channel] += self._decoders[channel].decode(bytes(data), final)
        *lines, self._tails[channel] = self._tails[channel].replace("\r", "\n").split("\n")
        for text in lines:
            self._line(text, channel)

    def _line(self, text: str, channel: int) -> None:
        text = text.rstrip()   # indentation kept (the train command indents its figures)
        if not text.strip():
            return
        match = PROGRESS_LINE.match(text)
        if match:
            self.progress.emit(float(match.group(1)), float(match.group(2)), match.group(3))
        else:
            (self.error_line if channel else self.line).emit(text)

    def _finished(self, code: int, status) -> None:
        for channel in ((0, 1) if self.separate_errors else (0,)):   # merged: stderr is in stdout
            self._read(channel, final=True)
            if self._tails[channel]:
                self._line(self._tails[channel], channel)
                self._tails[channel] = ""
        self.finished.emit(code, status != QProcess.NormalExit)

    def _error(self, error) -> None:
        if error == QProcess.FailedToStart:
            self.failed.emit(self.process.errorString())


class TrainingProcess(QObject):
    """One training run (``neuroview train`` in a :class:`ProgressProcess`, stderr apart).
    ``started()``, ``epoch(done, total, dice, best)``, ``line(text)``, ``finished(ok, text)``: on
    success ``text`` is the package folder, on failure the last error line."""

    epoch = Signal(int, int, float, float)
    line = Signal(str)
    finished = Signal(bool, str)
    started = Signal()   # a run begins (the window clears the last run's news)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.runner = ProgressProcess(self, separate_errors=True)
        self.runner.line.connect(self._stdout_line)
        self.runner.error_line.connect(self._stderr_line)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.request: TrainRequest | None = None
        self.epochs_done = 0
        self.last_dice = float("nan")
        self.best_dice = float("nan")
        self.log: list[str] = []
        self.crashed = False
        self._last_stdout = ""
        self._last_error = ""

    @property
    def process(self) -> QProcess | None:
        return self.runner.process

    @property
    def running(self) -> bool:
        return self.runner.running

    @property
    def cancelled(self) -> bool:
        return self.runner.cancelled

    def start(self, request: TrainRequest) -> None:
        if self.running:
            raise RuntimeError("a training run is already going")
        self.request = request
        self.epochs_done, self.crashed = 0, False
        self.last_dice = self.best_dice = float("nan")
        self.log, self._last_stdout, self._last_error = [], "", ""
        self._add_line("$ neuroview " + " ".join(request.arguments()))
        self.started.emit()
        self.runner.start(request.arguments())

    def cancel(self, wait_ms: int = 5000) -> None:
        """Stop the run (SIGTERM, then SIGKILL); the last epoch's checkpoint stays on disk."""
        self.runner.cancel(wait_ms)

    # -- output ----------------------------------------------------------------------------------
    def _add_line(self, text: str) -> None:
        self.log.append(text)
        self.line.emit(text)

    def _stdout_line(self, text: str) -> None:
        self._last_stdout = text.strip()
        self._add_line(text)
        resumed = RESUMED_LINE.match(text)
        if resumed:
            self.epochs_done = int(resumed.group(1))
            if resumed.group(2):   # the checkpoint's best epoch stays the best until one beats it
                self.best_dice = float(resumed.group(2))
        match = EPOCH_LINE.match(text)
        if match:
            # "-": a label no held-out case holds (Dice not measured)
            scores = [float(v) for v in match.group(3).replace(",", " ").split() if v != "-"]
            self.epochs_done = int(match.group(1))
            self.last_dice = sum(scores) / len(scores) if scores else float("nan")
            if match.group(4):  # the train command marks the epoch it keeps
                self.best_dice = self.last_dice
            total = self.request.epochs if self.request else self.epochs_done
            self.epoch.emit(self.epochs_done, total, self.last_dice, self.best_dice)

    def _stderr_line(self, text: str) -> None:
        self._add_line(text)
        # neuroview's own one-line errors win over warnings printed later; else the last line
        # (a traceback ends with the exception).
        if text.startswith("neuroview: ") or not self._last_error.startswith("neuroview: "):
            self._last_error = text.strip()

    def _finished(self, code: int, crashed: bool) -> None:
        if self.cancelled:
            self.finished.emit(False, "cancelled")
        elif not crashed and code == 0 and self._last_stdout:
            self.finished.emit(True, self._last_stdout)
        elif crashed:
            # killed (out of memory, a task manager) or crashed: its "exit code" is the signal's
            # number, which read as the train command's own answer ("ended with exit code 9")
            self.crashed = True
            self.finished.emit(False, "the training process was killed or crashed"
                               + (f" (its last error line: {self._last_error})" if self._last_error else ""))
        else:
            reason = self._last_error or f"the training process ended with exit code {code}"
            self.finished.emit(False, reason)

    def _failed(self, reason: str) -> None:
        text = f"cannot start the training process ({reason})"
        self._add_line(text)
        self.finished.emit(False, text)
