"""File > Open follow-up...: the dialog that picks the studies (files, folders, or a series on a
PACS through the PACS... buttons: ``pacs://SERVER/STUDY_UID/SERIES_UID``), each with its lesion
mask, the registration (rigid or affine) and the thresholds, and the comparison off the GUI
thread that opens the follow-up window (:mod:`neuroview.ui.followup_window`)."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from ..app.error_paths import short_error
from ..app.followup_chosen import (
    chosen_last,
    paths_key,
    remember_chosen,
    remember_marks,
    saved_marks,
    studies_key,
    study_key,
)
from ..app.followup_lesions import MatchThresholds
from ..app.followup_marks import Marks
from ..app.viewer_recent import in_pacs_cache
from ..core.plural import plural
from ..io.pacs_cached import cached_series
from .followup_prefill import prefill
from .model_choice import run_anyway_offered
from .path_edit import PathEdit, local_path
from .plain_text import plain_label, plain_tooltip
from .screen_room import resize_within_screen
from .threshold_box import threshold_box


class OpenFollowupDialog(QDialog):
    """Pick the baseline and one or more later studies, each with its lesion mask."""

    FIELDS = (("baseline", "Baseline image"), ("baseline_labels", "Baseline lesion mask"),
              ("followup", "Follow-up image"), ("followup_labels", "Follow-up lesion mask"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open follow-up")
        self.form = QFormLayout(self)
        self.main_window = parent
        self.pacs_dialog = None
        self.on_screen = None   # the study on screen filled in (followup_prefill.OnScreenStudy)
        self.edits: dict[str, QLineEdit] = {}
        self.pacs_buttons: dict[str, QPushButton] = {}
        self.image_keys: list[str] = []           # the fields of images (a PACS series' too)
        # a series' name shown in a field -> its address: a pacs:// URI or a PACS cache folder
        self.shown_as: dict[str, str] = {}
        for key, text in self.FIELDS:
            self._add_field(key, text)
        self.later_count = 1
        self.add_button = QPushButton("Add follow-up")
        self.add_button.clicked.connect(self.add_followup)
        self.form.addRow(self.add_button)
        self.brain_threshold = QCheckBox("Images are skull-stripped: brain masks by threshold")
        self.form.addRow(self.brain_threshold)
        self.extract_brain = QCheckBox("Extract the brain (deepbet) for registration and brain volume")
        self.extract_brain.setChecked(True)
        self.extract_brain.setToolTip("Whole heads: the brain of each study is extracted first "
                                      "(a few seconds each); unticked, no brain volume change")
        self.form.addRow(self.extract_brain)
        # a threshold of skull-stripped images replaces extraction: both stood ticked, unsaid which
        self.brain_threshold.toggled.connect(lambda on: self.extract_brain.setEnabled(not on))
        self.model = QLineEdit("lesionseg")
        self.model.setToolTip("A lesion mask left empty is made by this model (not corrected)")
        self.form.addRow("Model for empty masks", self.model)
        self.masks_by = QLineEdit()
        self.masks_by.setPlaceholderText("e.g. lesionseg 1.2.0, corrected by a reader")
        self.masks_by.setToolTip("Who made the lesion masks loaded from files, and whether a person "
                                 "corrected them: the report says it (the CLI's --masks-by)")
        self.form.addRow("Masks from files made by", self.masks_by)
        self.registration = QComboBox()
        self.registration.addItems(["rigid", "affine"])
        self.registration.setToolTip("rigid: 6 parameters (the same head); affine: 12 (the CLI's "
                                     "--affine)")
        self.form.addRow("Registration", self.registration)
        defaults = MatchThresholds()
        self.min_change_pct = threshold_box(defaults.min_change_pct, 1000.0, 5.0, 1, " %")
        self.min_change_ml = threshold_box(defaults.min_change_ml, 1000.0, 0.01, 3, " mL")
        thresholds = QHBoxLayout()
        for widget in (self.min_change_pct, QLabel("and"), self.min_change_ml):
            thresholds.addWidget(widget)
        self.form.addRow("Enlarging/shrinking at", thresholds)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.form.addRow(box)
        self.fit()

    def fit(self) -> None:
        """Its own size, the path fields' room included, within the screen (again once a note
        is added above the fields): Qt opens a dialog at 2/3 of the screen's width at most, the
        fields cut to 22 characters on an 800-point screen."""
        hint = self.sizeHint()
        resize_within_screen(self, hint.width(), hint.height())

    def grow_to_fit(self) -> None:
        """Taller, within the screen, when its line at the top took more lines since it opened
        (the prior found in the PACS cache: the line's first and last lines were cut off)."""
        hint = self.sizeHint()
        if hint.height() > self.height():
            resize_within_screen(self, max(self.width(), hint.width()), hint.height())

    def _add_field(self, key: str, text: str, row_index: int = -1) -> None:
        edit = PathEdit()   # takes a file dropped from a file manager
        browse = QPushButton("Browse...")
        browse.clicked.connect(lambda _=False, e=edit, t=text: self._browse(e, t))
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addWidget(browse)
        if not key.endswith("labels"):  # an image may be a series on a DICOM server
            pacs = QPushButton("PACS...")
            pacs.setToolTip("Choose a series on a configured DICOM server (as File > Open from "
                            "PACS...); it is retrieved into the local cache when compared")
            pacs.clicked.connect(lambda _=False, k=key: self._pick_from_pacs(k))
            edit.textChanged.connect(self.show_names)   # another path typed: not that series' tooltip
            row.addWidget(pacs)
            self.pacs_buttons[key] = pacs
            self.image_keys.append(key)
        self.form.insertRow(row_index, plain_label(text), row)
        self.edits[key] = edit

    def _pick_from_pacs(self, key: str) -> None:
        from ..io.pacs import PacsError
        from .pacs_dialog import PacsDialog

        try:
            self.pacs_dialog = PacsDialog(self.main_window, pick=True, parent=self)
        except PacsError as error:  # e.g. an unreadable servers file: one line, the dialog stays
            QMessageBox.warning(self, "Choose a series on a PACS", plain_tooltip(short_error(str(error))))
            return
        if self.pacs_dialog.exec() == QDialog.Accepted and self.pacs_dialog.chosen_uri:
            if self.on_screen is not None:   # its date, as the browser listed it, places the study
                self.on_screen.dates.known(self.pacs_dialog.chosen_uri, self.pacs_dialog.chosen_date)
            self.show_path(key, self.pacs_dialog.chosen_uri, self.pacs_dialog.chosen_text)
        self.pacs_dialog.deleteLater()
        self.pacs_dialog = None

    def address(self, key: str) -> str:
        """What field ``key`` names: the ``pacs://`` address or the PACS cache folder of a series
        shown by its name, else the path typed."""
        text = self.edits[key].text()
        return self.shown_as.get(text) or local_path(text)

    def show_path(self, key: str, path: str, name: str = "") -> None:
        """Put ``path`` in field ``key``. A series on a PACS is shown by ``name``, as the browser
        listed it (``2023-01-05 MRI brain / 5 T1 axial (lab)``), one in the PACS cache by its
        study's date and description and its own number and description, their address kept
        inside: the field showed ``pacs://lab/1.2.826.../1.2.826...`` (until session 51, the name
        under it) or ``.../pacs-cache/1.2.826...``, the series' UIDs."""
        if not name and path and "://" not in path:
            series = cached_series(path)
            name = "" if series is None else series.name
        text = path
        if name and path:
            text, n = name, 1
            while self.shown_as.get(text, path) != path:   # two series of one name told apart
                n += 1
                text = f"{name} ({n})"
            self.shown_as[text] = path
        self.edits[key].setText(text)

    def show_names(self) -> None:
        """A field showing a series by its name says where it is in its tooltip, and shows the
        name's start; another has no tooltip. Called again when the study on screen and the other
        swap fields by their dates (``followup_prefill``)."""
        for key in self.image_keys:
            edit = self.edits[key]
            address = self.shown_as.get(edit.text(), "")
            if not address:
                edit.setToolTip("")
                continue
            edit.setToolTip("A series on a PACS, retrieved into this computer's cache when compared"
                            if address.startswith("pacs://") else
                            "Retrieved from a PACS earlier: in this computer's cache")
            if not edit.hasFocus():   # its date shown, not its end (a swapped field showed a UID's)
                edit.setCursorPosition(0)

    def add_followup(self) -> None:
        """Two more fields, for the next later study and its lesion mask."""
        self.later_count += 1
        n = self.later_count
        at = len(self.edits)
        self._add_field(f"followup_{n}", f"Follow-up {n} image", at)
        self._add_field(f"followup_{n}_labels", f"Follow-up {n} lesion mask", at + 1)

    def _browse(self, edit: QLineEdit, title: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, title, self.start_folder(edit))
        if path:
            edit.setText(path)

    def start_folder(self, edit: QLineEdit) -> str:
        """Where *Browse...* starts: beside the path in ``edit``, else beside the path of the lowest
        other field filled in (the later study lies by the baseline), else where *File > Open*
        starts. It started in the program's working folder every time; beside a series of the PACS
        cache, in the cache's folder of UIDs, until session 51."""
        others = [e for e in self.edits.values() if e is not edit]
        for text in [edit.text(), *(e.text() for e in reversed(others))]:
            path = self.shown_as.get(text) or local_path(text)
            if path and "://" not in path and not in_pacs_cache([path]):   # not a PACS series
                folder = os.path.dirname(path.rstrip(os.sep))   # a DICOM folder: its parent
                if os.path.isdir(folder):
                    return folder
        last = getattr(self.main_window, "last_opened_folder", None)
        return last() if last is not None else ""

    def state(self) -> dict:
        """What the user chose: every field's text and the boxes' values (:meth:`restore`)."""
        fields = {key: self.address(key) if self.edits[key].text() in self.shown_as
                  else self.edits[key].text() for key in self.edits}
        return {"fields": fields,
                # a PACS series' name as the browser listed it: shown again when restored
                "pacs_names": {key: self.edits[key].text() for key in self.image_keys
                               if fields[key].startswith("pacs://")
                               and self.edits[key].text() in self.shown_as},
                "brain_threshold": self.brain_threshold.isChecked(),
                "extract_brain": self.extract_brain.isChecked(), "model": self.model.text(),
                "masks_by": self.masks_by.text(), "registration": self.registration.currentText(),
                "thresholds": (self.min_change_pct.value(), self.min_change_ml.value())}

    def restore(self, state: dict) -> None:
        """Choose again what :meth:`state` gave (read back from the data folder: a value of
        another type is left as it is): after a Cancel, an error or a comparison, the dialog opened
        empty but for the study on screen, its later studies to be chosen again."""
        fields = state["fields"]
        while f"followup_{self.later_count + 1}" in fields:
            self.add_followup()
        names = state.get("pacs_names")   # none in a state saved before session 49
        names = names if isinstance(names, dict) else {}
        for key, text in fields.items():
            name = names.get(key) if key in self.image_keys and text.startswith("pacs://") else ""
            if key in self.edits:
                self.show_path(key, text, name if isinstance(name, str) else "")
        self.show_names()
        for box, key in ((self.brain_threshold, "brain_threshold"), (self.extract_brain, "extract_brain")):
            if isinstance(state.get(key), bool):
                box.setChecked(state[key])
        for edit, key in ((self.model, "model"), (self.masks_by, "masks_by")):
            if isinstance(state.get(key), str):
                edit.setText(state[key])
        if state.get("registration") in ("rigid", "affine"):
            self.registration.setCurrentText(state["registration"])
        thresholds = state.get("thresholds")
        if isinstance(thresholds, (list, tuple)) and len(thresholds) == 2 and all(
                isinstance(v, (int, float)) for v in thresholds):
            self.min_change_pct.setValue(thresholds[0])
            self.min_change_ml.setValue(thresholds[1])

    def paths(self) -> dict[str, str]:
        return {key: self.address(key) for key in self.edits}

    def options(self) -> dict:
        """The keyword arguments of :func:`start_followup` the dialog's boxes give."""
        return {"brain_threshold": self.brain_threshold.isChecked(),
                "model": self.model.text().strip(),
                "extract_brain": self.extract_brain.isChecked() and self.extract_brain.isEnabled(),
                "kind": self.registration.currentText(),
                # left blank: what the window knows of a mask it filled in (the labels on screen)
                "masks_by": self.masks_by.text().strip() or (
                    self.on_screen.masks_by() if self.on_screen is not None else "") or "not stated",
                "thresholds": MatchThresholds(self.min_change_pct.value(), self.min_change_ml.value())}


def later_paths(paths: dict[str, str]) -> list[tuple[str, str]]:
    """``(image, lesion mask)`` of each later study named in the dialog's fields, in order (the
    added rows left empty are skipped)."""
    out = [(paths.get("followup", ""), paths.get("followup_labels", ""))]
    n = 2
    while f"followup_{n}" in paths:
        pair = (paths[f"followup_{n}"], paths.get(f"followup_{n}_labels", ""))
        if any(pair):
            out.append(pair)
        n += 1
    return out


def open_followup(window) -> None:
    """Ask for the studies, compare them off the GUI thread, then show the follow-up window."""
    dialog = OpenFollowupDialog(window)
    # the studies chosen last: in this window (a PACS series too), else before it was closed
    last = getattr(window, "followup_chosen", None) or chosen_last()
    if last is not None and _still_on_screen(window, last):
        dialog.restore(last)
    dialog.on_screen = prefill(dialog, window)
    dialog.fit()   # with the note prefill may add above the fields
    accepted = dialog.exec() == QDialog.Accepted
    if accepted and dialog.on_screen is not None:
        dialog.on_screen.settle()   # a date still on its way when OK was pressed
    paths, options = dialog.paths(), dialog.options()
    if accepted:
        window.followup_chosen = dialog.state()
        remember_chosen(window.followup_chosen)
    dialog.deleteLater()
    if accepted:
        start_followup(window, paths, **options)


def _still_on_screen(window, state: dict) -> bool:
    """Whether the studies chosen last go with the window as it is now: the study on screen is
    one of them, or none is on screen (another study opened since: they are not offered)."""
    volume = getattr(getattr(window, "controller", None), "volume", None)
    if volume is None or not volume.source_path:
        return True
    return any(local_path(text) == volume.source_path for text in state["fields"].values())


def start_followup(window, paths: dict[str, str], brain_threshold: bool = False, model: str = "",
                   extract_brain: bool = True, kind: str = "rigid",
                   thresholds: MatchThresholds = MatchThresholds(), masks_by: str = "not stated",
                   allow_domain_mismatch: bool = False):
    """Compare the studies named in ``paths`` (the dialog's fields) off the GUI thread; an empty
    lesion mask is made by ``model`` first (an error without one); without ``brain_threshold``
    each study's brain is extracted by deepbet when ``extract_brain``. ``kind`` (rigid or affine)
    and ``thresholds`` as the CLI's ``--affine``, ``--min-change-pct`` and ``--min-change-ml``;
    ``masks_by`` as its ``--masks-by``. A study the model's card refuses (a knee MR for a head
    model) is answered on the notice bar with *Run anyway* (``allow_domain_mismatch``), as AI >
    Segment's is."""
    from .. import __version__
    from ..app.followup import brain_statement, compare, load_study, masks_statement
    from ..app.followup_brain import BRAIN_THRESHOLD
    from ..app.followup_display import displays_on_baseline
    from ..app.followup_location import StudyLocations, locate_rows
    from ..app.followup_report import ReportInfo
    from ..app.followup_track import tracking_of
    from ..core.jobs import Steps, report
    from .followup_window import FollowupWindow  # here: the dialog opens without its imports

    laters = later_paths(paths)
    optional = ("baseline_labels", "followup_labels") if model else ()
    missing = [text for key, text in OpenFollowupDialog.FIELDS
               if not paths.get(key) and key not in optional]
    missing += [f"follow-up {n} {what}" for n, pair in enumerate(laters[1:], start=2)
                for what, path in zip(("image", "lesion mask"), pair) if not path
                and not (model and what == "lesion mask")]
    if missing:
        _failed(window, f"Open follow-up: choose the {', '.join(missing).lower()}")
        return None

    fetching = {}   # the PACS series being retrieved: its address, name and the server's count

    def heard(path, name, progress):
        """``progress`` of loading ``path``, whose retrieval's count is kept in ``fetching``."""
        fetching.clear()
        if not path.startswith("pacs://"):
            return progress
        fetching.update(uri=path, name=name)

        def counted(done, total, text=""):
            if "checking" not in text:   # the server's count, not the kept images' check
                fetching["total"] = total
            progress(done, total, text)
        return counted

    def work(progress, cancel):
        # one progress bar for it all (it started again at 0 % at each stage): each study's
        # loading, each comparison, then what the window shows
        steps = Steps(progress, 2 * len(laters) + 3)
        made = {"model": model, "cancel": cancel, "extract": extract_brain,
                "allow_domain_mismatch": allow_domain_mismatch}
        base_volume, baseline = load_study(paths["baseline"], paths["baseline_labels"],
                                           brain_threshold=brain_threshold, name="baseline",
                                           progress=heard(paths["baseline"], "the baseline",
                                                          steps.next("loading the baseline")), **made)
        studies, comparisons, before = [], [], None
        keys = [study_key(base_volume, baseline, cancel)]   # the marks' key: the studies' voxels
        for number, (image, labels) in enumerate(laters, start=1):
            volume, later = load_study(image, labels, brain_threshold=brain_threshold,
                                       name=f"follow-up {number}", baseline=base_volume, before=before,
                                       progress=heard(image, f"follow-up {number}",
                                                      steps.next(f"loading follow-up {number}")), **made)
            before = (volume, f"follow-up {number}")
            studies.append(later)
            keys.append(study_key(volume, later, cancel))
            comparisons.append(compare(baseline, later, kind, thresholds,
                                       partial_volume=later.brain_source == BRAIN_THRESHOLD,
                                       progress=steps.next(f"comparing follow-up {number}"),
                                       cancel=cancel))
        # each row's location: one template fit a study located (seconds)
        locations = StudyLocations([baseline, *studies], steps.next("lesion locations"), cancel)
        for number, comparison in enumerate(comparisons, start=1):
            locate_rows(comparison, number, locations)
        # what the window shows and its table across time points: seconds on 1 mm heads, here
        # rather than on the GUI thread when the window opens or another study is chosen
        showing = steps.next("for display")
        displays = displays_on_baseline(baseline, studies, comparisons, showing, cancel)
        report(showing, 1, 1, "lesions across time points")
        tracking = tracking_of(baseline, studies, comparisons)
        return base_volume, baseline, studies, comparisons, tracking, displays, studies_key(keys)

    def done(result):
        _worked(window)
        *studies, tracking, displays, key = result
        info = ReportInfo(masks_by=masks_statement([result[1], *result[2]], masks_by),
                          brain_masks=brain_statement([result[1], *result[2]]),
                          software=f"neuroview {__version__}")
        if getattr(window, "followup_window", None) is not None:
            window.followup_window.close()  # (closing frees it)
        # the reader's marks on these studies, made before (the window closed, the next day,
        # the studies moved or copied), or kept by their files' paths before session 42
        before = paths_key([paths["baseline"], paths["baseline_labels"],
                            *(path for pair in laters for path in pair)])
        view = FollowupWindow(*studies, info=info, parent=window, tracking=tracking,
                              displays=displays, marks=Marks.from_json(saved_marks(key, before)),
                              on_marks=lambda marks: remember_marks(key, marks.to_json()))
        view.setWindowFlag(Qt.Window)  # its own window, closed with the main one
        view.destroyed.connect(lambda: _forget(window, view))
        view.follow(window.controller, [local_path(path) for path in (
            paths["baseline"], *(image for image, _labels in laters))])
        window.followup_window = view
        view.show()

    # the last follow-up's error or notice is over once another starts: cancelled, it stayed
    # under the "cancelled" notice, naming a mask no longer chosen (s41 walk)
    def failed(text: str) -> None:
        if model and run_anyway_offered(window, text, lambda: start_followup(
                window, paths, brain_threshold, model, extract_brain, kind, thresholds, masks_by,
                allow_domain_mismatch=True)):
            window.followup_error = None
        else:
            _failed(window, text)

    _worked(window)
    return window.runner.start(work, on_done=done, on_error=failed,
                               on_cancel=lambda: window.notice_bar.show_message(cancelled(fetching)),
                               label="follow-up")


CANCELLED = "Follow-up cancelled: nothing was compared (File > Open follow-up... starts again)."


def cancelled(fetching: dict) -> str:
    """What a cancelled follow-up says: the images of a PACS series received before the cancel
    are kept in the cache (``fetching``: its address, name and the server's count), and the next
    try retrieves only the rest; it said "nothing was compared" alone until session 51."""
    from ..io.pacs.cache import SeriesCache  # noqa: PLC0415 - the dialog opens without the PACS
    from ..io.pacs.series_uri import parse  # noqa: PLC0415

    uri = fetching.get("uri")
    kept = SeriesCache().kept(parse(uri).series_uid) if uri else 0
    if not kept:
        return CANCELLED
    total = fetching.get("total", 0)
    counted = f"{kept} of {plural(total, 'image')}" if total >= kept else plural(kept, "image")
    return (f"Follow-up cancelled: nothing was compared; {counted} of {fetching['name']} kept: "
            "File > Open follow-up... again goes on from there.")


def _failed(window, text: str) -> None:
    """Show a follow-up's error on the main window's red bar, remembered until one works."""
    window.show_error(text)
    window.followup_error = text


def _worked(window) -> None:
    """A follow-up started or opened: an earlier follow-up's error or "cancelled" notice still
    shown is over, and leaves (as an editing error leaves once an edit works); any other message
    stays."""
    error = getattr(window, "followup_error", None)
    if error is not None and window.message_bar.text == error:
        window.message_bar.hide()
    window.followup_error = None
    if window.notice_bar.text.startswith("Follow-up cancelled: "):
        window.notice_bar.hide()


def _forget(window, view) -> None:
    """Drop the main window's reference to a follow-up window that was closed and freed."""
    if getattr(window, "followup_window", None) is view:
        window.followup_window = None
