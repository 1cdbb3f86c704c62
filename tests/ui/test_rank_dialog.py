"""File > Worklist > Rank cases to annotate...: ``neuroview dataset rank`` run from the window in its own
process (a fake model, no torch), the ranked cases shown, the proposed one opened, and Cancel."""

from __future__ import annotations

import os

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import wait_for_session
from PySide6.QtCore import QProcess

from neuroview.dataset.layout import init_dataset

FAKE_MODEL = "tests.dataset.fake_model:probabilities"   # intensity -> probability (tests/dataset)


def _pool(tmp_path, rng):
    """Three unlabelled cases: the fake model hesitates most on 'hesitant', least on 'sharp'."""
    cases = tmp_path / "pool"
    cases.mkdir()
    for name, spread in {"sharp": 2.0, "hesitant": 0.05, "middle": 0.3}.items():
        array = (0.5 + spread * rng.uniform(-1, 1, (12, 10, 8))).astype(np.float32)
        nib.save(nib.Nifti1Image(array, np.eye(4)), cases / f"{name}.nii.gz")
    return cases


def test_rank_shows_the_cases_most_uncertain_first_and_opens_the_proposed_one(qtbot, window, tmp_path,
                                                                                rng):
    cases = _pool(tmp_path, rng)
    dataset = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    window.training_actions.rank_action.trigger()
    dialog = window.training_actions.rank_dialog
    qtbot.waitExposed(dialog)
    dialog.dataset_edit.setText(str(tmp_path))   # the folder holding the dataset, as Send takes it
    dialog.cases_edit.setText(str(cases))
    dialog.model_edit.setText(FAKE_MODEL)
    dialog.rank_button.click()
    assert dialog.running and not dialog.rank_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    ids = [dialog.table.item(row, 1).text() for row in range(dialog.table.rowCount())]
    assert ids == ["hesitant.nii.gz", "middle.nii.gz", "sharp.nii.gz"], dialog.log_view.toPlainText()
    scores = [float(dialog.table.item(row, 2).text()) for row in range(3)]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum() == 3   # its progress lines
    # written to the user's data folder: a CSV in the pool folder would become a case of it
    assert str(dialog.output).startswith(os.environ["NEUROVIEW_HOME"])
    assert dialog.output.name.startswith(f"{dataset.name}-") and not any(cases.glob("*.csv"))
    from neuroview.ui.rank_dialog import ranking_path
    twin = tmp_path / "elsewhere" / dataset.name          # another dataset of the same folder name
    assert ranking_path(str(twin)) != dialog.output == ranking_path(str(dataset))
    assert "annotate hesitant.nii.gz next" in dialog.status_label.text()
    assert dialog.open_button.isEnabled()
    dialog.open_button.click()
    session = wait_for_session(qtbot, window)
    assert os.path.realpath(session.volume.source_path) == os.path.realpath(cases / "hesitant.nii.gz")
    assert window.training_actions.worklist is not None
    assert [c.case_id for c in window.training_actions.worklist.cases] == ids   # Next case follows it
    # the user goes on to the next case; a later Open opens the proposed case again, not the case
    # the worklist of the ranking was left at
    window.training_actions.next_case()
    qtbot.waitUntil(lambda: window.editor.case is not None and window.editor.case.source_paths[0].endswith(
        "middle.nii.gz"), timeout=30000)
    dialog.open_button.click()
    qtbot.waitUntil(lambda: window.editor.case is not None and window.editor.case.source_paths[0].endswith(
        "hesitant.nii.gz"), timeout=30000)   # no case while one closes and the next opens


def test_cancel_stops_the_ranking_and_a_missing_folder_is_named(qtbot, window, tmp_path, monkeypatch):
    from neuroview.ui import training_runner

    monkeypatch.setattr(training_runner, "neuroview_command", lambda arguments: ("sleep", ["60"]))
    dialog = window.training_actions.open_rank_dialog()
    dialog.dataset_edit.setText(str(tmp_path))
    dialog.cases_edit.setText(str(tmp_path / "gone"))
    dialog.rank_button.click()
    assert not dialog.running and f"gone in …/{tmp_path.name} does not exist" in dialog.status_label.text()
    dialog.cases_edit.setText(str(tmp_path))
    dialog.rank_button.click()
    qtbot.waitUntil(lambda: dialog.running, timeout=5000)
    pid = dialog.runner.process.processId()
    dialog.cancel_button.click()
    assert dialog.runner.process.state() == QProcess.NotRunning
    qtbot.waitUntil(lambda: dialog.status_label.text() == "Ranking cancelled.", timeout=5000)
    assert dialog.rank_button.isEnabled() and not dialog.open_button.isEnabled()
    try:
        os.kill(pid, 0)
        gone = False
    except OSError:
        gone = True
    assert gone


def test_a_folder_without_a_dataset_fails_in_one_line_and_the_dialog_stays_usable(qtbot, window, tmp_path,
                                                                                    rng):
    cases = _pool(tmp_path, rng)
    empty = tmp_path / "empty"
    empty.mkdir()
    dialog = window.training_actions.open_rank_dialog()
    dialog.dataset_edit.setText(str(empty))
    dialog.cases_edit.setText(str(cases))
    dialog.model_edit.setText(FAKE_MODEL)
    dialog.rank_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    status = dialog.status_label.text()
    assert status.startswith("Ranking failed: neuroview: error: ") and str(empty) in status, status
    assert dialog.table.rowCount() == 0 and not dialog.open_button.isEnabled()
    assert dialog.rank_button.isEnabled() and window.isVisible()


def test_the_table_fits_the_dialog_at_its_default_size_and_paths_are_whole_on_hover(qtbot, window):
    """The Path column ran past the dialog's right edge at its default width (cut, a scroll bar
    to reach it): the figures take what they need, the path the rest, cut in the middle."""
    from PySide6.QtCore import Qt

    dialog = window.training_actions.open_rank_dialog()
    qtbot.waitExposed(dialog)
    path = "/data/hospital/neuro/incoming/2026/study-0001/series-T2-FLAIR-axial/case-0001_flair.nii.gz"
    dialog.rows = [{"id": f"case-000{n}", "score": "0.5", "mutual_information": "0.1",
                    "uncertain_voxels": "1234", "path": path} for n in range(3)]
    dialog._fill()
    table = dialog.table
    header = table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(table.columnCount()))
    assert used <= table.viewport().width(), (used, table.viewport().width())
    assert not table.horizontalScrollBar().isVisible()
    for column in range(table.columnCount() - 1):   # the figures are not cut
        assert header.sectionSize(column) >= table.sizeHintForColumn(column)
    item = table.item(0, table.columnCount() - 1)
    assert item.text() == item.toolTip() == path
    # cut in its middle on one line, the file name kept (wrapped at its dashes, the file name was cut)
    assert table.textElideMode() == Qt.ElideMiddle and not table.wordWrap()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return True
    return False


def _sleeping_ranking(qtbot, dialog, tmp_path):
    dialog.dataset_edit.setText(str(tmp_path))
    dialog.cases_edit.setText(str(tmp_path))
    dialog.show()
    dialog.rank_button.click()
    qtbot.waitUntil(lambda: dialog.running, timeout=5000)
    return dialog.runner.process.processId()


def test_closing_the_dialog_while_ranking_asks_and_closing_the_window_stops_it(qtbot, window, tmp_path,
                                                                                monkeypatch):
    """The dialog closed (Close, Esc, the title bar) and its child process went on ranking
    unseen, also after the window had closed: now closing asks Stop ranking / Keep ranking, and
    the window's close stops it."""
    from editor_helpers import close_keep_keep_stop

    from neuroview.ui import training_runner

    monkeypatch.setattr(training_runner, "neuroview_command", lambda arguments: ("sleep", ["60"]))
    dialog = window.training_actions.open_rank_dialog()
    qtbot.waitExposed(dialog)
    pid = _sleeping_ranking(qtbot, dialog, tmp_path)
    dialog.runner.progress.emit(1.0, 4.0, "case b")   # as its progress line would
    asked = close_keep_keep_stop(dialog, dialog.close_button, lambda: dialog.running)
    assert asked == ["The ranking is still running (1 of 4 cases done)."] * 3
    assert _gone(pid)
    qtbot.waitUntil(lambda: dialog.status_label.text() == "Ranking cancelled.", timeout=5000)

    pid = _sleeping_ranking(qtbot, dialog, tmp_path)
    window.close()
    assert not window.isVisible() and not dialog.running and _gone(pid)
    assert len(asked) == 3   # the window stops it without asking about the ranking


def test_cases_the_model_refuses_are_named_and_ranked_anyway_when_ticked(qtbot, window, tmp_path):
    """A knee MR among the cases of a head model: the dialog said nothing of it (the log named a CLI
    flag it could not pass). Now the status line names the refused case, and *Rank refused cases
    anyway* ranks it (the real ``dataset rank``, a tiny head model)."""
    import sys
    from pathlib import Path

    pytest.importorskip("torch")
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from tests.ai.model_cards import make_card

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
    from ct_maker import write_ct

    card = make_card(domain={"body_parts": ["HEAD"]})
    package = save_package(tmp_path / "tiny", card,
                           build_network(card.architecture, card.hyperparameters).state_dict())
    pool = tmp_path / "pool"
    pool.mkdir()
    nib.save(nib.Nifti1Image(np.random.default_rng(0).random((24, 24, 24)).astype(np.float32),
                             np.diag([2.0, 2, 2, 1])), pool / "a_head.nii.gz")
    write_ct(pool / "b_knee", modality="MR", body_part="KNEE", size=24, spacing=2.0, n_slices=12)
    init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    dialog = window.training_actions.open_rank_dialog()
    dialog.dataset_edit.setText(str(tmp_path))
    dialog.cases_edit.setText(str(pool))
    dialog.model_edit.setText(str(package))
    dialog.rank_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=120000)
    ids = [dialog.table.item(row, 1).text() for row in range(dialog.table.rowCount())]
    assert ids == ["a_head.nii.gz"], dialog.log_view.toPlainText()
    assert dialog.status_label.text().endswith(
        " Refused by the model: b_knee (tick Rank refused cases anyway)."), dialog.status_label.text()
    dialog.anyway_box.click()
    dialog.rank_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=120000)
    ids = [dialog.table.item(row, 1).text() for row in range(dialog.table.rowCount())]
    assert sorted(ids) == ["a_head.nii.gz", "b_knee"], dialog.log_view.toPlainText()
    assert "Refused" not in dialog.status_label.text()
    assert "ranked anyway: tiny@1.0.0 is made for head" in dialog.log_view.toPlainText()


def test_refused_cases_are_named_from_the_commands_result_whatever_its_wording(qtbot, window, tmp_path,
                                                                               rng):
    """The dialog found the refused cases by the wording of the log's note lines ("... ranks it
    anyway), not ranked"): a refusal worded otherwise (here a model of the user's own, which names
    no way on) was ranked out with no word in the status line. It now reads ``dataset rank
    --json``'s list of refused cases."""
    cases = _pool(tmp_path, rng)
    nib.save(nib.Nifti1Image(np.full((12, 10, 8), 0.95, np.float32), np.eye(4)), cases / "bright.nii.gz")
    init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    dialog = window.training_actions.open_rank_dialog()
    dialog.dataset_edit.setText(str(tmp_path))
    dialog.cases_edit.setText(str(cases))
    dialog.model_edit.setText("tests.dataset.fake_model:refusing")
    dialog.rank_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    ids = [dialog.table.item(row, 1).text() for row in range(dialog.table.rowCount())]
    assert ids == ["hesitant.nii.gz", "middle.nii.gz", "sharp.nii.gz"], dialog.log_view.toPlainText()
    assert dialog.status_label.text().endswith(
        " Refused by the model: bright.nii.gz (tick Rank refused cases anyway)."), dialog.status_label.text()
