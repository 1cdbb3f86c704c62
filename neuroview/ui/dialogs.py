"""Dialogs: choosing one image series when a folder holds several."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
)

from ..app.error_paths import short_error
from ..core.plural import plural
from .plain_text import plain_label
from .qt_guard import guard_overrides
from .screen_room import TITLE_BAR

SCREEN_SHARE = 0.8
"""The chooser grows to show every series, up to this share of the screen's height."""

RESAMPLE_TEXT = ("Resample onto an even grid (one volume; every acquired slice within half a "
                 "slice step of a grid slice, values between slices interpolated)")
SPLIT_TEXT = "Split into evenly spaced series (no voxel interpolated; one series per even run)"


@guard_overrides
class SeriesChooserDialog(QDialog):
    """Lists scan candidates (description, size, spacing, orientation; for DICOM the study and
    acquisition time) with their warnings.

    When a series has unevenly spaced slices and ``split_result`` (the same paths scanned with
    ``DicomOptions(uneven="split")``) is given, two buttons choose how it is opened: resampled
    onto an even grid (``result``) or split into its evenly spaced runs; the list shows the
    series of the choice. The split is chosen first with ``split_first`` (as ``info`` and
    ``convert`` do by default when the grid would be mostly interpolated), else the grid.
    ``modalities`` (candidate key -> ``CT (from its values)``, found by the scan's worker) names
    the modality of a file that names none, as ``neuroview info`` lists it. ``shown``: the key of
    the series on screen, marked ``(on screen)`` and chosen first; ``ignored``: the files skipped
    as not images, in one line above the heading (``2 files skipped: not images (report.pdf,
    notes.txt)``).
    """

    def __init__(self, result, parent=None, split_result=None, split_first=False,
                 modalities=None, shown=None, ignored: str = "") -> None:
        super().__init__(parent)
        self.shown, self.ignored = shown, ignored
        self.modalities = modalities or {}
        """key -> what to call a series whose file names no modality (``guessed_modality``)."""
        self.setWindowTitle("Choose a series")
        self.resample_result, self.split_result = result, split_result
        self.listed = result
        layout = QVBoxLayout(self)
        self.heading = plain_label()
        self.heading.setWordWrap(True)  # a left-out file's path is long
        layout.addWidget(self.heading)
        self.list = QListWidget()
        self.list.setWordWrap(True)  # long warnings wrap instead of scrolling sideways
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        self.resample_button = self.split_button = None
        if split_result is not None and any(c.uneven_slices for c in result.candidates):
            layout.addWidget(QLabel("Unevenly spaced slices:"))
            self.resample_button = QRadioButton(RESAMPLE_TEXT)
            self.split_button = QRadioButton(SPLIT_TEXT)
            group = QButtonGroup(self)
            for button in (self.resample_button, self.split_button):
                group.addButton(button)
                layout.addWidget(button)
            (self.split_button if split_first else self.resample_button).setChecked(True)
            self.split_button.toggled.connect(self._show_choice)
        buttons = QDialogButtonBox(QDialogButtonBox.Open | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill(split_result if self.split_button is not None and split_first else result)
        self.resize(720, 360)
        self.fitted = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.fitted:   # laid out now: its rows' heights are those on screen
            self.fitted = True
            self._fit()

    def _fit(self, least: int = 360) -> None:
        """As tall as its series' rows want, within :data:`SCREEN_SHARE` of the screen's height (at
        least ``least``, where the screen has that), moved up where it would end below the screen:
        at 720 x 360 it showed four of the 48 series of pydicom's test folder, or of a study's 7
        with their warnings, and the rest had to be scrolled to on a screen with room for them."""
        self.layout().activate()
        self.list.doItemsLayout()   # the rows as wrapped at this width (sizeHintForRow: unwrapped)
        count = self.list.count()
        rows = self.list.visualItemRect(self.list.item(count - 1)).bottom() + 1 if count else 0
        wanted = self.height() - self.list.viewport().height() + rows + self.list.verticalScrollBar().value()
        screen = self.screen()
        if screen is None:
            return
        room = screen.availableGeometry()
        height = room.height() - TITLE_BAR
        self.resize(self.width(), min(max(min(wanted, int(SCREEN_SHARE * height)), least), height))
        below = self.frameGeometry().bottom() - room.bottom()
        if below > 0:
            self.move(self.x(), max(room.top(), self.y() - below))

    def _show_choice(self, split: bool) -> None:
        self._fill(self.split_result if split else self.resample_result)

    def _fill(self, result) -> None:
        self.listed = result
        self.list.clear()
        heading = f"{len(result.candidates)} image series found; choose one to open:"
        patients = {c.patient_of[1] for c in result.candidates if c.patient_of}
        if patients:   # two patients' studies in one folder: their series said whose, by number
            heading = (f"{len(result.candidates)} image series of {max(patients)} different "
                       "patients found (patient 1, 2... under each); choose one to open:")
        left_out = result.left_out()   # why a series may be a slice short, before choosing it
        if left_out:
            more = f" (and {len(left_out) - 1} more)" if len(left_out) > 1 else ""
            heading = f"{plural(len(left_out), 'file')} left out: {short_error(left_out[0])}{more}\n{heading}"
        if self.ignored:
            heading = f"{self.ignored}.\n{heading}"
        self.heading.setText(heading)
        keys = [c.key for c in result.candidates]
        best = result.candidates[keys.index(self.shown)] if self.shown in keys else result.best()
        for candidate in result.candidates:
            text = candidate.describe(self.modalities.get(candidate.key, ""))
            if candidate.key == self.shown:
                text += "  (on screen)"
            if candidate.origin():  # the study and time tell apart series of one number and name
                text += f"\n    {candidate.origin()}"
            if candidate.warnings:
                text += "\n    warning: " + "\n    warning: ".join(candidate.warnings)
            item = QListWidgetItem(text)
            self.list.addItem(item)
            if candidate is best:
                self.list.setCurrentItem(item)

    def chosen(self):
        row = self.list.currentRow()
        return self.listed.candidates[row] if row >= 0 else None
