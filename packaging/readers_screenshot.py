"""Regenerate the README's screenshot of File > Compare readers... / Adjudicate... (a development
checkout: it writes its DICOM series with the tests' series maker).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python packaging/readers_screenshot.py

A DICOM series is made from the MNI152 template, with three made-up readers' SEGs of a lesion in
the right frontal white matter (beside the series, as *Save labels as DICOM SEG* writes them): one
reader draws it larger, one misses its top slices, one also marks a second small lesion. Writes
``docs/images/compare-readers.png`` (the views with one outline per reader and the dialog's
legend and agreement table) and ``docs/images/adjudicate.png`` (the lesion list).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "io" / "dicom"))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
os.environ.setdefault("NEUROVIEW_HOME", tempfile.mkdtemp(prefix="neuroview-screenshots-"))
OUT = REPO / "docs" / "images"


def make_case(folder: Path):
    from series_maker import SeriesSpec, write_series

    from neuroview.core.labels import LabelMap
    from neuroview.io import load
    from neuroview.io.nifti import load_nifti
    from neuroview.io.seg import read_series_headers, save_seg
    from neuroview.paths import demo_image

    series = write_series(folder / "series", load_nifti(demo_image()),
                          SeriesSpec(rows=150, cols=125, n_slices=48, row_spacing=1.4, col_spacing=1.4,
                                     slice_step=3.0, description="FLAIR readers demo"))
    volume = load(series.folder)
    ijk = np.indices(volume.shape).reshape(3, -1).T
    ras = (ijk @ volume.ijk_to_ras[:3, :3].T + volume.ijk_to_ras[:3, 3]).reshape(*volume.shape, 3)

    def ball(centre, radius):
        return np.linalg.norm(ras - np.asarray(centre), axis=-1) <= radius

    lesion = (22.0, 10.0, 26.0)
    readers = {"Smith^Ann": ball(lesion, 9.0),
               "Jones^Bob": ball(lesion, 11.0) & (ras[..., 0] > 15),
               "Lee^Cat": (ball(lesion, 8.5) & (ras[..., 2] < 31)) | ball((-24.0, 0.0, 30.0), 4.0)}
    headers = read_series_headers([series.folder])
    for reader, mask in readers.items():
        save_seg(LabelMap(mask.astype(np.uint8), volume.ijk_to_ras), headers,
                 folder / f"{reader.split('^')[0].lower()}-seg.dcm",
                 series_description=f"Lesions - {reader}'s version", content_creator=reader)
    return series.folder, lesion


def wait(app, condition, seconds: float = 120.0) -> None:
    import time

    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def grab(app, path: Path) -> None:
    wait(app, lambda: False, 0.5)
    screen = app.primaryScreen().grabWindow(0)
    screen.save(str(path))
    del screen


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from neuroview.dataset.adjudication import CONSENSUS
    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        series_folder, lesion = make_case(Path(folder))
        window = MainWindow()
        window.setGeometry(0, 0, 1000, 980)
        window.show()
        window.open_paths([str(series_folder)])
        wait(app, lambda: window.editor.case is not None and not window.runner.busy)
        window.pacs_actions.readers.open(0)
        dialog = window.pacs_actions.readers.dialog
        dialog.setGeometry(1005, 0, 595, 980)
        dialog.find_button.click()
        wait(app, lambda: dialog.comparison is not None and not window.runner.busy)
        window.controller.set_crosshair(np.array(lesion))
        state = window.controller.state
        for plane, view in window.slice_views.items():  # zoom in on the lesion
            size = (view.width(), view.height())
            state.zoom_by(plane, 2.5, anchor=state.geometry(plane, *size).ras_to_pixel(lesion), size=size)
        window.controller.changed.emit()
        OUT.mkdir(parents=True, exist_ok=True)
        grab(app, OUT / "compare-readers.png")
        dialog.tabs.setCurrentIndex(1)
        dialog.lesions.selectRow(0)
        dialog.take_buttons[CONSENSUS].click()  # and on to lesion 2, which only Lee^Cat drew
        dialog.adjudicator_edit.setText("Sam Senior")
        grab(app, OUT / "adjudicate.png")
        window.edit_actions.close_case()
        window.close()
    print(f"wrote {OUT / 'compare-readers.png'} and {OUT / 'adjudicate.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
