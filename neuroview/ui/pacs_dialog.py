"""File > Open from PACS... and File > Save to PACS...

*Open*: search a configured DICOM server, browse patient / study / series, retrieve.

The search (C-FIND or QIDO-RS) and the retrieval (C-GET or WADO-RS into the local cache) run as
background jobs of the window's runner, so the status bar shows their progress and its Cancel
button stops them; a retrieved series opens like a local folder. *Save*: the label map of the
open DICOM image goes to the server as a SEG naming the reader and the proposing model
(:mod:`.pacs_save`). Servers are configured in *Settings > DICOM servers...* or with ``neuroview
pacs add`` (README, "PACS"); the cache's bound in *Settings > PACS cache...*.
"""

from __future__ import annotations

import contextlib
import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ..core.plural import plural
from ..io.pacs import Matches, PacsError, SeriesCache, find, find_each, load_servers, retrieve
from ..io.pacs.cache import kept_for_retry
from ..io.pacs.identifiers import image_count, shown_values
from ..io.pacs.series_uri import SeriesURI
from .dialog_parts import show_focused
from .pacs_ready import arrived
from .pacs_save import PacsSaving, SaveToPacsDialog
from .plain_text import plain_label
from .screen_room import resize_within_screen

SEARCH_FIELDS = (("PatientName", "Patient name", "Doe Jane, jane doe, DOE* (any order)"),
                 ("PatientID", "Patient ID", ""),
                 ("StudyDate", "Study date", "2024-01-01 - 2024-12-31, or one day"),
                 ("ModalitiesInStudy", "Modality", "MR, CT..."),
                 ("StudyDescription", "Study description", "*brain*"))


def _date(text: str, time: str = "") -> str:
    """A DICOM date (20240102) as people read it (2024-01-02), with a DICOM time (143005.123456)
    to the second when given (2024-01-02 14:30:05)."""
    text = (text or "").strip()
    day = f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 and text.isdigit() else text
    clock = str(time or "").strip().split(".")[0]
    if not (day and clock.isdigit() and len(clock) in (4, 6)):
        return day
    return f"{day} " + ":".join(clock[i:i + 2] for i in range(0, len(clock), 2))


def _count(item: QTreeWidgetItem) -> int | None:
    """The images the search counted in a series' row (None: not said)."""
    text = item.text(3).strip()
    return int(text) if text.isdigit() else None


def _series_order(series: dict) -> tuple:
    """Series by number, then by when they were made: two versions of one reader's SEG (the same
    number) oldest first, the latest last (they came in the server's order, with the same date)."""
    number = str(series.get("SeriesNumber", "")).strip()
    return (int(number) if number.isdigit() else 0, str(series.get("SeriesDate", "")),
            str(series.get("SeriesTime", "")))


MAX_STUDIES = 500
"""Studies a search lists at most (the rest is said; a search matching 3,000 took 157 s)."""


def search_studies(config, query: dict, cancel=None, progress=None) -> list[tuple[dict, list[dict]]]:
    """Studies matching ``query``, each with its series (sorted by series number). ``progress``
    hears of each study whose series are asked for (500 studies took 8 s from a local Orthanc, with
    "Searching..." and nothing moving until session 39; a query each, over one association)."""
    def cancelled() -> bool:   # a server ignoring the C-CANCEL is aborted 2 s later (io.pacs.find_stop)
        return cancel is not None and cancel.cancelled

    found = find(config, "STUDY", limit=MAX_STUDIES, cancel=cancelled, **query)
    # an answer without its UID cannot be opened: left out, and said (the search was 'internal
    # error: KeyError', the listing raised in the window's thread)
    studies = [study for study in found if study.get("StudyInstanceUID")]
    out = Matches()
    out.more, out.answered = found.more, found.answered
    left = {"study": len(found) - len(studies), "series": 0}
    # one association for them all (an association each: 4.8 times as long)
    with contextlib.closing(find_each(config, "SERIES", [
            {"StudyInstanceUID": study["StudyInstanceUID"]} for study in studies],
            cancel=cancelled)) as answers:
        for number, study in enumerate(studies):
            if cancelled():
                break
            if progress is not None:
                progress(number, len(studies),
                         f"Searching {config.name}: the series of study {number + 1} of {len(studies)}")
            answered = next(answers)
            series = [one for one in answered if one.get("SeriesInstanceUID")]
            left["series"] += len(answered) - len(series)
            series.sort(key=_series_order)
            out.append((study, series))
    out.left_out = tuple(f"{plural(count, level, level if level == 'series' else 'studies')} without "
                         f"{'Study' if level == 'study' else 'Series'}InstanceUID"
                         for level, count in left.items() if count)
    return out


def _listed(window) -> dict:
    """The studies each search of one patient ID alone found while the program runs, by
    ``(server, PatientID)``: kept in memory only, never in the data folder."""
    if not hasattr(window, "pacs_listed"):
        window.pacs_listed = {}
    return window.pacs_listed


class PacsDialog(QDialog):
    """``pick``: choose a series without retrieving it (the follow-up dialog's PACS... buttons):
    :attr:`chosen_uri` is then ``pacs://SERVER/STUDY_UID/SERIES_UID``, :attr:`chosen_text` the
    study's date and description and the series' number and description as the tree shows them,
    :attr:`chosen_date` the study's DICOM StudyDate (``YYYYMMDD``, ``""`` when the server gave none)."""

    def __init__(self, window, pick: bool = False, parent=None) -> None:
        super().__init__(parent or window)
        self.main_window = window
        self.pick = pick
        self.chosen_uri = ""
        self.chosen_text = ""
        self.chosen_date = ""
        self._seg_pending = None  # loads a SEG retrieved with its image once the image is open
        self._refocus = False     # Search had the focus when it was clicked: it gets it back
        self._cancelled: dict[str, str] = {}   # SeriesInstanceUID -> the line its cancel said
        self.setWindowTitle("Choose a series on a PACS" if pick else "Open from PACS")
        resize_within_screen(self, 760, 520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.server_box = QComboBox()
        form.addRow("Server", self.server_box)
        self.fields: dict[str, QLineEdit] = {}
        for keyword, label, hint in SEARCH_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            edit.returnPressed.connect(self.search)
            form.addRow(label, edit)
            self.fields[keyword] = edit
        self.fields["PatientName"].setToolTip("Words of the name in any order (Doe Jane, jane doe); "
                                              "one word alone is a family name. Begin a word with * "
                                              "to find it anywhere in the name (*jane), which large "
                                              "archives answer slowly")
        self.fields["PatientID"].setToolTip("Filled with the patient of the image on screen, to "
                                            "find their priors: clear it to search every patient")
        layout.addLayout(form)
        self.search_button = QPushButton("Search")
        self.search_button.clicked.connect(self.search)
        self.worklist_button = QPushButton("Make worklist...")
        self.worklist_button.setToolTip("The series of this search a reader has not segmented yet, "
                                        "retrieved and opened as a worklist")
        self.worklist_button.clicked.connect(self.open_worklist_dialog)
        row = QHBoxLayout()
        row.addWidget(self.search_button, 1)
        row.addWidget(self.worklist_button)
        layout.addLayout(row)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Patient / study / series", "Date", "Modality", "Images", "Cache"])
        self.tree.setColumnWidth(0, 380)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(lambda *_: self.open_selected())
        layout.addWidget(self.tree, 1)
        self.status = plain_label()
        self.status.setWordWrap(True)   # a failure's line whole (its advice was cut off at the edge)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.open_button = buttons.addButton("Choose" if pick else "Retrieve and open",
                                             QDialogButtonBox.AcceptRole)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._offered = ""   # the shown image's PatientID last put in the field
        self.search_job = None
        if pick:   # closed mid-search, it ends (the other is hidden, its search shown when opened again)
            self.finished.connect(self._stop_search)
        self.reload_servers()
        self.offer_shown_patient()
        if pick:
            self.search_at_once()

    def search_at_once(self) -> None:
        """The follow-up's *PACS...*: opened with a patient ID filled in (the study on screen's),
        it lists that patient's studies at once: those the last search of this server and patient
        found while the program runs (*Search* asks again), else a search, off the GUI thread and
        cancellable as *Search*'s. Each click on *PACS...* opened a fresh browser whose Search had
        to be clicked again, until session 51."""
        query, config = self.query(), self.config
        if config is None or list(query) != ["PatientID"]:
            return
        listed = _listed(self.main_window).get((config.name, query["PatientID"]))
        if listed is None:
            self.search()
            return
        self._show(listed)
        self.status.setText(f"{self.status.text()} (listed before: Search asks again)")

    def _stop_search(self) -> None:
        job, self.search_job = self.search_job, None   # its answer is not shown: the dialog goes
        if job is not None:
            job.cancel()

    def offer_shown_patient(self) -> None:
        """The Patient ID field holds the patient of the image on screen (its DICOM PatientID),
        so that Search finds their priors; a user can clear it or type another, which is kept
        until another patient is shown. The ID is never logged."""
        volume = getattr(self.main_window.controller, "volume", None)
        shown = str(((volume.source_metadata or {}) if volume is not None else {}).get(
            "PatientID", "") or "").strip()
        edit = self.fields["PatientID"]
        if shown == self._offered:
            return
        if edit.text().strip() in ("", self._offered):   # not one the user typed
            edit.setText(shown)   # (emptied when the image shown has no PatientID, a NIfTI)
        self._offered = shown

    def reload_servers(self) -> None:
        """The configured servers (again: Settings > DICOM servers... may have changed them), keeping
        the chosen one."""
        self.servers = load_servers()
        chosen = self.server_box.currentText()
        self.server_box.clear()
        self.server_box.addItems(sorted(self.servers))
        if chosen in self.servers:
            self.server_box.setCurrentText(chosen)
        self.search_button.setEnabled(bool(self.servers))
        self.worklist_button.setEnabled(bool(self.servers))
        if not self.servers:
            self.status.setText("No DICOM server configured: Settings > DICOM servers..., or neuroview "
                                "pacs add NAME --host ... (see the README, PACS)")
        elif self.status.text().startswith("No DICOM server"):
            self.status.clear()

    @property
    def config(self):
        return self.servers.get(self.server_box.currentText())

    def query(self) -> dict:
        return {k: e.text().strip() for k, e in self.fields.items() if e.text().strip()}

    def open_worklist_dialog(self) -> None:
        from .pacs_worklist import WorklistDialog, make_worklist

        search = ", ".join(f"{label.lower()} {self.fields[k].text().strip()}"
                           for k, label, _hint in SEARCH_FIELDS if self.fields[k].text().strip())
        self.worklist_dialog = WorklistDialog(self, search)
        self.worklist_dialog.accepted.connect(lambda: make_worklist(self, self.worklist_dialog))
        self.worklist_dialog.show()

    def search(self) -> None:
        config = self.config
        if config is None:
            return
        query = self.query()
        # a disabled button hands its focus on, to Make worklist...: the next Return opened the
        # worklist dialog instead of searching. The tree holds it meanwhile; Search gets it back
        self._refocus = self.focusWidget() is self.search_button
        if self._refocus:
            self.tree.setFocus()
        self.search_button.setEnabled(False)
        self.status.setText("Searching...")
        window = self.main_window

        def found(results) -> None:
            if list(query) == ["PatientID"]:   # listed again at once by the next PACS... (s51)
                _listed(window)[(config.name, query["PatientID"])] = results
            if self.search_job is job:
                self._show(results)

        def ended(text: str) -> None:
            if self.search_job is job:
                self._failed(text)

        job = self.search_job = window.runner.start(
            lambda progress, cancel: search_studies(config, query, cancel, progress),
            on_done=found, on_error=ended, on_cancel=lambda: ended("search cancelled"),
            label=f"Searching {config.name}")

    def _search_ended(self) -> None:
        self.search_job = None
        self.search_button.setEnabled(bool(self.servers))
        if self._refocus and self.search_button.isEnabled():
            self.search_button.setFocus()   # Return searches again, as after a typed search
        self._refocus = False

    def _failed(self, text: str) -> None:
        self._search_ended()
        self.tree.clear()  # no earlier results under the error, as if they answered this search
        self.status.setText(text)

    def _show(self, results) -> None:
        self._search_ended()
        self.tree.clear()
        patients: dict[tuple, QTreeWidgetItem] = {}
        n_series = 0
        more, left_out = getattr(results, "more", False), getattr(results, "left_out", ())
        answered = getattr(results, "answered", 0)
        results = sorted(results, key=lambda r: (  # patients A-Z, their studies oldest first
            r[0].get("PatientName", "").upper(), r[0].get("PatientID", ""), r[0].get("StudyDate", "")))
        for study, series_list in results:
            key = (study.get("PatientID", ""), study.get("PatientName", ""))
            if key not in patients:
                name = study.get("PatientName", "").replace("^", " ").strip() or "(no name)"
                patients[key] = QTreeWidgetItem(self.tree, [f"{name}  [{key[0]}]", "", "", ""])
            images = sum(image_count(s) for s in series_list)
            study_item = QTreeWidgetItem(patients[key], [
                study.get("StudyDescription") or "(study)", _date(study.get("StudyDate", "")),
                shown_values(study.get("ModalitiesInStudy", "")),   # MR\SEG -> "MR, SEG"
                f"{len(series_list)} series, {plural(images, 'image')}"])
            study_item.setData(1, Qt.UserRole, study.get("StudyDate", ""))   # as DICOM writes it
            for series in series_list:
                item = QTreeWidgetItem(study_item, [
                    f"{series.get('SeriesNumber', '')} {series.get('SeriesDescription', '')}".strip(),
                    _date(series.get("SeriesDate", ""), series.get("SeriesTime", "")),
                    shown_values(series.get("Modality", "")),
                    series.get("NumberOfSeriesRelatedInstances", "")])
                item.setData(0, Qt.UserRole, (study["StudyInstanceUID"], series["SeriesInstanceUID"]))
                n_series += 1
        for item in patients.values():
            item.setText(3, plural(item.childCount(), "study", "studies"))
        self.mark_cached()
        self.tree.expandAll()
        for column in range(1, self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        # the limit counts the archive's answers, before the name and description filters
        more = (f"; the archive returned {plural(answered, 'study', 'studies')}, the most asked "
                "for; narrow the search" if more else "")
        if left_out:
            more += f"; the server's answers left out: {', '.join(left_out)}"
        self.status.setText(f"{plural(len(patients), 'patient')}, "
                            f"{plural(len(results), 'study', 'studies')}, {n_series} series{more}")

    def _series_items(self) -> list[QTreeWidgetItem]:
        tree = self.tree
        return [study.child(k) for patient in map(tree.topLevelItem, range(tree.topLevelItemCount()))
                for study in map(patient.child, range(patient.childCount()))
                for k in range(study.childCount())]

    def mark_cached(self) -> None:
        """*cached* beside each series the local cache holds whole (as many images as the search
        counted): it opens without a retrieval. Again when the dialog is shown again, after the
        retrievals made meanwhile."""
        cache = SeriesCache()
        for item in self._series_items():
            held = cache.holds(item.data(0, Qt.UserRole)[1], _count(item))
            item.setText(4, "cached" if held else "")
            item.setToolTip(4, "In this computer's cache, opens without retrieving" if held else "")

    def selected_series(self) -> list[tuple[str, str]]:
        return [item.data(0, Qt.UserRole) for item in self.tree.selectedItems()
                if item.data(0, Qt.UserRole)]

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(bool(self.selected_series()))

    def open_selected(self) -> None:
        chosen = self.selected_series()
        config = self.config
        if not chosen or config is None:
            return
        study_uid, series_uid = chosen[0]
        is_seg = any(item.text(2) == "SEG" for item in self.tree.selectedItems())
        if is_seg and self.pick:  # a reader's mask is no time point to compare
            self.status.setText("A SEG is a reader's mask, not an image: choose the image series")
            return
        if is_seg:  # opened as the labels of its image (retrieved alone, it was 'no image found')
            self._open_seg(config, study_uid, series_uid)
            return
        if self.pick:  # retrieved later, by whoever reads the series (through the cache)
            self.chosen_uri = str(SeriesURI(config.name, series_uid, study_uid))
            item = self.tree.selectedItems()[0]
            study = item.parent()
            self.chosen_text = " ".join(part for part in (
                study.text(1), study.text(0), "/", item.text(0).strip() or "(series)",
                f"({config.name})") if part)
            self.chosen_date = str(study.data(1, Qt.UserRole) or "")
            self.accept()
            return
        window = self.main_window
        if config.name in window.message_bar.text:   # the retry of a retrieval that failed: its
            window.message_bar.hide()                 # red 'went away' line stayed over the retry
        # the series by number and description: two retrievals at once were both 'Retrieving from
        # lab', and Cancel's line said not which it stopped (session 49's walk)
        series = " ".join(["series", *(i.text(0).strip() for i in self.tree.selectedItems()[:1])])
        images = _count(self.tree.selectedItems()[0])   # counted by the search: no series query
        label = f"Retrieving {series} from {config.name}"

        def work(progress, cancel):
            def counted(done, total, text):  # the status bar names the series, server and counts
                counts = text if text.startswith("checking") else f"{done} of {plural(total, 'image')}"
                progress(done, total, f"{label}: {counts}")

            return retrieve(config, study_uid, series_uid, SeriesCache(), progress=counted,
                            cancel=lambda: cancel.cancelled, images=images)

        window.notices.over(self._cancelled.pop(series_uid, ""))   # tried again: its line is over

        def cancelled() -> None:   # said until dismissed: a series retrieved beside it may open now
            text = (f"Retrieval of {series} cancelled: {kept_for_retry(SeriesCache().kept(series_uid))}. "
                    "File > Open from PACS... still has the search, to try again.")
            self._cancelled[series_uid] = text
            window.notices.beside_the_image(text)

        asked_over = window.controller.volume   # another opened meanwhile is not replaced
        window.runner.start(work, on_error=window.show_error, label=label, on_cancel=cancelled,
                            on_done=lambda folder: arrived(window, folder, asked_over,
                                                           f"{series} from {config.name}"))
        self.accept()  # hidden, not deleted: the next Open from PACS... shows the same search

    def _open_seg(self, config, study_uid: str, seg_series_uid: str) -> None:
        """Retrieve a reader's SEG and the image it was drawn on; open the image, then the SEG as
        its labels. The image on screen when it is that series: the SEG loads as its labels, as
        File > Load labels... does (unsaved edits asking Replace / Cancel first)."""
        from ..io.pacs.readers import retrieve_seg_and_image
        from ..io.seg_source import seg_source

        window = self.main_window

        def work(progress, cancel):
            return retrieve_seg_and_image(config, study_uid, seg_series_uid, SeriesCache(),
                                          progress=progress, cancel=lambda: cancel.cancelled)

        def opened(seg_file, image_folder) -> None:
            volume = window.controller.volume
            if volume is None:  # the view emptied before the image came in
                return
            window.controller.volume_changed.disconnect(self._seg_pending)
            self._seg_pending = None
            if os.path.normpath(volume.source_path) == os.path.normpath(image_folder):
                # once its case is set: at once, or after the restore question an earlier session's
                # edits ask (it was refused under the question and never loaded)
                window.labels_once_editable(volume, seg_file)

        def done(result) -> None:
            seg_file, image_folder = result
            if on_screen(seg_file):   # its segments on the image read, never the image replaced
                window.open_labels(str(seg_file))
                return
            if self._seg_pending is not None:
                window.controller.volume_changed.disconnect(self._seg_pending)
            self._seg_pending = lambda: opened(seg_file, image_folder)
            window.controller.volume_changed.connect(self._seg_pending)
            # reread: the image on screen already (another reader's SEG of it) loads again, and
            # the SEG with it on volume_changed
            if not window.open_paths([image_folder], reread=True):  # unsaved edits kept: nothing opened
                window.controller.volume_changed.disconnect(self._seg_pending)
                self._seg_pending = None

        def on_screen(seg_file) -> bool:
            """The SEG was drawn on the series on screen (from disk or the cache), whose session
            has started: the cache's copy opened over it until session 50, taking its view and
            asking about its unsaved edits."""
            volume = window.controller.volume
            series = str(((volume.source_metadata or {}) if volume is not None else {}).get(
                "SeriesInstanceUID", "") or "")
            return (bool(series) and window.edit_actions.editor.session is not None
                    and series in seg_source(seg_file).series)

        window.runner.start(work, on_done=done, on_error=window.show_error,
                            label=f"Retrieving a SEG and its image from {config.name}")
        self.accept()


class PacsActions(PacsSaving):
    """File > Open from PACS... and File > Save to PACS..."""

    def __init__(self, window) -> None:
        self.window = window
        self.dialog: PacsDialog | None = None
        self.save_dialog: SaveToPacsDialog | None = None

    def install_menus(self, file_menu, before, settings_menu) -> None:
        self.open_action = QAction("Open from PACS...", self.window)
        self.open_action.triggered.connect(self.open_dialog)
        file_menu.insertAction(before, self.open_action)
        self.save_action = QAction("Save to PACS...", self.window)
        self.save_action.triggered.connect(self.open_save_dialog)
        file_menu.insertAction(before, self.save_action)
        self.servers_action = QAction("DICOM servers...", self.window)  # Settings, as issue #15 says
        self.servers_action.triggered.connect(self.open_servers_dialog)
        settings_menu.addAction(self.servers_action)
        self.cache_action = QAction("PACS cache...", self.window)
        self.cache_action.triggered.connect(self.open_cache_dialog)
        settings_menu.addAction(self.cache_action)
        from .readers_dialog import ReadersActions

        self.readers = ReadersActions(self.window)
        self.compare_action = QAction("Compare readers...", self.window)
        self.compare_action.triggered.connect(lambda: self.readers.open(0))
        file_menu.insertAction(before, self.compare_action)
        self.adjudicate_action = QAction("Adjudicate...", self.window)
        self.adjudicate_action.triggered.connect(lambda: self.readers.open(1))
        file_menu.insertAction(before, self.adjudicate_action)

    def open_servers_dialog(self) -> None:
        from .pacs_servers import ServersDialog

        self.servers_dialog = ServersDialog(self.window)
        show_focused(self.servers_dialog, self.servers_dialog.list)

    def open_cache_dialog(self) -> None:
        from .pacs_servers import CacheDialog

        self.cache_dialog = CacheDialog(self.window)
        show_focused(self.cache_dialog, self.cache_dialog.size_box)

    def open_dialog(self) -> None:
        """Show the search dialog; a second time, the same one, with the last search and its
        results (as Slicer's DICOM browser keeps them)."""
        try:
            if self.dialog is None:
                self.dialog = PacsDialog(self.window)
            else:
                self.dialog.reload_servers()
                self.dialog.offer_shown_patient()
                self.dialog.mark_cached()
        except PacsError as exc:
            self.window.show_error(str(exc))
            return
        show_focused(self.dialog, self.dialog.fields["PatientName"])
