"""File > Worklist > Rank cases to annotate... with a worklist open proposes that worklist's cases (the
folder a ranking ranked, for a ranking's CSV), as it proposes the training set Send used last:
the Cases field was empty, and Rank said "choose the unlabelled cases" mid-worklist."""

from __future__ import annotations

from worklist_cases import open_worklist, worklist_folder


def test_the_open_worklists_cases_are_proposed(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    dialog = window.training_actions.open_rank_dialog()
    assert dialog.cases_edit.text() == ""                  # no worklist open: nothing to propose
    dialog.close()
    open_worklist(qtbot, window, cases)
    dialog = window.training_actions.open_rank_dialog()
    assert dialog.cases_edit.text() == str(cases)
    dialog.cases_edit.setText(str(tmp_path / "mine"))     # what the user typed stays
    dialog.close()
    assert window.training_actions.open_rank_dialog().cases_edit.text() == str(tmp_path / "mine")
    dialog.cases_edit.clear()
    dialog.close()
    # a ranking of that folder (its CSV names the folder it ranked): the folder, not the CSV
    ranking = tmp_path / "ranking.csv"
    ranking.write_text(f"id,path,status,worklist\nb_case.nii.gz,{cases / 'b_case.nii.gz'},new,{cases}\n")
    open_worklist(qtbot, window, ranking)
    assert window.training_actions.open_rank_dialog().cases_edit.text() == str(cases)


def test_the_case_on_screen_is_said_to_be_open_in_this_window(qtbot, window, tmp_path):
    """Ranking the open worklist's cases leaves out the case on screen: the log said "open in
    root's window (being edited)", the user's own read as someone's (session 38's walk)."""
    from neuroview.dataset.layout import init_dataset

    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases)
    shown = window.training_actions.worklist.current
    init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    dialog = window.training_actions.open_rank_dialog()
    dialog.dataset_edit.setText(str(tmp_path))
    dialog.model_edit.setText("tests.dataset.fake_model:probabilities")
    dialog.rank_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    log = dialog.log_view.toPlainText()
    assert f"note: {shown}: open in this window (being edited), not ranked" in log, log
    assert [dialog.table.item(row, 1).text() for row in range(dialog.table.rowCount())] == [
        name for name in ("a_case.nii.gz", "b_case.nii.gz") if name != shown]
