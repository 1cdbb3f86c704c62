"""The annotators' editing sessions behind a DICOM SEG (``core.segment_work``), kept in the SEG.

*Save labels* keeps them in the label file's sidecar; a SEG (*Save labels as DICOM SEG*, *Save to
PACS*) carried none until session 48, so a case handed on through the PACS lost everyone's time.
DICOM has no standard attribute for a person's editing time: ContentCreatorName holds one name
(the reader), OperatorsName names without times, and ContributingEquipmentSequence describes
equipment. The entries go in a private block of the SEG's top level (PS3.5 7.8), creator
``NEUROVIEW WORK`` in group 0071, a sequence (0071,xx10) with one item per editing session,
each item naming the same creator: annotator (xx01, UT), session token (xx02, LO), editing
seconds (xx03, FD) and edits by hand (xx04, UL). Other programs pass over private elements;
pydicom reads them back under any transfer syntax (the creator's VRs are registered, so an
implicit-VR copy from a PACS reads as written), and ``load_seg`` gives every segment the entries,
as a sidecar's rows all name them.
"""

from __future__ import annotations

from ..core.segment_work import checked_work

GROUP = 0x0071
CREATOR = "NEUROVIEW WORK"
SEQUENCE, ANNOTATOR, SESSION, SECONDS, EDITS = 0x10, 0x01, 0x02, 0x03, 0x04
_VRS = {SEQUENCE: ("SQ", "Editing sessions"), ANNOTATOR: ("UT", "Annotator"),
        SESSION: ("LO", "Editing session"), SECONDS: ("FD", "Editing seconds"),
        EDITS: ("UL", "Edits by hand")}


def _register() -> None:
    """The creator's elements in pydicom's private dictionary (their VRs for an implicit-VR file)."""
    from pydicom.datadict import add_private_dict_entries

    add_private_dict_entries(CREATOR, {(GROUP << 16) | 0x1000 | element: (vr, "1", name, "")
                                       for element, (vr, name) in _VRS.items()})


def write_work(dataset, entries) -> None:
    """Put ``entries`` (``core.segment_work`` entries) into ``dataset``, a SEG being written."""
    from pydicom import Dataset

    entries = checked_work(entries)
    if not entries:
        return
    items = []
    for entry in entries:
        item = Dataset()
        block = item.private_block(GROUP, CREATOR, create=True)
        block.add_new(ANNOTATOR, "UT", entry["annotator"])
        block.add_new(SESSION, "LO", entry["session"])
        block.add_new(SECONDS, "FD", float(entry["editing_seconds"]))
        block.add_new(EDITS, "UL", int(entry["hand_edits"]))
        items.append(item)
    dataset.private_block(GROUP, CREATOR, create=True).add_new(SEQUENCE, "SQ", items)


def read_work(dataset) -> tuple[dict, ...]:
    """The entries :func:`write_work` put into ``dataset`` (a pydicom dataset or highdicom's
    Segmentation); none for a SEG without them, and an unreadable item is left out."""
    _register()
    try:
        items = list(dataset.private_block(GROUP, CREATOR)[SEQUENCE].value)
    except (KeyError, TypeError, ValueError):
        return ()
    found = []
    for item in items:
        try:
            block = item.private_block(GROUP, CREATOR)
            found.append({"annotator": str(block[ANNOTATOR].value), "session": str(block[SESSION].value),
                          "editing_seconds": block[SECONDS].value, "hand_edits": block[EDITS].value})
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return checked_work(found)
