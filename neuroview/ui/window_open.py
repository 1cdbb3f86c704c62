"""Opening images in the main window: File > Open, Recent, drops, labels; scan and load in the background.

Opening goes through ``io.scan`` (files, folders, DICOMDIR, several files) in a background job; a
folder with several series shows the chooser; the chosen candidate loads in the background with
a progress bar and a Cancel button. A newer open cancels the one in progress. A base of
:class:`~neuroview.ui.main_window.MainWindow`, which holds the state used here.
"""

from __future__ import annotations

import os
from typing import Callable, NamedTuple, Optional

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog

from ..app.kept_keys import kept_for
from ..app.same_anatomy import carried_point
from ..app.view_memory import give_back, remember_view, remembered_view, view_record
from ..app.view_presets import intensity_range
from ..app.viewer_recent import in_pacs_cache, pacs_series_label, recent_labels
from ..app.workspace_folder import hash_keys
from ..core.errors import printable
from ..io.echoes import echo_words
from .dialogs import SeriesChooserDialog
from .plain_text import plain_tooltip
from .qt_guard import guard_overrides

FILE_FILTER = ("Images (*.nii *.nii.gz *.mgz *.mgh *.hdr *.img *.nrrd *.nhdr *.mha *.mhd *.dcm "
               "DICOMDIR);;"
               "All files (*)")
LABELS_FILTER = ("Segmentations / label maps (*.nii *.nii.gz *.nrrd *.nhdr *.mgz *.mgh "
                 "*.hdr *.img *.mha *.mhd *.dcm);;NIfTI (*.nii *.nii.gz);;NRRD (*.nrrd *.nhdr);;"
                 "DICOM SEG (*.dcm);;MGH (*.mgz *.mgh);;MetaImage (*.mha *.mhd);;All files (*)")
"""*Load labels*: what the label loader reads (``app.label_files.prepare_label_file``), named as
ITK-SNAP's *Open Segmentation* names it; a DICOM SEG without an extension is under All files."""


IMAGE_CLOSED = "Image closed; File > Open (Ctrl+O) or a drop opens the next one."
"""The status line after *File > Close*; the next image shown clears it."""
ALREADY_OPEN = " is already open: its views, rulers and angles stay as they are"
"""The status line's words on the image on screen opened again; the next image shown clears them."""


class OpenEnds(NamedTuple):
    """What the caller of an open adds to the status bar's line when it ends with nothing opened:
    ``cancelled(why)`` after a Cancel (the worklist goes back), ``failed(reason)`` after an error
    (``reason``: a few words, no path); ``superseded()`` is told, and the status bar nothing,
    when a newer open took its place (the worklist gives up the case it claimed for it)."""

    cancelled: Optional[Callable[[str], str]] = None
    failed: Optional[Callable[[str], str]] = None
    superseded: Optional[Callable[[], None]] = None


@guard_overrides
class WindowOpening:
    """Opening files into the window (its controller, runner, edit actions and bars)."""

    def open_paths(self, paths, asked: bool = False, series=None, cancelled=None,
                   failed=None, superseded=None, reread: bool = False) -> bool:
        """Scan ``paths`` in the background; choose a series if several; load it in the background.

        With unsaved edits, asks Save / Discard / Cancel first (unless the caller just ``asked``);
        False: cancelled, nothing opened. ``series`` (a Recent entry, ``app.viewer_recent``)
        opens the series chosen there last without the chooser, while the scan still finds it.
        An open that ends with nothing opened (Cancel in the job bar while scanning or loading,
        or in the chooser; a scan or load that fails) leaves the image on screen as it was (its
        edits too), and the status bar says so in one line, with what ``cancelled(why)`` or
        ``failed(reason)`` return (the worklist's word: :class:`OpenEnds`); ``superseded()`` is
        called when a newer open replaces this one before it ends. The series on screen opened
        again stays as it is (:meth:`_already_shown`) unless ``reread`` or the worklist opens it."""
        from ..io import scan

        paths = [os.fspath(p) for p in paths]
        if not paths or not (asked or self.edit_actions.confirm_replace()):
            return False
        name = os.path.basename(paths[0].rstrip(os.sep)) or paths[0]
        if len(paths) > 1:   # several dropped: 'notes.txt could not be read' named one of them
            name += f" and {len(paths) - 1} other{'s' if len(paths) > 2 else ''}"
        opening = self._begin_open()
        ends = OpenEnds(cancelled, failed, superseded)
        keep = not reread and ends == OpenEnds()   # the series on screen opened again: kept

        label_maps = []   # saved label maps the scan found beside the images: not offered
        paired = []       # an image and its label map opened together: no chooser

        def scan_images(progress, cancel, found=None, **options):
            from ..app.label_files import without_label_maps

            found = found or scan(paths, progress, cancel, **options)
            result, left_out = without_label_maps(found)
            label_maps[:] = left_out
            return result

        def scan_both(progress, cancel):
            """The scan; when a series has uneven slices, both ways of placing them, resampled
            and split into even runs, and whether the default chose the split (a grid mostly
            interpolated): the chooser offers both (headers read again, from the page cache)."""
            from ..app.label_pairs import image_with_labels
            from ..io.dicom import DicomOptions

            found = scan(paths, progress, cancel)
            if len(paths) == 2:   # an image and its mask dropped together: labels, as ITK-SNAP
                if progress is not None:
                    progress(0, 0, "Reading both files")
                paired[:] = [p for p in [image_with_labels(paths, found, cancel)] if p is not None]
                if paired:
                    return found, None, False, {}
            result = scan_images(progress, cancel, found)
            placed = {c.uneven_slices for c in result.candidates} - {""}

            def again(choice):
                return scan_images(progress, cancel, dicom_options=DicomOptions(uneven=choice))

            if not placed:
                return result, None, False, guesses(result, progress, cancel)
            if placed == {"resampled"}:
                return result, again("split"), False, {}
            return again("resample"), result if placed == {"split"} else again("split"), True, {}

        def guesses(result, progress, cancel):
            """For the chooser, what to call each file that names no modality (a CT NIfTI:
            ``CT (from its values)``, as ``info`` lists it), read here, off the GUI thread."""
            from ..io.modality_guess import guessed_modality

            keys = {c.key for c in result.candidates}
            if len(keys) < 2 or (series is not None and any(series.chose(k) for k in keys)):
                return {}   # no chooser: one series, or the one File > Recent remembers
            named = {}
            for number, candidate in enumerate(result.candidates):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                if progress is not None:
                    progress(number, len(result.candidates), "Reading the series' values")
                named[candidate.key] = guessed_modality(candidate)
            return named

        def scanned(results) -> None:
            if self._current(opening) and paired:
                pair = paired[0]
                self._load_candidate([pair.image.key], pair.image, results[0].left_out(), ends=ends,
                                     labels=pair.labels_path, keep=keep)
            elif self._current(opening):
                ignored = results[0].not_images_line(label_maps)   # a report beside the series
                if label_maps:
                    one = len(label_maps) == 1
                    self.notices.status(f"Left out {', '.join(label_maps[:3])}"
                                        f"{' ...' if len(label_maps) > 3 else ''}: "
                                        f"{'a label map' if one else 'label maps'} saved by "
                                        f"neuroview, not {'an image' if one else 'images'} "
                                        "(File > Load labels... shows it on its image)"
                                        + (f"; {ignored}." if ignored else "."))
                    ignored = ""   # said
                self._scanned(paths, *results, series=series, ends=ends, keep=keep,
                              ignored=ignored)
            else:   # Cancel came after the scan's last check: nothing opens all the same
                self._open_cancelled(opening, "the scan was cancelled", ends)

        job = self._open_job = self.runner.start(
            scan_both, on_done=scanned,
            on_error=lambda text: self._open_failed(opening, text, job.reason, name, ends),
            on_cancel=lambda: self._open_cancelled(opening, "the scan was cancelled", ends),
            label=f"Scanning {name}")
        return True

    def close_image(self) -> bool:
        """*File > Close* (Ctrl+W): close the image on screen, its labels, measurements and
        previews, and leave the empty window, as 3D Slicer's *Close Scene*. Unsaved edits ask
        Save / Discard / Cancel as opening another image does (False: Cancel, nothing closed); a
        scan or load in progress is cancelled, a model or preview job for the image is stopped.
        A worklist stays open."""
        if self.controller.volume is None and (self._open_job is None or self._open_job.finished):
            return False
        if not self.edit_actions.confirm_close_image():
            return False
        self._begin_open()   # an open in progress: cancelled, its image never shows
        self.edit_actions.image_closed()
        self.edit_actions.panel.select_tool("navigate")   # as at the start: Paint, a ruler drew on no image
        self.controller.set_mode("navigate")   # window/level, ruler, angle: not editor tools
        self.remember_view()
        self.controller.set_volume(None)   # the model and uncertainty jobs stop on this signal
        self.message_bar.hide()
        self.setWindowTitle("neuroview")
        self.readout.clear()
        self.training_actions.image_closed()
        self.notices.status(IMAGE_CLOSED)
        return True

    def remember_view(self) -> None:
        """Keep how the image on screen is viewed (``app.view_memory``) and the overlay series
        over it (``app.overlay_memory``), for its next open: before another image replaces it, at
        *File > Close* and when the window closes."""
        volume, state = self.controller.volume, self.controller.state
        if volume is None or state is None:
            return
        camera = self.view3d.camera() if self.view3d.shows_open_image else None
        remember_view(volume.workspace_key(), view_record(state, camera))
        self.fusion.recall.remember()   # its overlay series' settings as left

    def _give_back_view(self, volume) -> None:
        """An image opened again shows its views as they were left: slices, window/level,
        zoom, pan, slabs; the 3D camera once its scene is made."""
        record = kept_for(volume, remembered_view, remember_view)
        if record is None:
            return
        camera = give_back(self.controller.state, record)
        self.controller.slabs = dict(self.controller.state.slabs)
        self.view3d.camera_wanted = (volume, camera) if camera is not None else None
        self.controller.changed.emit()

    def _keep_point(self, before, p_ras, volume) -> None:
        """Another series of the study on screen (the same DICOM frame of reference) opens on the
        point the reader was looking at, as PACS viewers keep the cursor: it opened at its middle
        voxel (or where it was left), and the lesion being read had to be found again."""
        point = carried_point(before, p_ras, volume)
        if point is not None:
            self.controller.show_point(self.controller.voxel_centre(point))

    def _begin_open(self) -> int:
        """A new open supersedes the one in progress (cancelled, its result dropped): the image
        shown is the one opened last, not the one whose loading happened to finish last."""
        if self._open_job is not None and not self._open_job.finished:
            self._open_job.cancel()
        self._opening += 1
        return self._opening

    def first_image_loading(self):
        """The number of the open in progress while no image is on screen yet (its keys have no
        view to act on: ``ui.loading_keys``), else None."""
        job = self._open_job
        if self.controller.volume is None and job is not None and not job.finished:
            return self._opening
        return None

    def _current(self, opening: int) -> bool:
        """Whether the open numbered ``opening`` is still wanted: not superseded by a newer one
        and not cancelled (a loader that cannot stop midway still finishes: its result is
        dropped, and the image and edits on screen stay)."""
        job = self._open_job
        return opening == self._opening and not (job is not None and job.cancel_token.cancelled)

    def _open_failed(self, opening: int, text: str, reason: str, name: str,
                     ends: OpenEnds) -> None:
        """The scan or load failed: the message bar has the whole error, and the status bar says
        in one line, with no path, what could not be opened and why (with the worklist's word)."""
        if opening == self._opening:
            self.show_error(text)
            self._nothing_opened(f"{name} could not be read ({reason})",
                                 ends.failed(reason) if ends.failed is not None else "")
        elif ends.superseded is not None:
            ends.superseded()

    def _open_cancelled(self, opening: int, why: str, ends: OpenEnds) -> None:
        """Cancel in the job bar (or the chooser): nothing opens; a superseded open says nothing
        (the open after it is the one the user waits for)."""
        if opening == self._opening:
            self._nothing_opened(why, ends.cancelled(why) if ends.cancelled is not None else "")
        elif ends.superseded is not None:
            ends.superseded()

    def _nothing_opened(self, why: str, more: str = "") -> None:
        """The status bar says that nothing was opened, and why (it said nothing, as if the open
        had failed unseen); the image on screen, if any, was never closed."""
        text = f"Nothing opened: {why}"
        if self.controller.volume is not None:
            text += "; the image on screen stays as it was"
        self.notices.status(text + (f"; {more}" if more else "") + ".")

    def _scanned(self, paths, result, split_result=None, split_first=False, modalities=None,
                 series=None, ends: OpenEnds = OpenEnds(), keep: bool = False,
                 ignored: str = "") -> None:
        # damaged files the scan left out: named once the image is open (a missing slice's
        # series otherwise opened with no word of the file, which `neuroview info` names);
        # ``ignored``: the files that are not images, said in the chooser or once it shows
        skipped = result.left_out()
        if len(result.candidates) == 1 and split_result is None:
            self._load_candidate(paths, result.candidates[0], skipped, ends=ends, keep=keep,
                                 ignored=ignored)
            return
        remembered = [c for r in (result, split_result) if r is not None for c in r.candidates
                      if series is not None and series.chose(c.key) and c.uneven_slices == series.uneven]
        if remembered:                      # File > Recent: the series chosen last time
            self._load_candidate(paths, remembered[0], skipped, chosen=True, ends=ends, keep=keep,
                                 ignored=ignored)
            return
        shown = self._shown_key[0] if self.controller.volume is not None and self._shown_key else None
        dialog = SeriesChooserDialog(result, self, split_result, split_first, modalities,
                                     shown=shown, ignored=ignored)
        self.series_dialog = dialog

        def accepted() -> None:
            candidate = dialog.chosen()
            if candidate is not None:
                self._load_candidate(paths, candidate, skipped, chosen=True, ends=ends, keep=keep)

        dialog.accepted.connect(accepted)
        opening = self._opening
        dialog.rejected.connect(lambda: self._open_cancelled(opening, "no series was chosen", ends))
        dialog.finished.connect(lambda _code: setattr(self, "series_dialog", None))
        dialog.open()

    def _load_candidate(self, paths, candidate, skipped=(), chosen: bool = False,
                        ends: OpenEnds = OpenEnds(), labels: str = "", keep: bool = False,
                        ignored: str = "") -> None:
        """Load ``candidate`` in the background and show it; ``chosen``: one of several series
        (File > Recent remembers which); ``labels``: a label map file to load onto it once it can
        be edited (after the restore question, if one is asked); ``keep``: the series on screen
        loaded again stays as it is (:meth:`_already_shown`), known before its voxels are read
        again where its files are unchanged (:meth:`_known_stamps`); ``ignored``: the
        files skipped as not images, said in the status line once it shows."""
        name = os.path.basename(paths[0].rstrip(os.sep)) or paths[0]
        known = self._known_stamps(candidate, paths) if keep and not labels else None
        opening = self._begin_open()

        def done(loaded) -> None:
            volume, stamps = loaded
            before = self.statusBar().currentMessage()
            if not self._current(opening):   # a loader that cannot stop midway finished unseen
                self._open_cancelled(opening, "the loading was cancelled", ends)
                return
            if volume is None:   # its files as they were when read: not read again
                if self._same_and_editable(candidate.key, paths):
                    self._say_already_open(ignored)
                else:   # closed, discarded or held elsewhere during the check: read it
                    self._load_candidate(paths, candidate, skipped, chosen, ends, labels, keep,
                                         ignored)
                return
            if keep and not labels and self._already_shown(candidate.key, paths, volume):
                self._shown_key = (*self._shown_key[:2], stamps)   # unchanged: known next time
                self._say_already_open(ignored)
                return
            self.edit_actions.replacing()   # saved or discarded edits set aside, as after quitting
            self.remember_view()
            before = self.controller.volume
            looked_at = self.controller.state.crosshair_ras if self.controller.state else None
            self.controller.set_volume(volume)
            self._give_back_view(volume)
            self._keep_point(before, looked_at, volume)
            self.message_bar.hide()   # before the workspace's line, if any: it was hidden at once
            self.edit_actions.volume_opened(volume, paths)
            self.notices.open_ended()   # news of this open from before it ended (a Discard's)
            said = self.statusBar().currentMessage()
            if said.startswith("Nothing opened:") or said == IMAGE_CLOSED or ALREADY_OPEN in said:
                self.statusBar().clearMessage()   # "the image on screen stays as it was", "Image
                # closed", "... is already open": no more (the next image showed under "Image
                # closed" for 15 s; a file rewritten and opened again, or another file opened
                # within 15 s of "A is already open: its views ... stay as they are", under it)
            self.training_actions.image_shown(paths)   # the worklist claims the case on screen
            if chosen:
                self.recent.add(paths, candidate.key, candidate.uneven_slices, candidate.description)
            else:   # a series from a PACS named as the PACS lists it, not by its cache folder's UID
                self.recent.add(paths, pacs=pacs_series_label(volume) if in_pacs_cache(paths) else "")
            title = printable(volume.description or candidate.description  # one line: \r\n
                              or os.path.basename(paths[0].rstrip(os.sep)) or paths[0])
            echo = echo_words(volume.source_metadata)   # one of a multi-echo series' echoes
            title += f" ({echo})" if echo else ""
            self.setWindowTitle(f"neuroview - {title}")
            self._shown_key = (candidate.key, [os.path.abspath(p) for p in paths], stamps)
            self.notices.image_warnings(volume.warnings)   # images left out, positions assumed
            if volume.n_frames > 1:   # under the warnings or restore question: it replaced none
                self._frame_note(0, first=True)
            self.notices.left_out(skipped)
            if ignored:   # with a line this open said (a label map left out), not an older one
                said = self.statusBar().currentMessage()
                fresh = said and said != before
                self.notices.status(f"{said.rstrip('.')}; {ignored}." if fresh else f"{ignored}.")
            if labels:
                self.labels_once_editable(volume, labels)
            # its rulers, angles, ellipses and rectangles, and the overlay series it was left
            # with, read again; said under the lines above
            self.measure_recall.give_back(volume)
            self.fusion.recall.give_back(volume)

        def load(progress, cancel):
            stamps = candidate.stamps()   # before the read: a file changed during it reads again
            if known is not None and stamps == known:
                return None, stamps   # the series on screen, unchanged (:meth:`_known_stamps`)
            volume = candidate.load(progress, cancel)
            hash_keys(volume, cancel)   # every voxel hashed here, not as the window shows it
            intensity_range(volume, every_frame=True)   # remembered: every time point read here
            return volume, stamps

        job = self._open_job = self.runner.start(
            load, on_done=done,
            on_error=lambda text: self._open_failed(opening, text, job.reason, name, ends),
            on_cancel=lambda: self._open_cancelled(opening, "the loading was cancelled", ends),
            label=f"Loading {candidate.description or os.path.basename(paths[0])}")

    def _known_stamps(self, candidate, paths):
        """For the series on screen opened again (the same paths opened, the same scan key,
        editable here, no Discard since), the stamps of its files when it was read; None
        otherwise. The load job compares them with its files' stamps now (size, times, inode,
        first and last bytes: :meth:`SeriesCandidate.stamps`) and reads nothing where they are
        equal; else (files unknown, one rewritten, added or gone) it is read, then compared voxel
        by voxel (:meth:`_already_shown`): a 2 GB study was read in full before 'already open'
        was said. The stamps are taken in the job, off the GUI thread: an 800-file study's took
        45-90 ms there, 5000 files' about 0.5 s, with the window frozen."""
        stamps = self._shown_key[2] if self._shown_key else None
        return stamps if self._same_and_editable(candidate.key, paths) else None

    def _same_and_editable(self, key: str, paths) -> bool:
        """The series on screen is ``key`` opened from ``paths``, editable here, no Discard since:
        what both re-open checks ask first (an image not editable here is opened again to edit it;
        after a Discard it is read again, the edits dropped as the answer said)."""
        return (self.controller.volume is not None and self._shown_key is not None
                and self._shown_key[:2] == (key, [os.path.abspath(p) for p in paths])
                and self.edit_actions.editor.case is not None
                and self.edit_actions.discarded is None)

    def _say_already_open(self, ignored: str = "") -> None:
        self.message_bar.hide()   # an earlier open's error is not this open's: it succeeded
        self.notices.status(f"{self.windowTitle().removeprefix('neuroview - ')}{ALREADY_OPEN} "
                            "(File > Close, then open it, to read it again)"
                            + (f"; {ignored}." if ignored else "."))

    def _already_shown(self, key: str, paths, volume) -> bool:
        """The series just loaded is the one on screen (the same paths opened, its scan key, a
        file path or DICOM series UID, and every voxel the same), opened again by mistake (File >
        Open or Recent on the study being read, a second drop): keep the screen as it is, its
        rulers, angles, slices, zoom and window, and say so, as a PACS viewer brings forward a
        study already open. Until session 38 it loaded again and took the rulers and angles away.
        After *Discard* it is read again, the edits dropped as the answer said; so is an image
        not editable here (held by another window, a restore question not answered): opening it
        again is how it becomes editable."""
        shown = self.controller.volume
        return (self._same_and_editable(key, paths) and volume.n_frames == shown.n_frames
                and volume.workspace_key() == shown.workspace_key())

    def labels_once_editable(self, volume, path: str) -> None:
        """Load the label map ``path`` onto ``volume`` as soon as its session starts (at once, or
        after the restore question), unless another image is opened first."""
        editor = self.edit_actions.editor

        def started() -> None:
            session = editor.session
            if self.controller.volume is not volume:
                editor.case_changed.disconnect(started)
            elif session is not None and session.volume is volume:
                editor.case_changed.disconnect(started)
                self.open_labels(path)

        editor.case_changed.connect(started)
        started()

    def open_labels(self, path) -> None:
        """Load a mask as the Session's label map (one undo step; another grid is resampled)."""
        if self.controller.volume is None:
            self.show_error(f"{path}: open an image before loading labels")
            return
        self.edit_actions.load_labels(path)

    def study_on_screen(self) -> tuple[str, object]:
        """The folder opened for the image on screen, where its study's other series lie (a
        study's folder, the series chosen in it), and the key of the series shown; ``""`` when
        a file was opened, or nothing."""
        if self.controller.volume is None or not self._shown_key:
            return "", None
        key, paths = self._shown_key[:2]
        return (paths[0] if len(paths) == 1 and os.path.isdir(paths[0]) else ""), key

    def last_opened_folder(self) -> str:
        """Where the open dialogs start: the folder holding what was opened last (*File > Recent*'s
        first entry), where the next study usually lies; they started in the program's working
        folder. A series retrieved from a PACS is passed over for the entry before it: its folder
        is the cache's, a list of folders named by UIDs (until session 51). "" (the working folder)
        when nothing was opened yet or it is gone."""
        for entry in self.recent.entries():
            if in_pacs_cache(entry.paths):
                continue
            folder = os.path.dirname(entry.paths[0].rstrip(os.sep))
            return folder if os.path.isdir(folder) else ""
        return ""

    def open_file_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Open image", self.last_opened_folder(), FILE_FILTER)
        if files:
            self.open_paths(files)

    def open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open folder (DICOM series, NIfTI files)",
                                                  self.last_opened_folder())
        if folder:
            self.open_paths([folder])

    def open_labels_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load labels", self.edit_actions.labels_to_load(),
                                              LABELS_FILTER)
        if path:
            self.open_labels(path)

    def open_followup_dialog(self) -> None:
        from .followup_open import open_followup

        open_followup(self)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        entries = self.recent.entries()
        if not entries:
            self.recent_menu.addAction("(none)").setEnabled(False)
        self.recent_menu.setToolTipsVisible(True)   # the whole path on hover
        for entry, text in zip(entries, recent_labels(entries)):
            action = self.recent_menu.addAction(text.replace("&", "&&"))   # no shortcut letter
            action.setToolTip(plain_tooltip(entry.tooltip()))
            action.setStatusTip(entry.tooltip().replace("\n", "; "))
            action.triggered.connect(lambda _=False, e=entry: self.open_paths(e.paths, series=e))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            # after the drop returns: the unsaved-edits question must not block the drag source
            QTimer.singleShot(0, lambda: self.open_paths(paths))
