"""The ``segments`` argument of ``Session.apply_model_result``, in every form it takes."""

from __future__ import annotations

from typing import Optional

from ..core.errors import ToolError


def model_segments(segments, colors: Optional[dict] = None) -> tuple[dict[int, str], Optional[dict]]:
    """``{model value: name}`` and the colours, from ``{1: "lesion"}``, a list of names for values
    1, 2, ..., or ``segment_volume``'s list of ``(value, name, (r, g, b))`` (its colours are used
    where ``colors`` names none). Until session 41 such a list was taken as names: the segments
    were named by the tuples, and the first Ctrl+Z over them failed ("segment 1's name is not
    text"). A name that is not text is refused in one line naming it."""
    if isinstance(segments, dict):
        named = dict(segments)
    else:
        segments = list(segments)
        if segments and all(isinstance(s, (tuple, list)) and len(s) == 3 for s in segments):
            named = {int(value): name for value, name, _color in segments}
            colors = {**{int(value): tuple(color) for value, _name, color in segments},
                      **(colors or {})}
        else:
            named = {i + 1: name for i, name in enumerate(segments)}
    for value, name in named.items():
        if not isinstance(name, str) or not name.strip():
            raise ToolError(f"segments: the name of model value {value} must be text, got "
                            f"{name!r} (give {{value: name}}, a list of names, or segment_volume's "
                            f"(value, name, colour) list)")
    return named, colors
