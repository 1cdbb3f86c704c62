"""The follow-up window's options and its table across all time points: registration (rigid or
affine), the enlarging/shrinking thresholds and who made the masks, chosen in File > Open
follow-up..., give the table ``neuroview followup`` writes with the same flags; a threshold
changed in the window decides the statuses again without registering again, as the CLI does with
that threshold."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.app.followup_tables import same_table, shown_csv
from tests.app.three_time_points import write_three_time_points
from tests.ui.followup_views import lesion_voxel, menu_action

TEXT = ("id", "status", "event", "location")


def same_tracking(csv_a: str, csv_b: str) -> bool:
    """Same rows of ``lesions.csv``: words and part counts exactly, volumes within 2 %, positions
    within 0.3 mm (two runs of SimpleITK's threaded metric differ by about 0.01 mm)."""
    rows_a = [line.split(",") for line in csv_a.splitlines()]
    rows_b = [line.split(",") for line in csv_b.splitlines()]
    if rows_a[0] != rows_b[0] or len(rows_a) != len(rows_b):
        return False
    header = rows_a[0]
    for a, b in zip(rows_a[1:], rows_b[1:]):
        for name, x, y in zip(header, a, b):
            if name in TEXT or name.startswith(("status", "parts")):
                if x != y:
                    return False
            elif name.endswith("_mm"):
                if abs(float(x) - float(y)) > 0.3:
                    return False
            elif (x == "") != (y == "") or (x and not np.isclose(float(x), float(y), rtol=0.02, atol=2e-4)):
                return False
    return True



def type_value(qtbot, box, text: str) -> None:
    """Select the number in a spin box and type another, as a user does."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key_Return)


class RegisteredByTheWindow:
    """``neuroview.app.followup.register`` as the window and the command ask it: the window's
    comparisons (in its worker) register for real and are kept; the command, run in this test's
    thread after the window opened, gets the window's registrations back, each asked of the same
    images, grids, masks and kind (asserted: a command that asked for another kind, or of other
    studies, fails here). Both command runs (the second with another threshold) go through the
    whole command (flags, tables, report) but register nothing again, as the window does: the
    threshold applies after the registration. The command registered the window's two affine
    pairs again before (3 s of CPU)."""

    def __init__(self, monkeypatch) -> None:
        from neuroview.app import followup

        self.real, self.made, self.answered = followup.register, [], 0
        self.lock = threading.Lock()
        monkeypatch.setattr(followup, "register", self)

    def __call__(self, fixed, fixed_ijk_to_ras, moving, moving_ijk_to_ras, **kwargs):
        asked = [fixed, fixed_ijk_to_ras, moving, moving_ijk_to_ras, kwargs.get("fixed_mask"),
                 kwargs.get("moving_mask"), kwargs.get("kind")]
        if threading.current_thread() is not threading.main_thread():   # the window's worker
            registration = self.real(fixed, fixed_ijk_to_ras, moving, moving_ijk_to_ras, **kwargs)
            with self.lock:
                self.made.append((asked, registration))
            return registration
        with self.lock:
            made = list(self.made)
        same = [registration for earlier, registration in made
                if all(a == b if isinstance(a, str) or a is None else np.array_equal(a, b)
                       for a, b in zip(earlier, asked, strict=True))]
        assert same, "the command asked for a registration the window did not make"
        self.answered += 1
        return same[0]


@pytest.fixture
def fits_reused():
    """The MNI152 template fitted to each study once: by the window (the lesion locations), then
    given back to both command runs (:func:`tests.registration_reuse.template_fits_reused`), which
    fitted the three studies again each (3.5 s of CPU). Yields the fits answered so."""
    from tests.registration_reuse import template_fits_reused

    with template_fits_reused({}) as answered:
        yield answered


def test_window_options_give_the_cli_table_across_time_points(window, qtbot, mni_volume, tmp_path, capsys,
                                                              monkeypatch, fits_reused):
    from neuroview.cli.main import main

    write_three_time_points(mni_volume, tmp_path, scale=1.4)
    files = {"baseline": "t1.nii.gz", "baseline_labels": "t1_lesions.nii.gz",
             "followup": "t2.nii.gz", "followup_labels": "t2_lesions.nii.gz",
             "followup_2": "t3.nii.gz", "followup_2_labels": "t3_lesions.nii.gz"}
    chosen = {}

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        qtbot.mouseClick(dialog.add_button, Qt.LeftButton)
        qtbot.mouseClick(dialog.brain_threshold, Qt.LeftButton,
                         pos=QPoint(8, dialog.brain_threshold.height() // 2))
        for key, edit in dialog.edits.items():
            qtbot.keyClicks(edit, str(tmp_path / files[key]))
        qtbot.keyClicks(dialog.masks_by, "drawn by the test, checked by nobody")
        qtbot.keyClick(dialog.registration, Qt.Key_Down)  # rigid -> affine
        type_value(qtbot, dialog.min_change_pct, "50")
        type_value(qtbot, dialog.min_change_ml, "0.1")
        chosen.update(dialog.options())
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
        qtbot.mouseClick(ok, Qt.LeftButton)

    registered = RegisteredByTheWindow(monkeypatch)
    QTimer.singleShot(200, fill_dialog)
    menu_action(window, "Open follow-up...").trigger()
    qtbot.waitUntil(lambda: getattr(window, "followup_window", None) is not None, timeout=300000)
    assert len(registered.made) == 2 and registered.answered == 0   # the window's, made once each
    # the command with the same flags, in this process: its own process cost 1.8 s of CPU a run
    # for its imports, and tests/app/test_followup_cli.py runs the command as a user does
    studies = [str(tmp_path / f"t{t}.nii.gz") for t in (1, 2, 3)]
    masks = ["--labels-baseline", str(tmp_path / "t1_lesions.nii.gz"),
             "--labels", str(tmp_path / "t2_lesions.nii.gz"), str(tmp_path / "t3_lesions.nii.gz")]
    for pct, out in (("50", "cli"), ("200", "cli200")):
        code = main(["followup", *studies, *masks, "--brain-threshold", "--affine", "--min-change-pct", pct,
                     "--min-change-ml", "0.1", "--out", str(tmp_path / out)])
        assert code == 0, capsys.readouterr().err
    assert len(registered.made) == 2 and registered.answered == 4   # both given back to each run
    assert fits_reused == ["affine"] * 6   # the window's three template fits, to each run
    assert chosen["kind"] == "affine" and chosen["brain_threshold"]
    assert (chosen["thresholds"].min_change_pct, chosen["thresholds"].min_change_ml) == (50.0, 0.1)
    view = window.followup_window
    qtbot.waitExposed(view)
    assert [c.registration.kind for c in view.comparisons] == ["affine", "affine"]
    assert (view.min_change_pct.value(), view.min_change_ml.value()) == (50.0, 0.1)
    assert view.info.masks_by == "drawn by the test, checked by nobody"  # what the report says

    # the pair table, then the table across all time points, as the CLI wrote them
    pair = shown_csv(view)
    assert pair.splitlines()[0].startswith("id,status,event,volume_baseline_ml")
    qtbot.keyClick(view.table_choice, Qt.Key_Down)
    assert view.all_time_points
    assert same_tracking(shown_csv(view), (tmp_path / "cli" / "lesions.csv").read_text())
    statuses = {cells[1] for cells in view.table_text()}
    first_step = {cells[view.tracking.columns().index("status_tp2")] for cells in view.table_text()}
    assert {"resolved", "enlarging"} <= statuses and "new" in first_step

    # a stricter threshold typed in the window: the CLI's table with that threshold, without a
    # new registration (the same transforms, objects and all)
    registrations = [c.registration for c in view.comparisons]
    type_value(qtbot, view.min_change_pct, "200")
    assert all(a is b for a, b in zip(registrations, [c.registration for c in view.comparisons]))
    assert same_tracking(shown_csv(view), (tmp_path / "cli200" / "lesions.csv").read_text())
    assert shown_csv(view) != (tmp_path / "cli" / "lesions.csv").read_text()
    # the per-pair table follows too
    qtbot.keyClick(view.table_choice, Qt.Key_Up)
    assert same_table(shown_csv(view), (tmp_path / "cli200" / "lesions_tp2.csv").read_text())
    assert not same_table(pair, shown_csv(view))

    # a click on a row of the table across time points jumps to that lesion
    qtbot.keyClick(view.table_choice, Qt.Key_Down)
    row = next(r for r, cells in enumerate(view.table_text()) if cells[1] == "resolved")
    rect = view.table.visualItemRect(view.table.item(row, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.LeftButton, pos=rect.center())
    lesion = next(r for r in view.tracking.rows if r.id == int(view.table.item(row, 0).text()))
    assert np.allclose(view.pair.state.crosshair_ras, lesion_voxel(view.pair, lesion))
