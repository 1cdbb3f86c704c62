"""The application's logic without widgets: the Session (scripting API and GUI commands).

Names are imported lazily so that importing a sibling module of ``neuroview.app`` stays light.
"""

from __future__ import annotations

__all__ = ["EditEvent", "Preview", "Session"]


def __getattr__(name: str):
    if name in __all__:
        from . import session

        return getattr(session, name)
    raise AttributeError(f"module 'neuroview.app' has no attribute {name!r}")
