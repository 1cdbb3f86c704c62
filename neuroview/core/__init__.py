"""Qt-, torch- and VTK-free heart of neuroview: volumes, geometry, label maps, editing, undo."""

from .errors import NeuroviewError
from .volume import Volume

__all__ = ["NeuroviewError", "Volume"]
