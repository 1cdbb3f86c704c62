from . import qt_workarounds  # noqa: F401  (PySide6 6.12.0's emit over-releases True; see there)
