"""A training run cut short by the window's end (killed, or closed by a crash, while *AI > Train
model...* ran), said once when a window opens again, as a *Send to training set* cut short is
(``send_marker``).

The run is a child process that stops with its window (``cli/parent_watch``); the checkpoint of
its last finished epoch stays beside the package it was making, and *Resume* continues it. But
nothing said so on reopening (session 33's walk: the Train dialog read "no run yet" beside an
epoch-1 checkpoint). :func:`mark_run` marks the models folder for the length of a run
(:data:`PREFIX` ``REF.json``, hidden from the registry: the model, when it started, its epochs and
the window's process); the window removes the mark when the run ends (finished, cancelled,
failed: the dialog says those); :func:`cut_short_runs` reads the marks a dead window left,
removes them, and says what was kept. No Qt, no torch.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Optional

from ..core.atomic import write_text_atomic
from ..core.jsonfile import read_json
from .shown_time import shown_time

PREFIX = ".training-"
"""A run's mark in the models folder: ``.training-NAME@VERSION.json`` (hidden: not a package)."""


def checkpoint_dir(models_dir: Path, ref: str) -> Path:
    """Where ``neuroview train`` keeps the checkpoint of ``ref`` (name@version)."""
    return Path(models_dir) / f"{ref}.checkpoint"


def checkpoint_epoch(models_dir: Path, ref: str) -> int:
    """The last epoch saved in the checkpoint of ``ref`` (0: none)."""
    try:
        return int(read_json(checkpoint_dir(models_dir, ref) / "state.json")["epoch"])
    except (OSError, ValueError, KeyError, TypeError, OverflowError):   # 1e999: OverflowError
        return 0


def checkpoint_plan(models_dir: Path, ref: str) -> Optional[tuple[int, int]]:
    """``(epochs, batches per epoch)`` of the run that wrote the checkpoint of ``ref``; ``None``
    when it does not say (written before session 43, or unreadable)."""
    try:
        plan = read_json(checkpoint_dir(models_dir, ref) / "state.json")["history"]["plan"]
        return int(plan["epochs"]), int(plan["iterations"])
    except (OSError, ValueError, KeyError, TypeError, OverflowError):
        return None


def trained_epoch(folder: Path) -> int:
    """The best trained epoch the checkpoint in ``folder`` keeps beside its base while none of its
    epochs beat it (``--resume --keep-worse`` saves it); 0: none kept, or an epoch beat the base."""
    try:
        history = read_json(Path(folder) / "state.json")["history"]
        if "trained_best" in history:   # --dataset and --synthetic (ai/train.fit)
            return int(history["trained_best"]["epoch"]) if history.get("best_epoch") == 0 else 0
        best, trained = history.get("best", {}), history.get("trained", {})   # --interactive
        return int(trained.get("epoch", 0)) if best.get("epoch") == 0 else 0
    except (OSError, ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return 0


def started_from(folder: Path) -> Optional[str]:
    """The base (``name@version``) the checkpoint in ``folder`` started from, ``""`` from scratch;
    ``None`` when it does not say (written before session 38, or unreadable)."""
    record = started_record(folder)
    return None if record is None else record["ref"]


def started_record(folder: Path) -> Optional[dict]:
    """The checkpoint's record of its base: ``{"ref": name@version}`` (``""`` from scratch) and,
    when ``--base`` named a package folder, ``"given"``: that folder; ``None`` when it does not
    say (written before session 38, or unreadable)."""
    try:
        base = read_json(Path(folder) / "state.json")["base"]
        given = base.get("given")
        return {"ref": str(base["ref"]), **({"given": given} if isinstance(given, str) else {})}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _mark(models_dir: Path, ref: str) -> Path:
    return Path(models_dir) / f"{PREFIX}{ref}.json"


def mark_run(models_dir: Path, ref: str, epochs: int) -> None:
    """A run of ``ref`` (``epochs`` in all) starts in this window. A models folder that cannot
    be written is the run's to report: the run goes on unmarked."""
    import psutil

    from ..dataset.provenance import now_iso

    with contextlib.suppress(OSError):
        os.makedirs(models_dir, exist_ok=True)
        write_text_atomic(_mark(models_dir, ref), json.dumps({
            "ref": ref, "started": now_iso(), "epochs": int(epochs), "pid": os.getpid(),
            "pid_started": psutil.Process().create_time()}))


def clear_run(models_dir: Path, ref: str) -> None:
    """The run of ``ref`` ended in this window (which said how)."""
    with contextlib.suppress(OSError):
        _mark(models_dir, ref).unlink()


def _window_alive(pid, started) -> bool:
    """The window that marked the run still runs (its run is not cut short: another window's)."""
    import psutil

    try:
        return abs(psutil.Process(int(pid)).create_time() - float(started)) <= 1.0
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True
    except (TypeError, ValueError, OverflowError):
        return False


def cut_short_runs(models_dir: Path, now: Optional[datetime] = None) -> list[tuple[str, str]]:
    """``(ref, line)`` for each run whose window ended while it ran (its mark removed): the
    checkpoint kept and its epoch, and that *Resume* continues it; runs of windows still open are
    theirs. When it started is said in local time (``now``: the clock, :func:`.shown_time`)."""
    lines = []
    try:
        marks = sorted(Path(models_dir).glob(f"{PREFIX}*.json"))
    except OSError:
        return lines
    for mark in marks:
        try:
            data = read_json(mark)
            ref, started, epochs = str(data["ref"]), str(data["started"]), int(data["epochs"])
            if mark.name != _mark(models_dir, ref).name:   # a mark names its own run: 100,000
                raise ValueError("another run's ref")        # characters or a path are damage
        except (OSError, ValueError, KeyError, TypeError, OverflowError):
            with contextlib.suppress(OSError):
                mark.unlink()
            continue
        if _window_alive(data.get("pid"), data.get("pid_started")):
            continue
        head = f"Training {ref} (started {shown_time(started, now)}) was cut short when its window closed"
        kept = checkpoint_epoch(models_dir, ref)
        if not kept and (Path(models_dir) / ref / "model.json").is_file():   # its last step done
            lines.append((ref, f"Training {ref} finished as its window closed: it is in AI > Models..."))
        elif kept:
            lines.append((ref, f"{head}: the checkpoint of epoch {kept} of {epochs} is kept; AI > "
                               f"Train model... with name {ref.split('@')[0]}, version "
                               f"{ref.split('@')[-1]} and Resume ticked continues it."))
        else:
            lines.append((ref, f"{head} before its first epoch ended: no checkpoint was kept "
                               "(Start begins again)."))
        with contextlib.suppress(OSError):
            mark.unlink()
    return lines
