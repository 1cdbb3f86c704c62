"""A worklist folder of small cases, opened in the window: the set-up the worklist window tests
repeated, each in its own words (``test_worklist_watch``, ``test_worklist_held_case``,
``test_worklist_close``)."""

from __future__ import annotations

from pathlib import Path

from editor_helpers import write_image


def worklist_folder(tmp_path: Path, names=("a_case", "b_case")) -> Path:
    """``tmp_path/cases`` holding ``NAME.nii.gz`` for each of ``names``, stored RAS and LPS in turn."""
    cases = tmp_path / "cases"
    cases.mkdir()
    for number, name in enumerate(names):
        write_image(cases, name, ("ras", "lps")[number % 2])
    return cases


def open_worklist(qtbot, window, cases: Path, case_id: str = "") -> None:
    """Open ``cases`` as the worklist (at ``case_id``, else where it resumes); wait for the case."""
    window.training_actions.open_worklist(cases, case_id=case_id)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy, timeout=30000)
