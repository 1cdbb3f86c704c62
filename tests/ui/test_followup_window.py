"""File > Open follow-up...: the dialog, the linked side-by-side panes in three planes, flicker,
subtraction, the lesion table (the same table as ``neuroview followup``; sorted by a click on a
header), several later studies and the Report... button."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from editor_helpers import activate
from followup_studies import studies, write_case
from followup_views import (
    crosshair_pixel,
    followup_view,  # noqa: F401  (a fixture)
    lesion_voxel,
    menu_action,
    near_crosshair,
    outline_pixels,
    voxel_under,
)
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from neuroview.app.followup_brain import BRAIN_EXTRACTED
from neuroview.app.followup_lesions import CSV_COLUMNS, for_reading, table_csv, table_rows
from neuroview.app.followup_report import NOT_A_DIAGNOSIS, ReportInfo
from neuroview.io.nifti import load_nifti, save_nifti
from neuroview.render.slices import CROSSHAIR_COLOR
from tests.app.followup_tables import same_table, shown_csv


def test_open_followup_shows_linked_panes_and_the_cli_table(window, qtbot, mni_volume, tmp_path,
                                                            three_studies):
    write_case(mni_volume, tmp_path)
    names = {"baseline": "t1.nii.gz", "baseline_labels": "t1_lesions.nii.gz",
             "followup": "t2.nii.gz", "followup_labels": "t2_lesions.nii.gz",
             "followup_2": "t3.nii.gz", "followup_2_labels": "t3_lesions.nii.gz"}

    ticked = []

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        qtbot.mouseClick(dialog.add_button, Qt.LeftButton)  # a second later study
        # no brain extraction, as in the CLI's run below (a click on the box, not the empty row)
        qtbot.mouseClick(dialog.extract_brain, Qt.LeftButton,
                         pos=QPoint(8, dialog.extract_brain.height() // 2))
        ticked.append(dialog.extract_brain.isChecked())
        for key, edit in dialog.edits.items():
            qtbot.keyClicks(edit, str(tmp_path / names[key]))
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
        qtbot.mouseClick(ok, Qt.LeftButton)

    QTimer.singleShot(200, fill_dialog)
    menu_action(window, "Open follow-up...").trigger()
    qtbot.waitUntil(lambda: getattr(window, "followup_window", None) is not None, timeout=300000)
    assert ticked == [False]
    view = window.followup_window
    qtbot.waitExposed(view)
    activate(qtbot, view)   # as a window manager does (under Xvfb's xcb F went to no window)

    # the tables 'neuroview followup t1 t2 t3 ... --no-brain-extraction' writes (lesions_tp2.csv,
    # lesions_tp3.csv: table_csv of each comparison, tests/app/test_followup_cli.py) of these
    # studies, compared without files: the session's three_studies, the same registrations
    cli_tables = [table_csv(comparison.table) for comparison in three_studies[3]]
    # the second later study, chosen in the Follow-up list: the CLI's second table (the baseline's
    # lesions, moved: none new or resolved; at 3 mm some small ones read more than 25 % bigger)
    qtbot.keyClick(view.timepoint, Qt.Key_Down)
    assert view.index == 1 and view.windowTitle().endswith("follow-up 2")
    assert view.baseline.brain is None and not view.info.brain_masks
    assert same_table(shown_csv(view), cli_tables[1])
    # each row's location, as the command's column (no brain mask: unknown, and why)
    assert shown_csv(view).splitlines()[0].endswith(",location")
    assert {cells[-1] for cells in view.table_text()} == {
        "unknown (no brain mask: brain extraction not asked for)"}
    assert not {cells[1] for cells in view.table_text()} & {"new", "resolved"}
    qtbot.keyClick(view.timepoint, Qt.Key_Up)
    assert view.index == 0
    assert same_table(shown_csv(view), cli_tables[0])

    # a click on the grown lesion's row brings both panes to it: its outline is bigger on the right
    row = next(r for r, cells in enumerate(view.table_text()) if cells[1] == "enlarging" and not cells[2])
    rect = view.table.visualItemRect(view.table.item(row, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.LeftButton, pos=rect.center())
    lesion = view.comparison.table.rows[row]
    assert np.allclose(view.pair.state.crosshair_ras, lesion_voxel(view.pair, lesion))

    def outline_pixels(rgb):
        rgb = rgb.astype(int)
        return int(((np.abs(rgb[..., 0] - rgb[..., 1]) > 60) & (rgb[..., 2] < 100)
                    & ~np.all(rgb == CROSSHAIR_COLOR, axis=2)).sum())

    left, right = view.pair.pane_images()
    assert outline_pixels(right) > outline_pixels(left) > 0
    # F shows the baseline in the right pane (flicker), F again the follow-up
    qtbot.keyClick(view.pair, Qt.Key_F)
    shown, flicker = view.pair.pane_images()   # the baseline, under its caption saying flicker
    band = round(20 * view.pair.devicePixelRatioF())   # (test_followup_captions.py reads it)
    assert np.array_equal(shown[band:], flicker[band:]) and not np.array_equal(shown, flicker)
    qtbot.keyClick(view.pair, Qt.Key_F)
    assert np.array_equal(view.pair.pane_images()[1], right)
    # D: later minus baseline, mid-grey where nothing changed, brighter in the grown rim
    qtbot.mouseClick(view.subtraction_button, Qt.LeftButton)
    difference = view.pair.pane_images()[1]
    assert np.median(difference[..., 1]) in range(120, 136)
    qtbot.mouseClick(view.subtraction_button, Qt.LeftButton)

    # a click in the left pane moves the crosshair in both panes to the voxel clicked
    w, h = view.pair.pane_size()
    expected = voxel_under(view.pair, w // 3, h // 3)
    qtbot.mouseClick(view.pair, Qt.LeftButton, pos=QPoint(w // 3, h // 3))
    assert np.allclose(view.pair.state.crosshair_ras, expected)
    x, y = crosshair_pixel(view.pair)
    assert abs(x - w // 3) <= 4 and abs(y - h // 3) <= 4     # within the clicked 3 mm voxel
    for rgb in view.pair.pane_images():
        assert np.all(rgb[0, x - 1:x + 1] == CROSSHAIR_COLOR, axis=1).any()
        assert np.all(rgb[y - 1:y + 1, 0] == CROSSHAIR_COLOR, axis=1).any()


def test_followup_studies_are_resampled_for_display_off_the_gui_thread(window, qtbot, mni_volume,
                                                                         tmp_path, monkeypatch):
    """Each later study resampled onto the baseline (seconds per 1 mm head: the window froze when
    it opened and when the Follow-up list chose a study not shown yet), its subtraction spread and
    the table across time points are made in the worker; the right pane shows the study chosen,
    the picture a window making them on the spot shows."""
    import threading

    from neuroview.app import followup_display, followup_track
    from neuroview.ui.followup_open import start_followup
    from neuroview.ui.followup_window import FollowupWindow

    calls = []

    def watched(function):
        def call(*args, **kwargs):
            calls.append((function.__name__, threading.current_thread() is threading.main_thread()))
            return function(*args, **kwargs)
        return call

    for module, name in ((followup_display, "later_on_baseline"), (followup_display, "subtraction_spread"),
                         (followup_track, "track_lesions")):
        monkeypatch.setattr(module, name, watched(getattr(module, name)))
    write_case(mni_volume, tmp_path, scale=2)   # 6 mm: which thread, whatever the size
    paths = {key: str(tmp_path / f"{name}.nii.gz") for key, name in (
        ("baseline", "t1"), ("baseline_labels", "t1_lesions"), ("followup", "t2"),
        ("followup_labels", "t2_lesions"), ("followup_2", "t3"), ("followup_2_labels", "t3_lesions"))}
    start_followup(window, paths, extract_brain=False)
    qtbot.waitUntil(lambda: getattr(window, "followup_window", None) is not None, timeout=300000)
    view = window.followup_window
    qtbot.waitExposed(view)
    qtbot.keyClick(view.timepoint, Qt.Key_Down)                    # follow-up 2, not shown yet
    assert view.index == 1 and view.windowTitle().endswith("follow-up 2")
    assert sorted(name for name, _ in calls) == ["later_on_baseline"] * 2 + ["subtraction_spread"] * 2 \
        + ["track_lesions"]
    assert [name for name, on_gui in calls if on_gui] == []

    on_the_spot = FollowupWindow(view.baseline_volume, view.baseline, view.laters, view.comparisons)
    qtbot.addWidget(on_the_spot)
    on_the_spot.resize(view.size())
    on_the_spot.show()
    qtbot.waitExposed(on_the_spot)
    on_the_spot.timepoint.setCurrentIndex(1)
    assert on_the_spot.pair.size() == view.pair.size()
    for shown, made_here in zip(view.pair.pane_images(), on_the_spot.pair.pane_images()):
        assert np.array_equal(shown, made_here)
    qtbot.keyClick(view.pair, Qt.Key_D)                            # subtraction: the same window
    qtbot.keyClick(on_the_spot.pair, Qt.Key_D)
    assert np.array_equal(view.pair.pane_images()[1], on_the_spot.pair.pane_images()[1])


def test_cancel_of_the_comparison_says_so(window, qtbot, mni_volume, tmp_path, registration_held):
    """Cancel in the status bar while the studies are registered: the comparison stops, no
    follow-up window opens, and the notice bar says it was cancelled (the bar just vanished)."""
    from neuroview.ui.followup_open import start_followup

    write_case(mni_volume, tmp_path, scale=2)   # 6 mm: the registration is held until the click
    paths = {key: str(tmp_path / f"{name}.nii.gz") for key, name in (
        ("baseline", "t1"), ("baseline_labels", "t1_lesions"), ("followup", "t2"),
        ("followup_labels", "t2_lesions"))}
    start_followup(window, paths, extract_brain=False)
    qtbot.waitUntil(lambda: "registration" in window.progress_text.text(), timeout=60000)
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    registration_held.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    assert getattr(window, "followup_window", None) is None
    assert window.notice_bar.text.startswith("Follow-up cancelled: nothing was compared")
    assert not window.message_bar.text


def test_closing_the_window_while_its_report_is_written_does_not_wait_for_it(window, qtbot,
                                                                             three_studies, tmp_path):
    """The follow-up window, closed while Report... writes (seconds), closes at once (it used to
    wait up to 30 s, the whole application frozen); the report is written all the same and the
    main window's notice bar says where; the window is freed once the report is written (as
    tests/ui/test_followup_free.py checks of a window closed at rest)."""
    from followup_freed import _freed, _settle

    from neuroview.ui.followup_window import FollowupWindow

    view = FollowupWindow(*three_studies, info=ReportInfo(masks_by="drawn by the test"), parent=window)
    view.setWindowFlag(Qt.Window)
    view.show()
    qtbot.waitExposed(view)
    job = view.write_report(tmp_path / "report")
    reference, destroyed = _freed(qtbot, view)
    view.close()
    assert not view.isVisible() and job.outcome[0] == "running"
    del view
    qtbot.waitUntil(lambda: "report.html" in window.notice_bar.text, timeout=120000)
    assert window.notice_bar.text.startswith("Follow-up report: wrote ")
    assert NOT_A_DIAGNOSIS in (tmp_path / "report" / "report.html").read_text()
    _settle(qtbot, destroyed)
    assert reference() is None


def test_a_header_click_sorts_the_table_by_number(followup_view, qtbot):  # noqa: F811
    view, table = followup_view, followup_view.table
    header = table.horizontalHeader()
    column = CSV_COLUMNS.index("change_ml")

    def click_header():
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))

    expected = sorted(float(cells[column]) for cells in table_rows(view.comparison.table))
    assert expected[0] < 0 < expected[-1]  # text order would put "+..." before "-..."
    click_header()
    assert [float(cells[column]) for cells in view.table_text()] == expected
    click_header()
    assert [float(cells[column]) for cells in view.table_text()] == expected[::-1]
    # change_pct is empty for a new lesion: it sorts after the numbers
    pct = CSV_COLUMNS.index("change_pct")
    x = header.sectionViewportPosition(pct) + header.sectionSize(pct) // 2
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    cells = [row[pct] for row in view.table_text()]
    numbers = [float(c) for c in cells if c]
    assert numbers in (sorted(numbers), sorted(numbers)[::-1]) and "" in cells
    # after sorting, a click on a row still jumps to that row's lesion
    status = view.table_text()[0][1]
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualItemRect(table.item(0, 1)).center())
    lesion = next(r for r in view.comparison.table.rows if r.id == int(table.item(0, 0).text()))
    assert lesion.status == status
    assert np.allclose(view.pair.state.crosshair_ras, lesion_voxel(view.pair, lesion))


def test_the_followup_list_chooses_the_later_study(followup_view, qtbot, three_studies):  # noqa: F811
    view = followup_view
    first_right = view.pair.pane_images()[1]
    qtbot.keyClick(view.timepoint, Qt.Key_Down)
    assert view.index == 1 and view.windowTitle() == "Follow-up: baseline (t1) | follow-up 2 (t3)"
    assert view.table_text() == for_reading(CSV_COLUMNS, table_rows(three_studies[3][1].table))[1]
    assert not np.array_equal(view.pair.pane_images()[1], first_right)
    qtbot.keyClick(view.timepoint, Qt.Key_Up)
    assert view.index == 0 and np.array_equal(view.pair.pane_images()[1], first_right)
    qtbot.keyClick(view.timepoint, Qt.Key_Down)
    # the right pane shows t3 registered onto the baseline: the outlines in both panes
    # match (t3 has the baseline's lesions, moved)
    row = next(r for r, cells in enumerate(view.table_text()) if cells[1] == "stable" and cells[6] and
               abs(float(cells[6])) < 10)
    qtbot.mouseClick(view.table.viewport(), Qt.LeftButton,
                     pos=view.table.visualItemRect(view.table.item(row, 1)).center())
    left, right = near_crosshair(view.pair, *view.pair.pane_images())
    assert outline_pixels(right) == pytest.approx(outline_pixels(left), rel=0.3)


def test_report_button_writes_the_report_in_the_background(followup_view, qtbot, tmp_path,  # noqa: F811
                                                           monkeypatch, three_studies):
    from pypdf import PdfReader

    view = followup_view
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "report"))
    qtbot.mouseClick(view.report_button, Qt.LeftButton)
    # the click returned while the report is still being written: the window is not frozen
    assert view.runner.busy and not view.report_button.isEnabled()
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=120000)
    assert view.report_button.isEnabled()
    assert view.status.text().startswith("wrote ") and "report.html" in view.status.text()
    comparisons = three_studies[3]
    for number, comparison in enumerate(comparisons, start=2):
        assert (tmp_path / "report" / f"lesions_tp{number}.csv").read_text() == table_csv(comparison.table)
    html = (tmp_path / "report" / "report.html").read_text()
    assert NOT_A_DIAGNOSIS in html and "drawn by the test" in html
    for comparison in comparisons:
        for cells in for_reading(CSV_COLUMNS, table_rows(comparison.table))[1]:   # L 21.1
            assert "".join(f"<td>{c}</td>" for c in cells) in html
    key = sum(c.table.count("new") + c.table.count("enlarging") for c in comparisons)
    assert len(re.findall(r'<img alt="lesion \d+ ', html)) == 2 * key  # key slices, both studies
    assert html.count('<img alt="lesion count and load over time"') == 1
    pdf = PdfReader(tmp_path / "report" / "report.pdf")
    assert "not a diagnosis" in " ".join(page.extract_text() for page in pdf.pages).replace("\n", " ")


def test_an_empty_mask_field_is_filled_by_the_model(window, qtbot, mni_volume, tmp_path, monkeypatch):
    """The follow-up's mask left empty: the model named in the dialog makes it (progress in the
    status bar), the window compares with the model's output and its report says so. No brain
    masks given: each study's brain is extracted by deepbet (the dialog's default), used for the
    brain volume change and written beside the model's mask."""
    import neuroview.ai.segment
    from neuroview.ai import brain_weights
    from tests.app.followup_cases import StandInModel, painted

    images = studies(mni_volume)
    image, affine, lesions = images["t2"]
    save_nifti(images["t1"][0], images["t1"][1], tmp_path / "t1.nii.gz")
    save_nifti(images["t1"][2], images["t1"][1], tmp_path / "t1_lesions.nii.gz")
    save_nifti(painted(image, lesions), affine, tmp_path / "t2.nii.gz")
    stand_in = StandInModel()
    monkeypatch.setattr(neuroview.ai.segment, "segment", stand_in)
    progress = []
    # without "step k of n: " (the one progress of the whole comparison)
    window.runner.progress.connect(
        lambda done, total, text: progress.append(re.sub(r"^step \d+ of \d+: ", "", text)))

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        for key, name in (("baseline", "t1.nii.gz"), ("baseline_labels", "t1_lesions.nii.gz"),
                          ("followup", "t2.nii.gz")):
            qtbot.keyClicks(dialog.edits[key], str(tmp_path / name))
        dialog.model.selectAll()
        qtbot.keyClicks(dialog.model, "standin")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
        qtbot.mouseClick(ok, Qt.LeftButton)

    QTimer.singleShot(200, fill_dialog)
    menu_action(window, "Open follow-up...").trigger()
    qtbot.waitUntil(lambda: getattr(window, "followup_window", None) is not None, timeout=300000)
    view = window.followup_window
    assert stand_in.calls == [("standin", "auto")]
    assert "segmenting (stand-in model)" in progress
    assert np.array_equal(view.laters[0].lesions > 0, lesions > 0)  # the model's output is used
    assert view.laters[0].lesions_model == "standin@0.3" and not view.baseline.lesions_model
    assert ("follow-up 1: made by the model standin@0.3 for this report, not corrected by a person"
            in view.info.masks_by)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "report"))
    qtbot.mouseClick(view.report_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=120000)
    assert view.info.masks_by in (tmp_path / "report" / "report.html").read_text()
    assert (tmp_path / "report" / "masks" / "tp2_lesions_standin_0.3.nii.gz").exists()
    if not brain_weights.is_available():
        return
    assert "baseline: brain extracted" in progress  # (a mask already made for the same image is
    assert "follow-up 1: brain extracted" in progress  # reused, without "extracting the brain")
    assert view.info.brain_masks == BRAIN_EXTRACTED
    assert f"Brain masks: {BRAIN_EXTRACTED}." in (tmp_path / "report" / "report.html").read_text()
    # measured; 3 mm against 3.2 x 2.8 x 3 mm is neither one voxel size nor 1.5 mm or finer, so
    # deepbet's repeatability is not claimed (followup_checks.deepbet_voxels_alike)
    comparison = view.comparisons[0]
    assert comparison.brain_volume_change_pct is not None and comparison.bvc_repeatability_pct is None
    assert (f"{comparison.brain_volume_change_pct:+.2f} % (repeatability unknown: voxel sizes "
            "differ)") in (tmp_path / "report" / "report.html").read_text()
    for number, study in ((1, view.baseline), (2, view.laters[0])):
        saved = load_nifti(tmp_path / "report" / "masks" / f"tp{number}_brain_deepbet.nii.gz")
        assert np.array_equal(saved.array > 0, study.brain)


def test_export_csv_saves_the_table_shown_as_the_cli_writes_it(followup_view, qtbot, tmp_path,  # noqa: F811
                                                                monkeypatch, three_studies):
    """Export CSV... with the second later study shown and the table sorted: the file is that
    study's ``lesions_tp3.csv`` as ``neuroview followup`` writes it (by id): write_outputs writes
    ``table_csv`` of the comparison's table there, as the report test above checks of its files
    (write_outputs' whole report, PDF and key slices, took 1.5-2 s of CPU here only for that)."""
    view = followup_view
    qtbot.keyClick(view.timepoint, Qt.Key_Down)
    header = view.table.horizontalHeader()
    column = CSV_COLUMNS.index("volume_followup_ml")
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    asked = []

    def save_dialog(parent, title, name, filters, **options):
        asked.append(name)
        return str(tmp_path / "exported.csv"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    assert [Path(name).name for name in asked] == ["lesions_tp3.csv"]   # test_followup_save_folder
    exported = (tmp_path / "exported.csv").read_text()
    assert exported == table_csv(three_studies[3][1].table)   # write_outputs' lesions_tp3.csv
    assert exported.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert len(exported.splitlines()) == 1 + view.table.rowCount()
    assert view.status.text().startswith("wrote exported.csv in ")   # the folder, not the path
    assert view.status.toolTip() == str(tmp_path / "exported.csv")
    # a name that is a folder: one line under the table, the window goes on, the folder stays
    (tmp_path / "taken.csv").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "taken.csv"), ""))
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    assert view.status.text().startswith("Export CSV: could not write taken.csv in ")
    assert view.status.toolTip() == str(tmp_path / "taken.csv")
    assert (tmp_path / "taken.csv").is_dir() and view.export_button.isEnabled()




def test_a_study_the_model_refuses_offers_run_anyway(window, qtbot, mni_volume, tmp_path, monkeypatch):
    """The follow-up's empty mask to be made by a model whose card refuses the study (a head its
    scanner tagged KNEE): the red bar said so with no way on (the CLI's --allow-domain-mismatch
    only). Now the notice bar offers *Run anyway*, as AI > Segment's does, and the window opens
    with the model's mask."""
    import neuroview.ai.segment
    from neuroview.core.errors import OutsideDomainError
    from neuroview.ui.followup_open import start_followup
    from tests.app.followup_cases import StandInModel, painted

    images = studies(mni_volume)
    image, affine, lesions = images["t2"]
    save_nifti(images["t1"][0], images["t1"][1], tmp_path / "t1.nii.gz")
    save_nifti(images["t1"][2], images["t1"][1], tmp_path / "t1_lesions.nii.gz")
    save_nifti(painted(image, lesions), affine, tmp_path / "t2.nii.gz")
    line = "standin@0.3 is made for head; this series is a knee MR (BodyPartExamined KNEE)"
    model, asked = StandInModel(), []

    def refusing(volume, model_ref="", device="auto", progress=None, cancel=None,
                 allow_domain_mismatch=False):
        asked.append(allow_domain_mismatch)
        if not allow_domain_mismatch:
            raise OutsideDomainError(line + OutsideDomainError.NOT_RUN, path=volume.source_path)
        return model(volume, model_ref, device, progress, cancel)

    monkeypatch.setattr(neuroview.ai.segment, "segment", refusing)
    paths = {"baseline": str(tmp_path / "t1.nii.gz"), "baseline_labels": str(tmp_path / "t1_lesions.nii.gz"),
             "followup": str(tmp_path / "t2.nii.gz"), "followup_labels": ""}
    start_followup(window, paths, brain_threshold=True, model="standin")
    qtbot.waitUntil(lambda: "Run anyway" in window.notice_bar.buttons, timeout=60000)
    assert window.notice_bar.text == f"{tmp_path / 't2.nii.gz'}: {line}: not run on it."
    assert window.message_bar.isHidden()   # one message, with its way on (not the red bar)
    window.notice_bar.buttons["Run anyway"].click()
    qtbot.waitUntil(lambda: getattr(window, "followup_window", None) is not None, timeout=120000)
    assert asked == [False, True]
    view = window.followup_window
    assert np.array_equal(view.laters[0].lesions > 0, lesions > 0)   # the model's mask is compared
    assert view.laters[0].lesions_model == "standin@0.3"
