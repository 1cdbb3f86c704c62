"""*Open follow-up* with a study retrieved from a PACS on screen: the patient's prior, retrieved
from a PACS earlier and still in this computer's cache, is filled in beside it (until session 51
the reader had to find it on the server again), and a cached series is shown by its study's date
and description and its own number and description, its folder kept inside (the field showed
``.../pacs-cache/1.2.826...``, the series' UID)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from editor_helpers import open_image
from PySide6.QtWidgets import QApplication

from neuroview.paths import user_data_dir
from tests.followup_menu import through_the_menu

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

CURRENT = "2024-03-10 MRI brain / 3 FLAIR (retrieved from PACS)"
PRIOR = "2023-01-05 MRI brain / 3 FLAIR (retrieved from PACS)"


def cached(mni_volume, uid: str, date: str, number: int = 3, description: str = "FLAIR",
           patient: str = "NV-TEST-0001", study: str = "") -> Path:
    """A series retrieved into the PACS cache (a folder named by its SeriesInstanceUID, stamped),
    of a study of ``date`` (its UID ``study``, else one of its own)."""
    folder = user_data_dir() / "pacs-cache" / uid
    extra = [("StudyDescription", "MRI brain"), ("StudyDate", date), ("PatientID", patient)]
    if study:
        extra.append(("StudyInstanceUID", study))
    write_series(folder, mni_volume, SeriesSpec(rows=16, cols=14, n_slices=4, series_uid=uid,
                                                series_number=number, description=description,
                                                extra=tuple(extra)))
    (folder / ".last-used").touch()
    return folder


def _looked(qtbot, dialog):
    """The cache looked through (off the GUI thread) and what it found filled in."""
    from neuroview.ui.followup_cached import CachedPrior

    qtbot.waitUntil(lambda: all(c.looked for c in dialog.findChildren(CachedPrior)), timeout=10000)
    return dialog


def test_the_prior_retrieved_earlier_is_filled_in_by_its_date_and_description(
        qtbot, window, mni_volume):
    prior = cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.1", "20230105",
                   study="1.2.826.0.1.3680043.8.498.51.9")
    cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.2", "20230105", 4, "T1 axial",
           study="1.2.826.0.1.3680043.8.498.51.9")   # another series of the prior
    cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.3", "20231201", patient="NV-OTHER")  # not hers
    cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.4", "20210101")   # an older prior of hers
    current = cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.5", "20240310")
    open_image(qtbot, window, current)

    def check(dialog):
        _looked(qtbot, dialog)
        edits = dialog.edits
        QApplication.processEvents()
        return (edits["baseline"].text(), edits["followup"].text(), dialog.paths()["baseline"],
                dialog.paths()["followup"], dialog.on_screen.note.text(), edits["baseline"].toolTip(),
                # its line, a line longer, shown whole (its first and last lines were cut off)
                dialog.height() >= dialog.sizeHint().height())

    baseline, followup, baseline_path, followup_path, note, tip, whole = through_the_menu(
        qtbot, window, check)
    assert whole
    assert (baseline, followup) == (PRIOR, CURRENT)
    assert (baseline_path, followup_path) == (str(prior), str(current))
    assert note == ('The study on screen (MR, "MRI brain", dated 2024-03-10) is filled in as the '
                    "follow-up: it is later than the baseline (2023-01-05). The baseline is this "
                    "patient's earlier study retrieved from a PACS before, in this computer's cache.")
    assert "1.2.826" not in tip


def test_a_field_chosen_before_the_cache_is_looked_through_stays(qtbot, window, mni_volume, tmp_path,
                                                                monkeypatch):
    import neuroview.ui.followup_cached as followup_cached

    cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.1", "20230105")
    current = cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.5", "20240310")
    open_image(qtbot, window, current)
    typed = str(tmp_path / "elsewhere")
    chosen = threading.Event()
    look_up = followup_cached.cached_prior
    monkeypatch.setattr(followup_cached, "cached_prior",   # answers once the field is chosen
                        lambda shown: chosen.wait(10) and look_up(shown))

    def check(dialog):
        dialog.edits["followup"].setText(typed)   # while the cache is looked through
        chosen.set()
        _looked(qtbot, dialog)
        return dialog.paths()["followup"], dialog.paths()["baseline"]

    assert through_the_menu(qtbot, window, check) == (typed, str(current))


def test_a_cached_study_on_screen_is_named_not_shown_by_its_folder(qtbot, window, mni_volume):
    current = cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.5", "20240310")
    open_image(qtbot, window, current)

    def check(dialog):
        _looked(qtbot, dialog)   # no prior cached: the follow-up field stays empty
        return dialog.edits["baseline"].text(), dialog.edits["followup"].text(), dialog.state()

    shown, other, state = through_the_menu(qtbot, window, check, accept=True)
    assert (shown, other) == (CURRENT, "")
    assert state["fields"]["baseline"] == str(current)   # what is compared, and kept, is the folder
    # opened again: named again, from the folder kept
    again = through_the_menu(qtbot, window, lambda dialog: (
        dialog.edits["baseline"].text(), dialog.paths()["baseline"]))
    assert again == (CURRENT, str(current))


def test_the_line_found_after_the_dialog_opened_is_shown_whole(qtbot, window, mni_volume, monkeypatch):
    """Session 51's walk: the app reopened, the current study compared last (its prior, a PACS
    series, not kept) was restored in *Follow-up image*, its line one line long; the prior found
    once the dialog was open made it two, and the dialog stayed as tall: both were cut off."""
    import neuroview.ui.followup_cached as followup_cached

    cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.1", "20230105")
    current = cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.5", "20240310")
    open_image(qtbot, window, current)
    window.followup_chosen = {"fields": {"baseline": "", "baseline_labels": "",
                                         "followup": str(current), "followup_labels": ""}}
    shown = threading.Event()
    look_up = followup_cached.cached_prior
    monkeypatch.setattr(followup_cached, "cached_prior", lambda values: shown.wait(10) and look_up(values))

    def check(dialog):
        qtbot.waitExposed(dialog)
        before = dialog.on_screen.note.height()
        shown.set()
        _looked(qtbot, dialog)
        QApplication.processEvents()
        note = dialog.on_screen.note
        return (before, note.height(), note.heightForWidth(note.width()),
                dialog.height() >= dialog.sizeHint().height())

    before, after, needed, whole = through_the_menu(qtbot, window, check)
    assert after > before and after >= needed and whole


def test_browse_starts_beside_the_local_study_not_in_the_cache(qtbot, window, mni_volume, tmp_path):
    """A local study opened, then the current retrieved from a PACS: *Browse...* (and *File >
    Open*) started in the cache's folder, a list of folders named by UIDs, until session 51."""
    local = tmp_path / "studies" / "local"
    write_series(local, mni_volume, SeriesSpec(rows=16, cols=14, n_slices=4))
    open_image(qtbot, window, local)
    open_image(qtbot, window, cached(mni_volume, "1.2.826.0.1.3680043.8.498.51.5", "20240310"))

    def check(dialog):
        _looked(qtbot, dialog)
        return dialog.start_folder(dialog.edits["followup"]), window.last_opened_folder()

    assert through_the_menu(qtbot, window, check) == (str(local.parent), str(local.parent))
