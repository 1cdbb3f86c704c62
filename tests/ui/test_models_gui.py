"""AI > Models...: the registry in a table, compare two versions, promote (refusing a worse model
unless the user confirms), roll back, remove; the Segment dialog follows the default."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import open_image, wait_for_session, write_image
from models_dialog_cases import Answers, table_rows
from train_data import install, make_raw_dataset

from neuroview.ai.registry import Registry

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

torch = pytest.importorskip("torch")


def test_models_dialog_compare_promote_rollback_remove(qtbot, window, tmp_path, monkeypatch):
    answers = Answers(monkeypatch)
    registry = Registry()
    bundled = registry.default_ref()
    install(tmp_path, "blobs", "1.0.0", 0.70)
    install(tmp_path, "blobs", "1.1.0", 0.80, parent="blobs@1.0.0")
    install(tmp_path, "blobs", "1.2.0", 0.60, parent="blobs@1.1.0")
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    qtbot.waitExposed(dialog)
    rows = table_rows(dialog)
    assert {"blobs@1.0.0", "blobs@1.1.0", "blobs@1.2.0", bundled} <= set(rows)
    assert rows["blobs@1.1.0"][2:6] == ["user", "lesion 0.8000", "split-a", "blobs@1.0.0"]
    assert rows[bundled][0].endswith("default") and rows[bundled][2] == "bundled"
    assert rows["blobs@1.0.0"][0] == ""

    # Compare two versions: the cards' numbers side by side and their difference.
    dialog.select_refs("blobs@1.0.0", "blobs@1.1.0")
    compare = dialog.compare_table
    cells = {compare.item(r, 0).text(): [compare.item(r, c).text() for c in (1, 2, 3)]
             for r in range(compare.rowCount())}
    assert cells["Dice lesion"] == ["0.7000", "0.8000", "+0.1000"]
    assert cells["parent"] == ["-", "blobs@1.0.0"] + [""]
    assert "same held-out split" in dialog.compare_label.text()
    assert not dialog.promote_button.isEnabled()  # two rows selected

    # Over the bundled model (another split) the registry cannot tell: asked; No keeps it.
    dialog.select_refs("blobs@1.0.0")
    # one model selected: what its card does around the network
    assert dialog.compare_label.text().startswith("blobs@1.0.0:\n  after: ")
    answers.replies = [False]
    dialog.promote_button.click()
    assert len(answers.asked) == 1 and "not measured on the same split" in answers.asked[0]
    assert registry.default_ref() == bundled and "Not promoted" in dialog.status_label.text()
    answers.replies = [True]
    dialog.promote_button.click()
    assert registry.default_ref() == "blobs@1.0.0"

    # A better one on the same split: promoted without a question.
    dialog.select_refs("blobs@1.1.0")
    dialog.promote_button.click()
    assert len(answers.asked) == 2 and registry.default_ref() == "blobs@1.1.0"
    assert table_rows(dialog)["blobs@1.1.0"][0].endswith("default")

    # A worse one: refused with the reason unless the user says yes.
    dialog.select_refs("blobs@1.2.0")
    answers.replies = [False]
    dialog.promote_button.click()
    assert "lower held-out Dice (0.6000) than the current default blobs@1.1.0 (0.8000)" in answers.asked[-1]
    assert registry.default_ref() == "blobs@1.1.0"
    answers.replies = [True]
    dialog.promote_button.click()
    assert registry.default_ref() == "blobs@1.2.0"
    assert dialog.status_label.text().startswith("blobs@1.2.0 is the default for lesion (was blobs@1.1.0), "
                                                 "promoted anyway: ")

    # Roll back twice: the previous defaults come back in order.
    assert "blobs@1.1.0" in dialog.default_label.text()  # "Roll back restores blobs@1.1.0"
    dialog.rollback_button.click()
    assert registry.default_ref() == "blobs@1.1.0"
    dialog.rollback_button.click()
    assert registry.default_ref() == "blobs@1.0.0"
    assert table_rows(dialog)["blobs@1.0.0"][0].endswith("default")

    # Remove: bundled models cannot be; a user model goes after a confirmation.
    dialog.select_refs(bundled)
    assert not dialog.remove_button.isEnabled()
    dialog.select_refs("blobs@1.2.0")
    answers.replies = [False]
    dialog.remove_button.click()
    assert "blobs@1.2.0" in {e.ref for e in registry.entries()}
    answers.replies = [True]
    dialog.remove_button.click()
    assert "blobs@1.2.0" not in {e.ref for e in registry.entries()}
    assert "blobs@1.2.0" not in table_rows(dialog)

    # The Segment dialog offers the new default first.
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    window.ai_actions.segment_dialog()
    segment = window.ai_actions.dialog
    assert segment.model_box.currentData() == "blobs@1.0.0"
    assert "[default]" in segment.model_box.currentText()
    segment.reject()

    # Removing the default says so before, and names the default after (the bundled model).
    dialog.select_refs("blobs@1.0.0")
    answers.replies = [True]
    dialog.remove_button.click()
    assert "blobs@1.0.0 is the default for lesion: the bundled model becomes the default" \
        in answers.asked[-1]
    assert registry.default_ref() == bundled
    assert dialog.status_label.text() == f"Removed blobs@1.0.0; the default for lesion is now {bundled}"
    assert f"Default for lesion: {bundled}" in dialog.default_label.text()


def test_measure_two_models_on_a_dataset_then_promote_by_it(qtbot, window, tmp_path, rng, monkeypatch):
    """Cards on different splits cannot be compared: both models run on one dataset's held-out
    split (in a child process); the numbers equal an independent evaluation and decide promotion."""
    from neuroview.ai.finetune import evaluate_cases, read_dataset, split
    from neuroview.ai.segment import get_model

    answers = Answers(monkeypatch)
    dataset = make_raw_dataset(tmp_path, rng)
    # The cards claim the opposite of the truth, on two different splits.
    install(tmp_path, "blobs", "1.0.0", 0.10, split="x", head_bias=[0.0, 10.0])   # all lesion
    install(tmp_path, "blobs", "1.1.0", 0.90, split="y", head_bias=[10.0, 0.0])   # all background
    registry = Registry()
    registry.promote("blobs@1.0.0", force=True)
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    assert dialog.measure_button.isEnabled() and "not comparable" in dialog.compare_label.text()
    seen = []   # the child's progress lines (models compare --dataset, NEUROVIEW_PROGRESS_LINES)
    dialog.measure_runner.progress.connect(lambda done, total, text: seen.append((done, total, text)))
    dialog.measure("blobs@1.0.0", "blobs@1.1.0", str(dataset), device="cpu")
    assert dialog.measuring and not dialog.measure_button.isEnabled()
    assert dialog.measure_bar.isVisibleTo(dialog) and dialog.cancel_measure_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.measuring, timeout=120000)
    _, held_out, split_id = split(read_dataset(dataset))
    total = 2 * len(held_out)
    assert seen and {t for _, t, _ in seen} == {total} and seen[-1][0] == total
    assert any(text == f"blobs@1.1.0 on held-out case 1 of {len(held_out)}" for _, _, text in seen), seen
    assert not dialog.measure_bar.isVisibleTo(dialog)
    measured = {ref: evaluate_cases(get_model(ref), held_out, "cpu")
                for ref in ("blobs@1.0.0", "blobs@1.1.0")}
    expected = {ref: dice[0] for ref, (dice, _) in measured.items()}
    f1 = {ref: summary["f1"] for ref, (_, summary) in measured.items()}
    assert expected["blobs@1.0.0"] > 0.0 == expected["blobs@1.1.0"]
    # MSSEG-2016's rule: the all-lesion answer is one region over the whole image, which finds no
    # lesion (the any-overlap rule credited it with every one), and the other finds nothing
    assert f1["blobs@1.0.0"] == 0.0 == f1["blobs@1.1.0"]
    compare = dialog.compare_table
    cells = {compare.item(r, 0).text(): [compare.item(r, c).text() for c in (1, 2, 3)]
             for r in range(compare.rowCount())}
    a, b = expected["blobs@1.0.0"], expected["blobs@1.1.0"]
    assert cells["Dice lesion, measured"] == [f"{a:.4f}", f"{b:.4f}", f"{b - a:+.4f}"]
    fa, fb = f1["blobs@1.0.0"], f1["blobs@1.1.0"]
    assert cells["F1 lesion-wise, measured"] == [f"{fa:.4f}", f"{fb:.4f}", f"{fb - fa:+.4f}"]
    assert f"split {split_id}" in dialog.compare_label.text()

    dialog.select_refs("blobs@1.1.0")
    answers.replies = [False]
    dialog.promote_button.click()
    # as models promote --dataset: lesion-wise F1 first, equal here, then Dice; the command
    # line's hint is not shown
    assert (f"lower held-out Dice ({b:.4f}) than the current default blobs@1.0.0 "
            f"({a:.4f})") in answers.asked[0]
    assert "--force" not in answers.asked[0]
    assert registry.default_ref() == "blobs@1.0.0"


def test_promote_after_measuring_follows_lesion_wise_f1_as_the_command_line(qtbot, window, tmp_path,
                                                                            monkeypatch):
    """Measured on one split, the candidate had the higher Dice but the lower lesion-wise F1:
    ``models promote --dataset`` refuses it (F1 first), the dialog compared Dice only and
    promoted it without a word, and showed no measured lesion-wise figure."""
    answers = Answers(monkeypatch)
    install(tmp_path, "blobs", "1.0.0", 0.5, split="x")
    install(tmp_path, "blobs", "1.1.0", 0.5, split="y")
    registry = Registry()
    registry.promote("blobs@1.0.0", force=True)
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    summary = {"lesions": 12, "false_positives_per_case": 0.5, "dice": 0.6}
    dialog.take_measurement({"split": "s1", "cases": 4, "models": {
        "blobs@1.0.0": {"dice": [0.60], "lesionwise": {**summary, "found": 11, "f1": 0.8125}},
        "blobs@1.1.0": {"dice": [0.66], "lesionwise": {**summary, "found": 7, "f1": 0.6231}}}},
        "blobs@1.0.0", "blobs@1.1.0", str(tmp_path / "Dataset001_X"))
    dialog._selection_changed()
    compare = dialog.compare_table
    cells = {compare.item(r, 0).text(): [compare.item(r, c).text() for c in (1, 2, 3)]
             for r in range(compare.rowCount())}
    assert cells["lesions found, measured"] == ["11/12", "7/12", "-4"]
    dialog.select_refs("blobs@1.1.0")
    answers.replies = [False]
    dialog.promote_button.click()
    assert answers.asked and "lesion-wise F1 (0.6231)" in answers.asked[0]
    assert registry.default_ref() == "blobs@1.0.0"


def test_a_measurement_reused_says_when_it_was_made_in_local_time(qtbot, window, tmp_path):
    """*Measure on a dataset...* whose figures ``models compare`` reused said only ``Measured A
    and B``; now it says whose figures are of when, in local time (not the stored UTC stamp)."""
    from datetime import datetime, timedelta, timezone

    install(tmp_path, "blobs", "1.0.0", 0.5, split="x")
    install(tmp_path, "blobs", "1.1.0", 0.5, split="y")
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    day_ago = (datetime.now(timezone.utc) - timedelta(days=1)).replace(second=0, microsecond=0)
    summary = {"lesions": 12, "false_positives_per_case": 0.5, "dice": 0.6, "found": 9, "f1": 0.7}
    stamp = f"{day_ago:%Y-%m-%d %H:%M} UTC"   # as measurements.json kept it until session 34
    dialog.take_measurement({"split": "s1", "cases": 4, "models": {
        "blobs@1.0.0": {"dice": [0.60], "lesionwise": summary, "reused_from": stamp},
        "blobs@1.1.0": {"dice": [0.66], "lesionwise": summary, "reused_from": ""}}},
        "blobs@1.0.0", "blobs@1.1.0", str(tmp_path / "Dataset001_X"))
    assert dialog.status_label.text() == (
        "Measured blobs@1.0.0 and blobs@1.1.0 on Dataset001_X split s1 (blobs@1.0.0's figures of "
        f"yesterday {day_ago.astimezone():%H:%M} reused: the same model files and dataset content).")


def test_a_measurement_names_the_held_out_cases_the_cards_refused(qtbot, window, tmp_path):
    """``models compare --dataset --json``'s ``refused`` (a knee in a head set, not scored since
    session 52) is named under the figures, its refusal on hover: the figures are over fewer
    cases than the split holds."""
    install(tmp_path, "blobs", "1.0.0", 0.5, split="x")
    install(tmp_path, "blobs", "1.1.0", 0.5, split="y")
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    summary = {"lesions": 12, "false_positives_per_case": 0.5, "dice": 0.6, "found": 9, "f1": 0.7}
    why = "blobs@1.0.0 is made for head MR; this series is a knee MR (BodyPartExamined KNEE): not run on it"
    dialog.take_measurement({"split": "s1", "cases": 3, "models": {
        "blobs@1.0.0": {"dice": [0.60], "lesionwise": summary, "reused_from": "",
                        "refused": {"nv_0007": why}},
        "blobs@1.1.0": {"dice": [0.66], "lesionwise": summary, "reused_from": "",
                        "refused": {"nv_0007": why.replace("1.0.0", "1.1.0")}}}},
        "blobs@1.0.0", "blobs@1.1.0", str(tmp_path / "Dataset001_X"))
    assert dialog.status_label.text() == ("Measured blobs@1.0.0 and blobs@1.1.0 on Dataset001_X split s1. "
                                          "Not scored, refused by the model's card: nv_0007.")
    assert "BodyPartExamined KNEE" in dialog.status_label.toolTip()


def test_promote_by_a_measurement_on_lesion_free_held_out_cases_asks(qtbot, window, tmp_path, rng,
                                                                     monkeypatch):
    """Measured on a dataset whose held-out cases hold no lesion, the model that marks nothing
    scores Dice 1.0 against 0.0: Promote asks first (it promoted without a word)."""
    import json
    import shutil

    import nibabel as nib

    from neuroview.ai.finetune import read_dataset, split
    from neuroview.ai.held_out import MIN_HELD_OUT_CASES

    answers = Answers(monkeypatch)
    dataset = make_raw_dataset(tmp_path, rng)
    for number in range(6, 12):   # 12 cases: 2 held out, enough evidence by the case count
        for folder, name in (("imagesTr", "c{}_0000.nii.gz"), ("labelsTr", "c{}.nii.gz")):
            shutil.copy(dataset / folder / name.format(number % 6), dataset / folder / name.format(number))
    meta = json.loads((dataset / "dataset.json").read_text())
    (dataset / "dataset.json").write_text(json.dumps({**meta, "numTraining": 12}))
    for label in (dataset / "labelsTr").glob("*.nii.gz"):
        image = nib.load(label)
        nib.save(nib.Nifti1Image(np.zeros(image.shape, np.uint8), image.affine), label)
    assert len(split(read_dataset(dataset))[1]) >= MIN_HELD_OUT_CASES
    install(tmp_path, "blobs", "1.0.0", 0.5, split="x", head_bias=[0.0, 10.0])    # all lesion
    install(tmp_path, "blobs", "1.1.0", 0.5, split="y", head_bias=[10.0, 0.0])    # all background
    registry = Registry()
    registry.promote("blobs@1.0.0", force=True)
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    dialog.measure("blobs@1.0.0", "blobs@1.1.0", str(dataset), device="cpu")
    qtbot.waitUntil(lambda: not dialog.measuring, timeout=120000)
    assert dialog.measured_lesions == 0, dialog.status_label.text()
    dialog.select_refs("blobs@1.1.0")
    answers.replies = [False]
    dialog.promote_button.click()
    assert answers.asked and "hold no" in answers.asked[0]
    assert registry.default_ref() == "blobs@1.0.0"


def test_the_ai_click_model_cannot_be_promoted_to_segment_images(qtbot, window):
    """Selecting the bundled clickseg leaves Promote disabled (it asked 'Promote anyway?' about
    held-out splits, and Yes made the AI click network the default lesion model)."""
    from PySide6.QtCore import Qt

    registry = Registry()
    default = registry.default_ref()
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    qtbot.waitExposed(dialog)
    row = next(r for r in range(dialog.table.rowCount())
               if dialog.table.item(r, 1).text().startswith("clickseg@"))
    ref = dialog.table.item(row, 1).text()
    rect = dialog.table.visualItemRect(dialog.table.item(row, 1))
    qtbot.mouseClick(dialog.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert dialog.selected_refs() == [ref]
    assert not dialog.promote_button.isEnabled() and "AI click" in dialog.promote_button.toolTip()
    assert not dialog.promote(ref)            # no question asked: it is refused with the reason
    assert dialog.status_label.text().startswith(f"Not promoted: {ref} is a promptable (AI click) model")
    assert Registry().default_ref() == default and dialog.default_label.text().endswith(default)


def test_measure_shows_progress_and_cancel_and_closing_the_dialog_stops_it(qtbot, window, tmp_path,
                                                                           monkeypatch):
    """Measure on a dataset... showed no progress and could not be stopped; closing the dialog
    left its child process running. A stand-in child prints one progress line and waits."""
    import os

    from editor_helpers import close_keep_keep_stop
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from neuroview.ui import training_runner

    line = "progress 1/4 blobs@1.0.0 on held-out case 2 of 2"
    monkeypatch.setattr(training_runner, "neuroview_command",
                        lambda arguments: ("sh", ["-c", f"echo '{line}'; exec sleep 60"]))
    install(tmp_path, "blobs", "1.0.0", 0.5)
    install(tmp_path, "blobs", "1.1.0", 0.6)

    def gone(pid) -> bool:
        try:
            os.kill(pid, 0)
        except OSError:
            return True
        return False

    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    assert not dialog.measure_bar.isVisibleTo(dialog)
    dialog.measure("blobs@1.0.0", "blobs@1.1.0", str(tmp_path), device="cpu")
    qtbot.waitUntil(lambda: dialog.measure_bar.maximum() == 4, timeout=10000)
    assert dialog.measure_bar.value() == 1 and dialog.measure_bar.isVisible()
    assert dialog.status_label.text() == "Measuring: blobs@1.0.0 on held-out case 2 of 2"
    pid = dialog.measure_runner.process.processId()
    dialog.cancel_measure_button.click()
    assert not dialog.measuring and gone(pid)
    assert dialog.status_label.text() == "Measuring blobs@1.0.0 and blobs@1.1.0 cancelled."
    assert not dialog.measure_bar.isVisibleTo(dialog) and dialog.measure_button.isEnabled()
    assert dialog.measured == {}

    # closing the dialog asks first, as Rank and Train do (Close stopped it without a word)
    dialog.measure("blobs@1.0.0", "blobs@1.1.0", str(tmp_path), device="cpu")
    qtbot.waitUntil(lambda: dialog.measure_bar.maximum() == 4, timeout=10000)
    pid = dialog.measure_runner.process.processId()
    close = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Close")
    asked = close_keep_keep_stop(dialog, close, lambda: dialog.measuring)
    assert asked == ["Measuring blobs@1.0.0 and blobs@1.1.0 is still running (1 of 4 runs on held-out "
                     "cases done)."] * 3
    assert gone(pid)
    assert dialog.status_label.text() == "Measuring blobs@1.0.0 and blobs@1.1.0 cancelled."
    assert window.model_actions.open_models_dialog() is dialog and dialog.measure_button.isEnabled()
    qtbot.mouseClick(close, Qt.LeftButton)   # nothing measured: no question
    assert len(asked) == 3 and not dialog.isVisible()
    window.model_actions.open_models_dialog()

    # closing the window with the dialog open stops it too (it went on measuring)
    dialog.measure("blobs@1.0.0", "blobs@1.1.0", str(tmp_path), device="cpu")
    qtbot.waitUntil(lambda: dialog.measuring, timeout=10000)
    pid = dialog.measure_runner.process.processId()
    window.close()
    assert not window.isVisible() and not dialog.measuring and gone(pid)
    assert len(asked) == 3   # the window stops it without asking about the measuring


