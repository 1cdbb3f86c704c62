"""What a stopped ``neuroview train`` (Ctrl+C, or SIGTERM: the window's Cancel) says it kept:
the checkpoint of its last finished epoch and the command that goes on from it, and, while none
of a fine-tune's epochs has beaten its base, the command that saves its best trained epoch
(``--resume --keep-worse``). It said only ``neuroview: interrupted``."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..app.train_marker import checkpoint_epoch, trained_epoch


def kept_note(package: Path, since: float, resumed: bool, command: Callable[..., str],
              no_more: str) -> str:
    """The lines for the run writing ``package`` stopped, begun at ``since`` (``time.time()``).
    ``command(*flags)``: the command as typed with those added (``""``: unknown); ``no_more``: the
    flag that trains no further epoch (``--epochs={}``, the epoch kept filled in)."""
    folder = package.with_name(package.name + ".checkpoint")
    epoch = checkpoint_epoch(folder.parent, package.name)
    try:
        written = (folder / "state.safetensors").stat().st_mtime >= since
    except OSError:
        written = False
    if not epoch or not (written or resumed):   # an earlier run's, not this one's
        return "note: no epoch had finished: no checkpoint was kept"
    # the commands on lines of their own, to be copied
    note = (f"note: the checkpoint of epoch {epoch} is kept in {folder}; to go on from it:\n"
            f"  {command('--resume') or 'the same command with --resume'}")
    trained = trained_epoch(folder)
    if trained:   # the run had not ended: --resume --keep-worse alone trains its other epochs first
        stop = no_more.format(epoch)
        note += (f"\nno epoch has beaten the base so far; to save its best trained epoch, {trained}, "
                 "without training again:\n  " + (command("--resume", "--keep-worse", stop) or
                                                   f"the same command with --resume --keep-worse {stop}"))
    return note
