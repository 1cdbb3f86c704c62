"""A label file's name may carry the patient's (PACS exports name files after patients): the
segment list's *From* column shows it, where the user needs it, but nothing that leaves the
machine does: the labels saved again (their ``.segments.json``), the follow-up report's *Lesion
masks* line, the training set, and no log record (README, *Security and privacy*; the command
line's paths are ``bench/privacy_audit.py``'s)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from editor_helpers import open_image, save_and_wait, wait_for_session, write_image, write_two_label_mask
from training_dialog_steps import send_to_new

from tests.followup_menu import through_the_menu

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

SECRET = "ZZSECRET^PATIENT"


def _holding(root: Path) -> list[str]:
    """The files under ``root`` whose name or bytes (gunzipped too) hold :data:`SECRET`."""
    import gzip

    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            data = (Path(folder) / name).read_bytes()
            data += gzip.decompress(data) if name.endswith(".gz") else b""
            if SECRET in name or SECRET.encode() in data:
                found.append(name)
    return found


def test_a_label_file_named_after_the_patient_is_shown_but_never_exported(qtbot, window, tmp_path,
                                                                         caplog, capfd):
    caplog.set_level(logging.DEBUG)
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    image, volume = write_image(inputs)
    two, _ = write_two_label_mask(inputs, volume)
    mask = two.rename(inputs / f"{SECRET}_labels.nii.gz")
    open_image(qtbot, window, image)
    session = wait_for_session(qtbot, window)
    window.edit_actions.load_labels(str(mask))
    qtbot.waitUntil(lambda: session.labels.array.any(), timeout=10000)
    assert session.segments.source_cell(1)[0] == f"file {SECRET}_labels.nii.gz"   # on screen
    session.apply("paint", at_ras=tuple(volume.center_ras), radius_mm=3.0, segment=2)

    saved = save_and_wait(window, out / "corrected.nii.gz")
    masks_by = through_the_menu(qtbot, window, lambda dialog: dialog.options()["masks_by"])
    assert masks_by == ("the baseline's lesion mask holds the labels shown in neuroview, segments "
                        "Segment 1 (file + drawn), Segment 2 (file + drawn)")
    window.edit_actions.load_labels(str(saved))      # the saved file reads back, named by itself
    qtbot.waitUntil(lambda: session.segments.source_cell(2)[0] == "file corrected.nii.gz", timeout=10000)
    send_to_new(qtbot, window, out / "datasets", "Private", timeout=60000)

    assert _holding(out) == []
    printed = "".join(capfd.readouterr()) + "\n".join(r.getMessage() for r in caplog.records)
    assert SECRET not in printed
