"""The series chooser tells apart two series of one number and description from two studies
(pydicom's 98892003/MR2: "T/S/C RF FAST PILOT", series 2, of the Brain and Brain-MRA studies):
each row names its study and time, and the row clicked opens that study's image."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture(scope="module")
def mr2(tmp_path_factory):
    from pydicom.data import get_testdata_file

    path = get_testdata_file("DICOMDIR")
    source = Path(path).parent / "98892003" / "MR2" if path else None
    if source is None or not source.is_dir():
        pytest.skip("pydicom's dicomdirtests study 98892003/MR2 is not installed")
    folder = tmp_path_factory.mktemp("studies") / "MR2"
    shutil.copytree(source, folder)
    return folder


def test_chooser_names_the_study_and_opens_it(qtbot, window, mr2):
    window.open_paths([mr2])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    dialog = window.series_dialog
    texts = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    pilots = [text for text in texts if "T/S/C RF FAST PILOT" in text]
    assert len(pilots) == 6 and len(set(pilots)) == 6, pilots
    row = next(i for i, text in enumerate(texts)
               if "(part 1 of 3)" in text and "study Brain-MRA 2003-05-05, time 04:55:53" in text)
    rect = dialog.list.visualItemRect(dialog.list.item(row))
    qtbot.mouseClick(dialog.list.viewport(), Qt.LeftButton, pos=rect.center())
    buttons = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.Open), Qt.LeftButton)
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=30000)
    shown = np.asarray(window.controller.volume.array[:, :, 0]).T   # [column, row] -> [row, column]
    matches = {}
    for path in mr2.iterdir():
        ds = pydicom.dcmread(path, force=True)
        if str(ds.get("SeriesDescription", "")) == "T/S/C RF FAST PILOT" \
                and ds.pixel_array.shape == shown.shape:
            matches[path.name] = (str(ds.StudyDescription), np.array_equal(ds.pixel_array, shown))
    opened = [study for study, same in matches.values() if same]
    assert opened == ["Brain-MRA"], matches
