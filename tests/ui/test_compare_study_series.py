"""*Compare series side by side* picked the other series through a file dialog, where the study
opened (a folder of its series) already holds them. It offers them first, in the series
chooser, the one on screen marked and another chosen; the file dialog comes where the folder
opened holds no other series."""

from __future__ import annotations

import sys
from pathlib import Path

import pydicom
from pydicom.uid import generate_uid
from PySide6.QtWidgets import QFileDialog
from two_series import compare_shown

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _study(folder: Path) -> None:
    """Two series of one study and frame of reference (an arterial and a venous phase)."""
    study, frame = generate_uid(), generate_uid()
    for number, name in ((2, "arterial"), (3, "venous")):
        written = write_ct(folder / name, size=32, n_slices=4)
        for path in sorted(written.folder.glob("*.dcm")):
            ds = pydicom.dcmread(path)
            ds.StudyInstanceUID, ds.FrameOfReferenceUID, ds.SeriesNumber = study, frame, number
            ds.SeriesDescription = name
            ds.save_as(path)


def _rows(dialog) -> list[str]:
    return [dialog.list.item(r).text().split("\n")[0] for r in range(dialog.list.count())]


def test_compare_offers_the_studys_other_series_first(qtbot, window, tmp_path, monkeypatch):
    _study(tmp_path / "study")
    window.open_paths([tmp_path / "study"])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    dialog = window.series_dialog
    dialog.list.setCurrentRow(next(r for r, row in enumerate(_rows(dialog)) if "arterial" in row))
    dialog.accept()
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: asked.append(a) or ("", ""))
    window.fusion.compare_action.trigger()
    qtbot.waitUntil(lambda: window.fusion.chooser is not None, timeout=30000)
    chooser = window.fusion.chooser
    rows = _rows(chooser)
    assert not asked and len(rows) == 2                      # no file dialog: the study's series
    assert [row.endswith("(on screen)") for row in rows] == ["arterial" in row for row in rows]
    assert "venous" in rows[chooser.list.currentRow()]       # the other one chosen first
    chooser.accept()
    compare_shown(qtbot, window)
    assert "venous" in window.compare_window.windowTitle() + window.compare_window.pair.names[1]


def test_a_series_opened_alone_asks_for_a_file(qtbot, window, tmp_path, monkeypatch):
    _study(tmp_path / "study")
    window.open_paths([tmp_path / "study" / "arterial"])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: asked.append(a) or ("", ""))
    window.fusion.compare_action.trigger()
    qtbot.waitUntil(lambda: bool(asked) and not window.runner.busy, timeout=30000)
    assert window.fusion.chooser is None
