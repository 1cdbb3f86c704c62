"""*Open follow-up* fills in the study on screen: as the baseline, or as the follow-up when its DICOM
StudyDate is later than the other study's (the usual case: the current study is read, and the prior
is added to compare with), and a line at the top of the dialog says which. Until session 39 every
field started empty. Its lesion mask comes with it when a file holds the labels on screen as they
are (loaded or saved, unchanged since); labels with changes in no file are said, not filled in:
until session 40 the mask field stayed empty, and the model made a new mask in place of the one the
reader had corrected. With *Masks from files made by* left blank, the report says who made such a
mask, as the segment list's *From* column does (the report said "Lesion masks: not stated" until
session 40), naming no file (:func:`on_screen_masks`). The line names the study by what a
radiologist reads on it, its modality, DICOM description and date (``(MR, "Brain MS", dated
2024-03-05)``), never by its file or folder: until session 44 it named the folder, which a PACS
export may name after the patient."""

from __future__ import annotations

import os
from dataclasses import replace

from ..app.followup_names import readable_description
from ..core.extent import without_context
from .followup_cached import CachedPrior
from .path_edit import local_path
from .plain_text import plain_label
from .study_dates import StudyDates

PAIRS = {"baseline": ("baseline", "baseline_labels"), "followup": ("followup", "followup_labels")}
STUDY_WORDS = {"baseline": "baseline's", "followup": "follow-up's"}


def _day(date: str) -> str:
    return f"{date[:4]}-{date[4:6]}-{date[6:]}" if date else ""


def study_words(modality: str, description: str, date: str) -> str:
    """``(MR, "Brain MS", dated 2024-03-05)`` from what is known of a study (``date``: DICOM's
    ``YYYYMMDD``); ``""`` when nothing is (a NIfTI without a modality)."""
    description = readable_description(description)   # Neuro^Head: Neuro Head
    said = [modality.strip(), f'"{description}"' if description else "",
            f"dated {_day(date)}" if date else ""]
    said = [word for word in said if word]
    return f" ({', '.join(said)})" if said else ""


class OnScreenStudy:
    """Keeps the study on screen (``path``, its StudyDate ``date``, ``""`` if none) in the
    baseline or the follow-up field of ``dialog`` (an ``OpenFollowupDialog``) by the dates."""

    def __init__(self, dialog, path: str, date: str, labels: str = "", unsaved: bool = False,
                 made_by: str = "", words: str = "") -> None:
        """``labels``: the file that holds the labels on screen, filled in as the study's lesion
        mask, its segments made by ``made_by`` (:func:`labels_made_by`); ``unsaved``: the labels
        on screen are in no file (said, not filled in); ``words``: the study as the line names it
        (:func:`study_words`)."""
        self.dialog, self.path, self.date, self.words = dialog, path, date, words
        self.labels, self.unsaved, self.made_by = labels, unsaved, made_by
        self.cached = None   # the other study, found in the PACS cache (followup_cached.CachedPrior)
        self.dates = StudyDates(self.place, dialog)   # read off the GUI thread as a path is typed
        self.note = plain_label()
        self.note.setWordWrap(True)
        dialog.form.insertRow(0, self.note)
        here = self.where()   # already in a field: the studies chosen last, restored
        if here is None:
            here = "baseline"
            dialog.edits["baseline_labels"].setText("")
            dialog.show_path("baseline", path)   # a series of the PACS cache by its name
        if labels:   # the file that holds the labels on screen now
            dialog.edits[PAIRS[here][1]].setText(labels)
        for key in PAIRS:
            dialog.edits[key].textChanged.connect(self.place)
        self.place()

    def where(self) -> str | None:
        for key in PAIRS:
            if self.dialog.address(key) == self.path:
                return key
        return None

    def masks_by(self) -> str:
        """Who made the lesion masks, as the window knows it: the labels on screen, where one of
        the study's mask fields holds their file (else ""); other masks from files: not stated."""
        edits = self.dialog.edits
        here = self.where()
        if not self.labels or here is None or self.dialog.address(PAIRS[here][1]) != self.labels:
            return ""
        others = [key for key, edit in edits.items() if key.endswith("_labels") and edit.text()
                  and local_path(edit.text()) != self.labels]
        return on_screen_masks(here, self.made_by, bool(others))

    def settle(self) -> None:
        """The dialog's OK: placed by the other study's date, read now if it has not arrived."""
        here = self.where()
        if here is not None:
            other = "followup" if here == "baseline" else "baseline"
            self.dates.date_now(self.dialog.address(other))
            self.place()

    def place(self) -> None:
        """Move the study on screen to the field its date calls for, and say where it is. The
        other study's date is looked up off the GUI thread: until it arrives (this is called
        again then), the study stays where it is."""
        edits = self.dialog.edits
        here = self.where()
        if here is None:   # the user replaced it: nothing to say, and its mask goes with it
            for key in PAIRS:
                mask = edits[PAIRS[key][1]]
                if self.labels and local_path(mask.text()) == self.labels:
                    mask.setText("")
            self.note.setText("")
            self.note.setVisible(False)
            return
        other = "followup" if here == "baseline" else "baseline"
        other_date = self.dates.date(self.dialog.address(other)) or ""
        if self.date and other_date and (self.date > other_date) != (here == "followup"):
            for a, b in zip(PAIRS[here], PAIRS[other]):   # the image and its mask swap fields
                text_a, text_b = edits[a].text(), edits[b].text()
                for edit, text in ((edits[a], text_b), (edits[b], text_a)):
                    edit.blockSignals(True)
                    edit.setText(text)
                    edit.blockSignals(False)
            here, other = other, here
            self.dialog.show_names()   # a PACS series' name goes with it
        study = f"The study on screen{self.words}"
        if here == "followup" and not (self.date and other_date):   # as chosen last (no dates)
            text = f"{study} is the follow-up, as chosen."
        elif here == "followup":
            text = (f"{study} is filled in as the follow-up: it is later than the baseline "
                    f"({_day(other_date)}).")
        elif not self.date:
            text = f"{study} is filled in as the baseline (it states no study date to order it by)."
        else:
            text = (f"{study} is filled in as the baseline; it moves to the follow-up when the "
                    "other study is older (by their DICOM study dates).")
        if self.labels and local_path(edits[PAIRS[here][1]].text()) == self.labels:
            text += f" Its lesion mask is the labels on screen, {os.path.basename(self.labels)}."
        elif self.unsaved and not edits[PAIRS[here][1]].text():
            text += (" The labels on screen have changes that are in no file: save them (File > Save "
                     "labels...) and choose that file as its lesion mask, or the model below makes one.")
        if self.cached is not None and self.dialog.address(other) == self.cached.folder:
            text += self.cached.words(other, here == "baseline")
        self.note.setText(text)
        self.note.setVisible(True)


def prefill(dialog, window) -> OnScreenStudy | None:
    """Fill in the study ``window`` shows, if it came from a file or folder."""
    controller = getattr(window, "controller", None)
    volume = None if controller is None else controller.volume
    if volume is None or not volume.source_path:
        return None
    date = str(volume.source_metadata.get("StudyDate", "") or "").strip()
    editor = getattr(window, "editor", None)
    case = None if editor is None else editor.case
    labels = case.file_of_labels() if case is not None and case.volume is volume else ""
    unsaved = not labels and case is not None and case.volume is volume and bool(
        without_context(case.labels).any())
    date = date if len(date) == 8 and date.isdigit() else ""
    metadata = volume.source_metadata
    words = study_words(str(metadata.get("Modality") or volume.modality or ""),
                        str(metadata.get("StudyDescription") or metadata.get("SeriesDescription") or ""),
                        date)
    on_screen = OnScreenStudy(dialog, volume.source_path, date, labels, unsaved,
                              labels_made_by(case.session) if labels else "", words)
    here = on_screen.where()
    if here is not None and not dialog.edits["followup" if here == "baseline" else "baseline"].text():
        CachedPrior(dialog, on_screen, metadata)   # the patient's other study retrieved before, if cached
    return on_screen


def on_screen_masks(here: str, made_by: str, others: bool) -> str:
    """The report's *Lesion masks* when the mask of study ``here`` (``baseline``, ``followup``)
    holds the labels on screen, its segments made by ``made_by`` (:func:`labels_made_by`);
    ``others``: other masks from files are given. The file is named by its study, not its name:
    a report leaves the machine, and a PACS export may name a file after the patient (until
    session 45: ``Doe^Jane_labels.nii.gz (baseline) holds ...``)."""
    words = (f"the {STUDY_WORDS[here]} lesion mask holds the labels shown in neuroview, segments "
             f"{made_by or 'of unknown origin'}")
    return words + ("; other masks from files: not stated" if others else "")


def labels_made_by(session) -> str:
    """Each segment holding voxels with who or what made it, as the segment list's *From*
    tooltip says it, a file by its kind alone (:func:`on_screen_masks`): ``lesion
    (lesionseg@2.5.1 + drawn), edema (drawn), ms (file + drawn)``."""
    counts = session.voxel_counts()
    return ", ".join(f"{segment.name} ({replace(segment, file='').made_by})"
                     for segment in session.segments if counts.get(segment.name))
