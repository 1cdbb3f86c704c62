"""A slice view's thick slab (Slicer's *Slab reconstruction*, a PACS viewer's MIP/MinIP/average):
its thickness in mm (0: the thin slice) and how the slab's voxels are combined. Drawn by
:mod:`neuroview.render.slab`; the labels, the pointer's value and the tools stay on the thin
slice at the slab's centre."""

from __future__ import annotations

from dataclasses import dataclass

SLAB_MODES = {"max": "MIP", "min": "MinIP", "mean": "Mean"}
"""Mode -> the name the view's title and the Display panel show."""
MAX_THICKNESS_MM = 200.0
"""The thickest slab the Slab row and ``neuroview snapshot --slab`` take."""


@dataclass(frozen=True)
class Slab:
    thickness_mm: float = 0.0
    mode: str = "max"

    def __post_init__(self) -> None:
        if self.mode not in SLAB_MODES:
            raise ValueError(f"slab mode must be one of {tuple(SLAB_MODES)}, got {self.mode!r}")
        if not self.thickness_mm >= 0:
            raise ValueError(f"slab thickness must be 0 mm or more, got {self.thickness_mm}")

    @property
    def on(self) -> bool:
        return self.thickness_mm > 0

    def title(self) -> str:
        """``"MIP 10 mm"`` (what the view's title says beside its name), ``""`` when off."""
        return f"{SLAB_MODES[self.mode]} {self.thickness_mm:g} mm" if self.on else ""
