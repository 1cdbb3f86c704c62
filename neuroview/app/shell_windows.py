"""Each b-value of a DWI at its own window/level, as a PACS shows a diffusion series' b=0 and
b=1000 images each at its own window: stepping from a volume of one b-value to one of another
keeps the window left on the first for its b-value and shows the second at the window last left
on its b-value, else at its own automatic window (``view_presets.auto_window_level`` of that
volume). The volumes of one b-value (a shell's directions) and a run's time points share one
window, so they compare at one contrast, as before.

A DWI's b=0 volume sets the opening window: its b=1000 volumes, a third of its signal or less,
were drawn black or nearly so at it until session 49."""

from __future__ import annotations

from .frames import frame_volume
from .view_presets import auto_window_level


def b_value_of(volume, frame: int) -> float | None:
    """Volume ``frame``'s b-value (a DWI's ``bvals``: its ``.bval``, or its DICOM headers');
    None for a run or a 3D image."""
    values = str((volume.source_metadata or {}).get("bvals", "")).split()
    if volume.n_frames < 2 or len(values) != volume.n_frames:
        return None
    try:
        return float(values[frame])
    except (ValueError, IndexError):
        return None


def step_window(volume, state, frame: int) -> None:
    """Before ``state`` shows time point ``frame`` of ``volume``: another b-value's window (see
    the module's text), the one on screen kept for its own b-value."""
    window = shell_window(volume, state.frame, frame, (state.window, state.level),
                          state.shell_windows, auto_window_level)
    if window is not None:
        state.set_window_level(*window)


def shell_window(volume, shown: int, frame: int, window: tuple[float, float],
                 kept: dict, automatic) -> tuple[float, float] | None:
    """The window to draw volume ``frame`` at when stepping from volume ``shown``, drawn at
    ``window``: None for the same b-value (or a run), else the one ``kept`` holds for the new
    b-value, else ``automatic(frame_volume(volume, frame))``; ``window`` is kept for the b-value
    left. The main window's views, an overlay series (``fusion.FusionLayer``) and each pane of
    the compare view step this way: until session 50 an overlay and the compare view drew a DWI's
    b=1000 volumes at the window of its b=0 volume, nearly black."""
    old, new = b_value_of(volume, shown), b_value_of(volume, frame)
    if old is None or new is None or old == new:
        return None
    kept[old] = tuple(window)
    return kept.get(new) or tuple(automatic(frame_volume(volume, frame)))
