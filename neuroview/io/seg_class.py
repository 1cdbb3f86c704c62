"""A DICOM SEG whose SOP Class UID is not a SEG's (a byte of it damaged, a converter's slip) while
its Modality says SEG and its content is a SEG's (a Segment Sequence and a Segmentation Type): it
reads as a SEG, with a note naming the file and the class it gives, where highdicom refused it
("Dataset is not a Segmentation") although the window took it for a SEG by its Modality."""

from __future__ import annotations

import os
import warnings

from ..core.errors import shown_uid
from ..core.stoppable import stoppable

SEG_SOP_CLASS_UID = "1.2.840.10008.5.1.4.1.1.66.4"


def _misclassed(ds) -> bool:
    """``ds`` is a SEG by its Modality and content, not by its SOP class."""
    return (str(ds.get("SOPClassUID", "")) != SEG_SOP_CLASS_UID and str(ds.get("Modality", "")) == "SEG"
            and "SegmentSequence" in ds and "SegmentationType" in ds)


def _note(path, ds) -> str:
    return (f"{os.path.basename(path)}: its SOP Class UID ({shown_uid(ds.get('SOPClassUID', ''))}) is not a "
            "DICOM SEG's; read as a SEG by its content (Modality SEG, its segments).")


def seg_class_note(path: str | os.PathLike) -> str:
    """The note for a SEG read by its content although its SOP class is not a SEG's ("" for a
    SEG of SEG's class, or a file that is no SEG); its header only is read."""
    import pydicom

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # pydicom's notes on odd values
            ds = pydicom.dcmread(path, stop_before_pixels=True,
                                 specific_tags=["SOPClassUID", "Modality", "SegmentationType",
                                                "SegmentSequence"])
            return _note(path, ds) if _misclassed(ds) else ""
    except Exception:   # unreadable: load_seg says why
        return ""


def read_segmentation(path: str):
    """highdicom's Segmentation of the file at ``path`` (``hd.seg.segread``), also for a SEG of
    another SOP class by its content (:func:`seg_class_note`): read as of SEG's class. Stopped at
    once when the read's caller is gone (``core.stoppable``: one call of seconds for a CT's SEG)."""
    import highdicom as hd
    import pydicom

    with stoppable():
        ds = pydicom.dcmread(path)
        if _misclassed(ds):
            ds.SOPClassUID = SEG_SOP_CLASS_UID
        return hd.seg.Segmentation.from_dataset(ds, copy=False)
