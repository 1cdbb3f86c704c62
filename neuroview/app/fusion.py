"""A second series of the same study drawn in colour over the one on screen (*View > Overlay
series...*): FLAIR over T1, post-contrast over pre-contrast, as Slicer's foreground volume and
ITK-SNAP's additional images.

The overlay keeps its own grid: the slice views sample it at each screen pixel's RAS point
(:mod:`neuroview.render.fusion`), as they sample a label map on another grid, so an oblique or
coarser series lies where its voxels are in the patient, with no resampled copy in memory. Series
of one DICOM frame of reference share their patient coordinates (:mod:`.same_anatomy`); another
frame of reference (another session, a NIfTI) is refused unless the user says they are aligned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core import geometry
from .same_anatomy import frame_of_reference

OPACITY_STEP = 0.1
"""What one press of the opacity keys adds or takes off."""


@dataclass
class FusionLayer:
    """The overlay series and how the slice views draw it (``render.fusion.draw_fusion``)."""

    volume: object
    """The overlay's :class:`~neuroview.core.volume.Volume`."""
    window: float
    level: float
    opacity: float = 0.5
    visible: bool = True
    colours: str = "hot"
    """The colour scale (``render.fusion.COLOUR_SCALES``): hot, or grey."""
    frame: int = 0
    """The time point drawn (0-based) of a 4D overlay (an fMRI run, a DWI's volumes)."""
    shell_windows: dict = field(default_factory=dict)
    """A DWI overlay's window and level left on each b-value (``app.shell_windows``)."""

    @classmethod
    def for_volume(cls, volume, opacity: float = 0.5) -> "FusionLayer":
        """The overlay at its automatic window (:func:`automatic_window`)."""
        return cls(volume, *automatic_window(volume), float(opacity))

    def auto_window(self) -> tuple[float, float]:
        """The automatic window of the time point drawn (the Display panel's *Auto*; a 4D
        overlay's first was read, a DWI's b=0 volume, whichever b-value was drawn)."""
        from .frames import frame_volume

        self.window, self.level = automatic_window(frame_volume(self.volume, self.frame))
        return self.window, self.level

    @property
    def array(self) -> np.ndarray:
        return self.volume.frame(self.frame)

    def set_frame(self, frame: int) -> int:
        """Draw time point ``frame`` (0-based), held to the overlay's; returns it. A DWI's volume
        of another b-value at that b-value's window, as the main window steps its image
        (:func:`.shell_windows.shell_window`)."""
        from .shell_windows import shell_window

        frame = int(min(max(int(frame), 0), self.volume.n_frames - 1))
        window = shell_window(self.volume, self.frame, frame, (self.window, self.level),
                              self.shell_windows, automatic_window)
        if window is not None:
            self.window, self.level = window
        self.frame = frame
        return self.frame

    @property
    def ijk_to_ras(self) -> np.ndarray:
        return np.asarray(self.volume.ijk_to_ras, float)

    def set_opacity(self, opacity: float) -> float:
        """Clamp to 0..1, keep and return it."""
        self.opacity = float(min(max(opacity, 0.0), 1.0))
        return self.opacity

    def value_at(self, p_ras) -> float | None:
        """The overlay's value at its voxel nearest to ``p_ras`` (the status bar), ``None`` outside."""
        ijk = geometry.nearest_voxel(np.linalg.inv(self.ijk_to_ras), self.volume.shape, p_ras)
        return None if ijk is None else float(np.asarray(self.array[ijk]).item())

    @property
    def name(self) -> str:
        import os

        path = self.volume.source_path or ""
        return self.volume.description or os.path.basename(path.rstrip(os.sep)) or "overlay"


def automatic_window(volume) -> tuple[float, float]:
    """An overlay's window and level: a CT's as it would open on its own, else percentiles of
    its first time point's voxels inside the body (``view_presets.body_window_level``; the
    header's window, chosen for grey, drew most of a FLAIR white-hot, as did the whole image's
    percentiles)."""
    from .view_presets import body_window_level, is_ct, opening_window_level

    window, level = opening_window_level(volume) if is_ct(volume) \
        else body_window_level(volume.frame(0))
    return float(window), float(level)


def lies_apart(shown, other) -> bool:
    """No voxel of ``other`` lies over ``shown``: the box of ``other``'s voxels, in ``shown``'s
    voxel indices, misses ``shown``'s on some axis (an image laid with *Overlay anyway* whose
    header puts it in another space, a NIfTI in voxel coordinates)."""
    to_shown = np.linalg.inv(np.asarray(shown.ijk_to_ras, float)) @ np.asarray(other.ijk_to_ras, float)
    ijk = geometry.corners_ras(other.shape, to_shown)
    spread = np.abs(to_shown[:3, :3]).sum(axis=1) / 2   # the corner voxels' half extent
    low, high = ijk.min(axis=0) - spread, ijk.max(axis=0) + spread
    return bool(np.any(high < -0.5) or np.any(low > np.array(shown.shape[:3]) - 0.5))


def frame_mismatch(shown, other) -> str:
    """Why ``other`` cannot be trusted to lie over ``shown`` in patient space: empty when both
    name one DICOM frame of reference, else a line saying which is missing or different."""
    mine, theirs = frame_of_reference(shown), frame_of_reference(other)
    if mine and mine == theirs:
        return ""
    if not theirs:
        return ("names no DICOM frame of reference (a NIfTI, a series without one): it lies "
                "right only if it was saved in the same space as the image under it")
    if not mine:   # the overlay is a DICOM series, the image under it a NIfTI or a MetaImage
        return ("lies over an image that names no DICOM frame of reference (a NIfTI, a MetaImage): "
                "it lies right only if that image was saved in the same space as this series")
    return ("is of another frame of reference than the image under it (another session or "
            "scanner): its coordinates are not the same patient space unless registered")
