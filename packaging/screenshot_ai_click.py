"""The README's screenshot of the AI click tool: docs/images/ai-click.png.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python packaging/screenshot_ai_click.py

Opens the bundled MNI152 demo case with a synthetic 14 mm lesion painted into the right frontal
white matter (the same painter as the training data), selects the AI click tool (K) and clicks
once inside the lesion in the axial view with a real mouse event; the preview of the bundled
promptable network is what the picture shows, with the editor panel scrolled to the tool's
options and its Apply/Cancel.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "packaging"))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
os.environ.setdefault("NEUROVIEW_HOME", tempfile.mkdtemp(prefix="neuroview-screenshots-"))
OUT = REPO / "docs" / "images"
LESION_RAS = np.array([24.0, 30.0, 22.0])


def lesion_image(folder: Path) -> Path:
    from neuroview.ai.synth import paint_lesion
    from neuroview.io.nifti import load_nifti, save_nifti
    from neuroview.paths import demo_image

    volume = load_nifti(demo_image())
    image = np.asarray(volume.array, np.float32).copy()
    brain = (image > 0.3 * np.percentile(image, 99)).astype(np.float32)
    centre = np.rint(volume.ras_to_ijk_points(LESION_RAS)).astype(int)
    label = np.zeros(image.shape, bool)
    spacing = float(np.abs(volume.ijk_to_ras[0, 0]))
    paint_lesion(image, label, brain, centre, spacing, np.random.default_rng(7), diameter_mm=14.0)
    path = folder / "mni152_lesion.nii.gz"
    save_nifti(image, volume.ijk_to_ras, path)
    return path


def main() -> int:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from screenshots import wait

    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    with tempfile.TemporaryDirectory() as folder:
        window.open_paths([str(lesion_image(Path(folder)))])
        wait(app, lambda: window.editor.session is not None and not window.runner.busy)
    session = window.editor.session
    session.segments.add("Lesion", color=(255, 200, 0))
    window.set_layout("four-up")
    window.edit_actions.dock.raise_()
    window.edit_actions.panel.select_tool("ai-click")
    window.controller.set_crosshair(LESION_RAS)
    window.segment_panel.opacity_slider.setValue(60)
    wait(app, lambda: False, 0.5)
    view = window.slice_views["axial"]
    geom = window.controller.state.geometry("axial", view.width(), view.height())
    x, y = geom.ras_to_pixel(LESION_RAS)
    QTest.mouseClick(view, Qt.LeftButton, Qt.NoModifier, QPoint(int(x), int(y)))
    wait(app, lambda: window.editor.has_preview() and not window.editor.ai_click.running, 120)
    # the editor panel scrolls on this window size: show the tool's keys, model and Apply/Cancel
    panel = window.edit_actions.panel
    panel.parentWidget().parentWidget().ensureWidgetVisible(panel.apply_button)
    wait(app, lambda: False, 0.5)
    OUT.mkdir(parents=True, exist_ok=True)
    screen = window.screen().grabWindow(window.winId())
    if screen.isNull() or screen.width() < 100:
        screen = window.grab()
    screen.save(str(OUT / "ai-click.png"))
    del screen
    print(f"wrote {OUT / 'ai-click.png'}", flush=True)
    # Closing would ask Save / Discard / Cancel (the preview and the new segment are unsaved
    # edits) and wait for an answer no one gives; the session's workspace is a throw-away folder.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
