"""What a :class:`~neuroview.app.session.Session` tells its subscribers after a change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..core.undo import Box, Step


@dataclass
class EditEvent:
    """What a subscriber is told after the label map or segment table changed."""

    kind: str
    """``stroke`` (during a drag), ``commit``, ``undo``, ``redo``, ``preview``, ``restore``."""
    box: Optional[Box]
    """Voxel box ``(lo, hi)`` of the label map that changed (``None``: no voxels changed)."""
    segments_changed: bool = False
    step: Optional[Step] = None
