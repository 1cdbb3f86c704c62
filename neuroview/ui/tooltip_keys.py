"""Tool bar buttons name their keys in their tooltips (``Navigate (N, F1)``), as 3D Slicer's and
ITK-SNAP's tool bars do, so the keys are learnt where the mouse user looks: the menus show them
beside each command, the tool bars showed the command's name alone."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from .plain_text import plain_tooltip


def keys_text(action) -> str:
    """The action's keys as the menus and *Help > Keyboard shortcuts* write them ("" for none)."""
    return ", ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts())


def name_keys_in_tooltips(tool_bar) -> None:
    """Add each of ``tool_bar``'s actions' keys to its tooltip, once (its own tooltip kept)."""
    for action in tool_bar.actions():
        keys = keys_text(action)
        tip = action.toolTip()
        if keys and not tip.endswith(f"({keys})"):
            action.setToolTip(plain_tooltip(f"{tip} ({keys})"))
