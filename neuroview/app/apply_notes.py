"""What a one-shot tool's *Apply* changed, in one line for the status bar.

Islands, Smoothing, Margin and Threshold said nothing after a successful *Apply*; a user had to
read the voxel counts to learn whether anything happened. :func:`apply_note` reads the step's
diff (old and new values of each changed voxel) and says it:
``Islands: kept the largest, removed 3 (0.4 mL).``
"""

from __future__ import annotations

import numpy as np

ISLAND_WORDS = {"keep_largest": "kept the largest, removed {n}", "remove_small": "removed {n} small ones",
                "keep_selected": "kept the island clicked, removed {n}",
                "remove_selected": "removed the island clicked"}


def _voxels(count: int) -> str:
    return f"{count:,} voxel{'' if count == 1 else 's'}"


def _ml(voxels: int, voxel_ml: float) -> str:
    ml = voxels * voxel_ml
    return f"{ml:.2f} mL" if ml < 0.1 else f"{ml:.1f} mL"


def _removed_islands(diff, value: int, connectivity: int, made=()) -> int:
    """How many islands of ``value`` the step removed (``made``: the new segments a split moved
    islands to, not removed): removed islands are whole connected components of the segment, so
    they are the components of the removed voxels."""
    import cc3d

    removed = np.zeros(diff.shape, dtype=bool)
    removed[diff.mask()] = (diff.old == value) & (diff.new != value) & ~np.isin(diff.new, made)
    return int(cc3d.connected_components(removed, connectivity=connectivity).max())


def apply_note(tool: str, params, step, value: int, name: str, voxel_ml: float) -> str:
    """The status line after ``tool`` (with its ``params``) committed ``step`` on segment
    ``value`` called ``name``; ``voxel_ml``: one voxel's volume."""
    diff = step.diff if step is not None else None
    if diff is None:
        return f"{tool.capitalize()}: nothing changed."
    gained = int(np.count_nonzero((diff.new == value) & (diff.old != value)))
    lost = int(np.count_nonzero((diff.old == value) & (diff.new != value)))
    if tool == "islands":
        if params.operation == "split":
            before = [segment["value"] for segment in step.segments_before or ()]
            made = np.setdiff1d(diff.new[diff.old == value], [0, *before])
            moved = int(np.count_nonzero((diff.old == value) & np.isin(diff.new, made)))
            note = (f"Islands: split '{name}' into {1 + made.size} segments ({_voxels(moved)} moved "
                    f"to {made.size} new segment{'' if made.size == 1 else 's'}")
            small = _removed_islands(diff, value, params.connectivity, made)
            return note + (f"; removed {small} small ones, {_voxels(lost - moved)})." if small else ").")
        islands = _removed_islands(diff, value, params.connectivity)
        return (f"Islands: {ISLAND_WORDS[params.operation].format(n=islands)} "
                f"({_voxels(lost)}, {_ml(lost, voxel_ml)}) from '{name}'.")
    if tool == "smoothing":
        what = f"Smoothing ({params.method}, {params.kernel_mm:g} mm)"
    elif tool == "margin":
        what = f"Margin {params.margin_mm:+g} mm"
    elif tool == "threshold":
        low = "-inf" if params.low is None else f"{params.low:g}"
        high = "+inf" if params.high is None else f"{params.high:g}"
        what = f"Threshold {low} to {high}"
    else:
        what = tool.capitalize()
    net = gained - lost
    sign = "+" if net >= 0 else "-"
    return (f"{what}: '{name}' gained {_voxels(gained)}, lost {_voxels(lost)} "
            f"({sign}{_ml(abs(net), voxel_ml)}).")


def masked_paint_note(params, tool: str = "paint") -> str:
    """Why a paint stroke (a fill click) changed nothing when its intensity range is on
    (``params``: the tool's), else "": it painted nothing without a word, the range set minutes
    before by *Use for masking* and forgotten."""
    low, high = params.intensity_low, params.intensity_high
    if low is None and high is None:
        return ""
    span = (f"from {low:g} to {high:g}" if low is not None and high is not None
            else f"from {low:g} up" if low is not None else f"up to {high:g}")
    done, where = ("filled", "the voxel clicked is outside that range") if tool == "fill" else ("painted", "")
    return (f"Nothing {done}: {tool.capitalize()} changes only voxels {span}"
            + (f", and {where}" if where else "")
            + " (its Only intensity options; Threshold's Use for masking sets them); untick them "
            f"to {tool} everywhere.")
