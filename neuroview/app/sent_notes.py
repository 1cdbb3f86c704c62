"""What the status bar adds to *Added to the training set ... as nv_0002* (``sent_notes``): the
segments sent, grouped by who or what made them, in the segment list's words::

    model: lesion Dice 0.912 + AI click; loaded from a file: edema + drawn; AI click: cyst; drawn: scar

(until session 28 a segment loaded from a file was left out of it; one refined with AI click
had been listed as made with AI click).
"""

from __future__ import annotations

from ..core.segment_work import duration

GROUPS = ("model", "loaded from a file", "adjudicated", "AI click", "drawn")


def _corrections(segment) -> list[str]:
    """``+ drawn`` / ``+ AI click`` where the record says so, ``by hand: unknown`` / ``AI click:
    unknown`` where it cannot know (``None``: a model's mask given to ``dataset add`` with no
    segment table)."""
    words = {True: ("+ drawn", "+ AI click"), None: ("(by hand: unknown)", "(AI click: unknown)")}
    return [words[flag][i] for i, flag in enumerate((segment.hand_edited, segment.ai_click))
            if flag is None or flag]


def _group_and_item(segment, clicked: set) -> tuple[str, str]:
    """The group of one sent segment (``dataset.provenance.SegmentComparison``) and its words."""
    extras = []
    if segment.source == "model":
        group = "model"
        extras = ([f"Dice {segment.dice:.3f}"] if segment.dice is not None else [])
        extras += _corrections(segment)
    elif segment.source in ("loaded", "adjudicated"):   # (an adjudicated one was "drawn")
        group = "loaded from a file" if segment.source == "loaded" else "adjudicated"
        extras = _corrections(segment)
    elif segment.source != "drawn" or segment.name in clicked:
        group = "AI click"
        extras = ["+ drawn"] * (segment.source == "drawn+interactive")
    else:
        group = "drawn"
    return group, " ".join([segment.name, *extras])


def sent_notes(record) -> list[str]:
    """One note per origin of the segments of the case ``record`` (a ``CaseRecord``) that hold
    voxels (a model's segment with a Dice too, even emptied), in :data:`GROUPS` order, or that
    nothing is labelled."""
    clicked = set((record.interaction or {}).get("segments", {}))
    grouped: dict[str, list[str]] = {group: [] for group in GROUPS}
    for segment in record.segments:
        if segment.final_voxels or (segment.source == "model" and segment.dice is not None):
            group, item = _group_and_item(segment, clicked)
            grouped[group].append(item)
    notes = [f"{group}: {', '.join(items)}" for group, items in grouped.items() if items]
    if not any(s.final_voxels for s in record.segments):   # it said only "Added ... as nv_0002"
        notes.append("no voxel labelled: a case with nothing to find, as a case without lesions is")
    others = [p for p in record.annotators or () if p.get("annotator") != record.annotator]
    if others:   # a hand-off: whose saved work the case holds besides the sender's
        notes.append("with the work of " + ", ".join(
            f"{p.get('annotator') or 'an unnamed annotator'} ({duration(p.get('editing_seconds') or 0)} "
            f"editing)" for p in others))
    return notes


__all__ = ["GROUPS", "sent_notes"]
