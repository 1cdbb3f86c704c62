"""The time point of a 4D image that the user looks at, as the 3D image the tools take.

The slice views draw one time point (``ViewerState.frame``); the 3D view, the AI (Segment, AI
click), the window/level presets and the statistics use that same one, as napari's and Slicer's
tools act on the frame the sequence slider shows. The workspace key stays that of time point 1
(the image's identity, whatever frame is shown when a stroke is saved).
"""

from __future__ import annotations

import dataclasses

from ..io.echoes import echo_words
from ..io.nifti_frames import one_volume_metadata


def frame_volume(volume, frame: int = 0):
    """``volume``'s time point (or channel) ``frame`` (0-based) as a 3D Volume sharing its memory;
    a 3D volume is returned as it is."""
    if volume is None or volume.array.ndim == 3:
        return volume
    frame = min(max(int(frame), 0), volume.n_frames - 1)
    array = volume.frame(frame)
    outside = volume.outside_scan   # its time point's padding: left out of the statistics
    if outside is not None and outside.found_in(volume.array):
        outside = outside.of_frame(frame, array)
    return dataclasses.replace(volume, array=array, axis4="", outside_scan=outside,
                               warnings=list(volume.warnings))


def time_point_text(volume, frame: int = 0) -> str:
    """``"time point 3 of 20"`` for a 4D image (counted from 1, as the window shows it), with
    :func:`frame_value` when the file tells one (``"time point 3 of 20, t = 4 s"``, a DWI's
    ``"volume 2 of 7, b = 1000"``), else ``""``."""
    if volume is None or volume.n_frames < 2:
        return ""
    frame = min(max(int(frame), 0), volume.n_frames - 1)
    value = frame_value(volume, frame)
    return f"{step_name(volume).lower()} {frame + 1} of {volume.n_frames}" + (f", {value}" if value else "")


def image_part_text(volume, frame: int = 0) -> str:
    """Which image of its series the figures read on screen are of: a 4D image's time point
    (:func:`time_point_text`), or a multi-echo series' echo (``"echo 2, TE 10 ms"``,
    ``io.echoes``: each echo is a series of its own, as dcm2niix writes it); ``""``."""
    return time_point_text(volume, frame) or (
        echo_words(volume.source_metadata) if volume is not None else "")


def view_caption(volume, frame: int, caption: str) -> str:
    """A slice view's lower-left ``caption`` (``S: 20.5 mm``), on a 4D image with the time point
    shown a line above it (``volume 2 of 4, b = 1000``), as a PACS viewer's corner names a
    diffusion image's b-value, and on an echo of a multi-echo series its echo and TE
    (:func:`image_part_text`): a view, and its exported picture, with a rectangle's figures said
    no time point until session 50 (the figures are of the time point shown), no echo until 51."""
    when = image_part_text(volume, frame)
    return f"{when}\n{caption}" if when else caption


def step_name(volume) -> str:
    """What one step along a 4D image's 4th axis is called, in the Display panel's row, the
    notice and the *View* menu: ``"Volume"`` for a DWI (its ``.bval`` gives each a b-value),
    ``"Channel"`` of a colour image, ``"Component"`` of a vector field, else ``"Time point"``
    (an fMRI or perfusion run, a DICOM time series)."""
    axis = getattr(volume, "axis4", "")
    if axis in ("channel", "component"):
        return axis.capitalize()
    if volume is not None and volume.n_frames > 1 and frame_value(volume, 0).startswith("b ="):
        return "Volume"
    return "Time point"


def box_suffix(volume, frame: int) -> str:
    """What the Display panel's *Time point* (a DWI's *Volume*) box shows after the number of the time point
    ``frame`` (0-based): ``" of 20"``, with :func:`frame_value` beside it when the file tells one
    (``" of 20, t = 4 s"``, a DWI's ``" of 7, b = 1000"``), as the notice names it; a colour
    image's channels and a vector field's components have no time."""
    if volume is None:
        return " of 1"
    value = "" if volume.axis4 in ("channel", "component") else frame_value(volume, frame)
    return f" of {volume.n_frames}" + (f", {value}" if value else "")


def frame_value(volume, frame: int) -> str:
    """What the file says of time point ``frame`` (0-based) of a 4D image: a DWI volume's
    b-value (``"b = 1000"``, from the ``.bval`` beside a NIfTI) or a run's time from its start
    (``"t = 4 s"``, the header's time between volumes); ``""`` when it says nothing."""
    meta = volume.source_metadata or {}
    bvals = str(meta.get("bvals", "")).split()
    if len(bvals) == volume.n_frames:
        return f"b = {bvals[frame]}"
    seconds = frame_seconds(volume, frame)
    return "" if seconds is None else f"t = {round(seconds, 3):g} s"


def frame_seconds(volume, frame: int) -> float | None:
    """Time point ``frame``'s (0-based) time from the run's start in seconds: a DICOM run's own
    where its volumes are unevenly spaced (``frame_times_s``: a perfusion run sampled every second
    through the bolus, every 3 s after it; until session 51 the average step gave them), else by
    the header's time between volumes; ``None`` where it gives none (or the 4th axis holds
    b-values)."""
    meta = volume.source_metadata or {}
    if len(str(meta.get("bvals", "")).split()) == volume.n_frames:
        return None
    times = str(meta.get("frame_times_s", "")).split()
    if len(times) == volume.n_frames:
        return float(times[frame])
    try:
        step = float(meta.get("frame_interval_s", 0))
    except (TypeError, ValueError):
        return None
    return step * frame if step > 0 else None


CHANNEL_NAMES = {3: ("red", "green", "blue"), 4: ("red", "green", "blue", "alpha")}


FRAME_NOTES = ("4D image:", "Colour image:", "Multi-channel image:", "Vector field with")
"""How :func:`frame_note`'s notes begin (the window rewords that line of its notice)."""


def frame_note(volume, frame: int) -> str:
    """The window's notice for an image with a 4th axis: which time point it shows, or for a
    colour (RGB) or multi-channel image which channel; ``""`` for a 3D image."""
    n = volume.n_frames
    if n < 2:
        return ""
    if volume.axis4 == "component":
        return (f"Vector field with {n} components (a 5D NIfTI, e.g. a displacement field): the "
                f"views show component {frame + 1} of {n}; Alt+Right / Alt+Left or Component in "
                "the Display panel choose another.")
    if volume.axis4 == "channel":
        names = CHANNEL_NAMES.get(n, ())
        name = f" ({names[frame]})" if frame < len(names) else ""
        return (f"{'Colour' if names else 'Multi-channel'} image: the views show channel "
                f"{frame + 1} of {n}{name}; Alt+Right / Alt+Left or Channel in the Display panel "
                "choose another.")
    return (f"4D image: showing {time_point_text(volume, frame)} (the slice views, 3D view and AI "
            f"use it); Alt+Right / Alt+Left or {step_name(volume)} in the Display panel choose another.")


def pick_time_point(volume, frame: int | None, source: str = ""):
    """``(3D volume, note)`` for the command line's ``--frame N`` (1-based, as the window counts).

    A 4D image without ``--frame`` gives time point 1 and a one-line note saying so (the window's
    notice bar says the same); ``--frame`` on a 3D image other than 1, or past the last time point,
    is refused in one line naming the file. A 4D image of channels (a multi-channel NRRD) keeps its
    channels: they are one time point's inputs, not time points."""
    from ..core.errors import NeuroviewError

    name = source or volume.source_path or volume.description or "image"
    n = volume.n_frames if volume.axis4 != "channel" else 1
    kind = (f"vector field of {n} components" if volume.axis4 == "component"
            else f"4D image of {n} time points")
    if frame is not None and not 1 <= frame <= n:
        what = "a 3D image (one time point)" if n == 1 else f"a {kind}"
        raise NeuroviewError(f"{name}: --frame {frame} is out of range: it is {what}")
    if n == 1:
        return volume, ""
    index = 0 if frame is None else frame - 1
    used = "component 1" if volume.axis4 == "component" else "time point 1"
    note = "" if frame is not None else (f"{name}: {kind}: used {used} "
                                         "(choose another with --frame N)")
    picked = frame_volume(volume, index)
    one = one_volume_metadata(volume.source_metadata or {}, index, volume.n_frames)
    if one and volume.axis4 == "time":   # a DWI volume: its own b-value and direction
        picked = dataclasses.replace(picked, source_metadata={**picked.source_metadata, **one})
    return picked, note


def label_time_points(labels, volume=None) -> list[int]:
    """The time points (1-based, ascending) the segments of ``labels`` were drawn on
    (``Segment.time_points``), those past ``volume``'s last left out; ``[]`` when none is recorded
    (a 3D image, labels loaded from another program's file)."""
    last = volume.n_frames if volume is not None else None
    return sorted({t for s in labels.segments for t in s.time_points if last is None or t <= last})


def points_text(points) -> str:
    """``"time point 5"``, ``"time points 2 and 5"``, ``"time points 1, 2 and 5"``."""
    names = [str(p) for p in points]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"time point{'s' * (len(names) > 1)} {listed}"


def labels_frame(volume, labels, shown: int, again: str = "send again") -> int:
    """The time point (0-based) of the 4D image ``volume`` whose image goes with ``labels`` into a
    training set: the one they were drawn on, whatever is shown; drawn on several, the one shown
    when it is one of them, else a ``NeuroviewError`` naming them (the labels are one 3D mask shown
    on every time point: which image it belongs to is the user's to say, then ``again``); none
    recorded, ``shown``. A DICOM SEG refers to, and Save to PACS sends it for, the same one."""
    from ..core.errors import NeuroviewError

    points = label_time_points(labels, volume)
    if not points or shown + 1 in points:
        return shown
    if len(points) == 1:
        return points[0] - 1
    raise NeuroviewError(f"the labels were drawn on {points_text(points)} of this 4D image (one 3D "
                         "mask shown on every time point): show the one whose image they belong to "
                         f"(Alt+Right / Alt+Left) and {again}")
