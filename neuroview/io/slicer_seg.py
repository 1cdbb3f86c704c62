"""3D Slicer's segmentation NRRD (``.seg.nrrd``): the segments its header names.

Slicer writes a segmentation as a NRRD whose header lists each segment in custom fields:
``Segment0_Name``, ``Segment0_Color`` (three floats 0-1), ``Segment0_LabelValue`` and
``Segment0_Layer`` (Slicer 4.11 and later; older files give one layer per segment, value 1).
Read as a plain NRRD the label values came in as ``Segment 1``, ``Segment 2``: the names and
colours the user gave in Slicer were lost. Overlapping segments are kept in layers (a 4D file);
those cannot become one label map, and :func:`layers_problem` says so.
"""

from __future__ import annotations

import re
from typing import Optional

_FIELD = re.compile(r"^segment(\d+)_(\w+)$", re.IGNORECASE)


def slicer_segments(header: dict) -> list[dict]:
    """``[{"value", "name", "color", "layer"}]`` of each segment the header names, in its order;
    ``[]`` for a NRRD that is not a Slicer segmentation. A colour or value that does not parse
    falls back (no colour: ``None``; no label value: 1, each segment on its own layer)."""
    fields: dict[int, dict[str, str]] = {}
    for key, value in header.items():
        match = _FIELD.match(str(key))
        if match:
            fields.setdefault(int(match.group(1)), {})[match.group(2).lower()] = str(value).strip()
    segments = []
    for index in sorted(fields):
        given = fields[index]
        if "name" not in given and "id" not in given:
            continue
        value = _int(given.get("labelvalue"))
        layer = _int(given.get("layer"))
        segments.append({"value": value if value is not None and value > 0 else 1,
                         "name": given.get("name") or given.get("id") or f"Segment {index + 1}",
                         "color": _color(given.get("color")),
                         "layer": layer if layer is not None else (0 if value else index)})
    return segments


def layers_problem(segments: list[dict]) -> Optional[str]:
    """The line for a segmentation whose segments lie on more than one layer (they overlap in
    Slicer), ``None`` when they share one."""
    layers = {s["layer"] for s in segments}
    if len(layers) <= 1:
        return None
    return (f"a 3D Slicer segmentation with overlapping segments ({len(layers)} layers); one label "
            "map holds one segment per voxel: in Slicer, export it as a labelmap (Segmentations > "
            "Export to files, or Export visible segments to binary labelmap) and load that")


def _int(text: Optional[str]) -> Optional[int]:
    try:
        return int(float(text)) if text is not None else None
    except ValueError:
        return None


def _color(text: Optional[str]) -> Optional[tuple[int, int, int]]:
    try:
        parts = [float(x) for x in (text or "").split()]
    except ValueError:
        return None
    if len(parts) != 3 or not all(0.0 <= x <= 1.0 for x in parts):
        return None
    return tuple(int(round(255 * x)) for x in parts)
