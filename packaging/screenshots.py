"""Regenerate the README's screenshots of the viewer on the bundled MNI152 demo case.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python packaging/screenshots.py

Writes ``docs/images/viewer-four-up.png`` (the main window, four-up layout with a label overlay,
the 3D view showing the label surfaces as the window does once labels are loaded: *Volume
rendering* unticked), ``docs/images/viewer-3d.png`` (the 3D view: volume rendering and label
surfaces) and ``docs/images/editor.png``. The label map is made here from the template itself:
the lateral ventricles (dark CSF connected to a seed in the left ventricle) and a 12 mm
spherical "lesion" in the right frontal white matter. Each window picture is taken with the
*Display* panel's controls agreeing with what the views draw (:func:`disagreements`), else the
script stops with the control named and writes nothing more: until session 29 it switched the
volume rendering on behind the panel's back, which the 3D view's set-up undid or not by timing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
# Workspaces (crash journals) of the screenshot session go to a throw-away folder.
os.environ.setdefault("NEUROVIEW_HOME", tempfile.mkdtemp(prefix="neuroview-screenshots-"))
OUT = REPO / "docs" / "images"


def demo_labels(volume):
    from scipy import ndimage

    from neuroview.core.labels import LabelMap

    data = np.asarray(volume.array, dtype=np.float32)
    # The lateral ventricles lie within x -28..28, y -45..32, z -2..32 mm in MNI space.
    ijk = np.indices(data.shape).reshape(3, -1).T
    p_ras = volume.ijk_to_ras_points(ijk).reshape(data.shape + (3,))
    box = ((np.abs(p_ras[..., 0]) < 28) & (p_ras[..., 1] > -45) & (p_ras[..., 1] < 32)
           & (p_ras[..., 2] > -2) & (p_ras[..., 2] < 32))
    dark = (data < 0.3 * np.percentile(data, 99)) & box
    components, _ = ndimage.label(dark)
    sizes = np.bincount(components.ravel())
    sizes[0] = 0
    largest = np.argsort(sizes)[-2:]  # the two lateral ventricles (or one joined component)
    ventricles = np.isin(components, largest[sizes[largest] > 500])
    labels = np.zeros(data.shape, np.uint8)
    labels[ventricles] = 1
    lesion_ras = np.array([24.0, 30.0, 22.0])
    distance = np.linalg.norm(p_ras - lesion_ras, axis=-1)
    labels[distance <= 12] = 2
    label_map = LabelMap.from_array(labels, volume.ijk_to_ras, names={1: "Lateral ventricles",
                                                                      2: "Lesion"})
    label_map.segments.get(1).color = (60, 140, 255)
    label_map.segments.get(2).color = (255, 80, 40)
    return label_map, lesion_ras


def wait(app, condition, seconds: float = 120.0) -> None:
    """Process events until ``condition()`` (with short sleeps: a tight processEvents loop racing
    a worker thread crashed PySide6 6.12 on Python 3.11)."""
    import time

    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def disagreements(window) -> list[str]:
    """The *Display* panel's 3D controls that say otherwise than the 3D view draws, in words."""
    panel, scene = window.display_panel, window.view3d.scene
    if scene is None:
        return ["the 3D view has no scene"]
    said = []
    if window.view3d.volume_wanted is not None:
        said.append("Volume rendering: a choice still waits for the 3D view's set-up")
    if panel.volume3d_check.isChecked() != scene.show_volume:
        said.append(f"Volume rendering is {'un' * (not panel.volume3d_check.isChecked())}ticked "
                    f"while the 3D view {'shows' if scene.show_volume else 'hides'} the volume")
    if panel.planes3d_check.isChecked() != scene.show_planes:
        said.append("Slice planes in 3D disagrees with the 3D view")
    if panel.preset3d_box.currentText() != scene.preset:
        said.append(f"3D preset reads {panel.preset3d_box.currentText()!r}, the view draws "
                    f"{scene.preset!r}")
    if window.view3d.surfaces_pending:
        said.append("the label surfaces are not drawn yet")
    return said


def settle(app, window) -> None:
    """Wait for the 3D view's workers and repaints, then check the controls (:func:`disagreements`)."""
    wait(app, lambda: not window.view3d.surfaces_pending and window.view3d.volume_wanted is None)
    wait(app, lambda: False, 0.5)
    window.view3d._render()
    app.processEvents()
    said = disagreements(window)
    if said:
        raise SystemExit("screenshots: the picture would disagree with its controls: " + "; ".join(said))


def hover(app, window, name: str, p_ras) -> None:
    """The pointer over ``p_ras`` in slice view ``name``: the status line reads that voxel (it
    read wherever Xvfb's pointer lay, off the head)."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QCursor, QMouseEvent

    view = window.slice_views[name]
    geom = window.controller.state.geometry(name, view.width(), view.height())
    x, y = geom.ras_to_pixel(p_ras)
    QCursor.setPos(view.mapToGlobal(QPointF(x, y)).toPoint())
    app.sendEvent(view, QMouseEvent(QEvent.MouseMove, QPointF(x, y), view.mapToGlobal(QPointF(x, y)),
                                    Qt.NoButton, Qt.NoButton, Qt.NoModifier))
    app.processEvents()


def grab_window(window, name: str) -> None:
    screen = window.screen().grabWindow(window.winId())
    if screen.isNull() or screen.width() < 100:
        screen = window.grab()
    screen.save(str(OUT / name))
    del screen  # a QPixmap must not outlive the QApplication


def editor_screenshot(app, window, lesion_ras) -> None:
    """docs/images/editor.png: the segment editor with a correction being painted in the axial
    view (2D brush, 6 mm, cursor drawn to scale) and the result followed in every view."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    session = window.editor.session
    window.set_layout("four-up")
    window.edit_actions.dock.raise_()
    panel = window.edit_actions.panel
    session.segments.select("Lesion")
    panel.refresh()
    panel.select_tool("paint")
    session.set_params("paint", radius_mm=6.0, mode="2d")
    panel.sync_params()
    view = window.slice_views["axial"]
    start = lesion_ras + np.array([-10.0, -6.0, 0.0])

    def send(kind, p_ras, buttons):
        geom = window.controller.state.geometry("axial", view.width(), view.height())
        x, y = geom.ras_to_pixel(p_ras)
        event = QMouseEvent(kind, QPointF(x, y), view.mapToGlobal(QPointF(x, y)),
                            Qt.LeftButton if kind != QEvent.MouseMove else Qt.NoButton, buttons,
                            Qt.NoModifier)
        app.sendEvent(view, event)
        app.processEvents()

    send(QEvent.MouseButtonPress, start, Qt.LeftButton)
    for t in np.linspace(0, 1, 12)[1:]:
        send(QEvent.MouseMove, start + t * np.array([-8.0, -10.0, 0.0]), Qt.LeftButton)
    end = start + np.array([-8.0, -10.0, 0.0])
    send(QEvent.MouseButtonRelease, end, Qt.NoButton)
    send(QEvent.MouseMove, end + np.array([-3.0, 2.0, 0.0]), Qt.NoButton)   # the cursor rests here
    if window.display_panel.volume3d_check.isChecked():   # the label surfaces follow the edit
        window.display_panel.volume3d_check.click()      # (setChecked left the volume drawn)
    settle(app, window)
    grab_window(window, "editor.png")


def four_up(app):
    """The main window as ``viewer-four-up.png`` shows it, its controls checked against its views
    (:func:`settle`): (window, the lesion's RAS)."""
    from neuroview.io.nifti import load_nifti, save_nifti
    from neuroview.paths import demo_image
    from neuroview.ui.main_window import MainWindow

    volume = load_nifti(demo_image())
    labels, lesion_ras = demo_labels(volume)
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-labels.nii.gz"
        save_nifti(labels.array, labels.ijk_to_ras, path)
        window.open_paths([str(demo_image())])
        wait(app, lambda: window.editor.session is not None and not window.runner.busy)
        session = window.editor.session
        window.open_labels(str(path))
        wait(app, lambda: len(session.segments) == 2 and not window.runner.busy)
    # Readable names and colours (the file only stores values), through the editing Session.
    for segment in labels.segments:
        session.segments.rename(segment.value, segment.name)
        session.segments.recolor(segment.value, segment.color)
    window.display_panel.planes3d_check.setChecked(False)
    window.controller.set_crosshair(lesion_ras + np.array([0.0, 0.0, 0.0]))
    window.segment_panel.opacity_slider.setValue(55)
    # The 3D view's volume and label surfaces are made in workers (since session 13): wait for
    # them, then half a second for the repaints. The volume rendering is left as the window sets
    # it with labels loaded (off, the surfaces drawn, the box unticked): switched on here through
    # the scene, behind the panel, it was undone by the 3D view's set-up when that came after.
    settle(app, window)
    hover(app, window, "axial", lesion_ras)   # the status line reads the lesion's voxel
    return window, lesion_ras


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from neuroview.render.png import write_png

    app = QApplication.instance() or QApplication([])
    window, lesion_ras = four_up(app)
    OUT.mkdir(parents=True, exist_ok=True)
    grab_window(window, "viewer-four-up.png")
    scene = window.view3d.scene
    scene.set_volume_visible(False)
    scene.reset_camera()
    scene.rotate(-140, 25)
    surfaces = scene.render(720, 560)
    scene.set_volume_visible(True)
    scene.reset_camera()
    scene.rotate(-140, 25)
    volume_picture = scene.render(720, 560)
    write_png(np.concatenate([volume_picture, np.full((560, 4, 3), 40, np.uint8), surfaces], axis=1),
              OUT / "viewer-3d.png")
    scene.set_volume_visible(None)   # the window's own choice again (these were drawn off screen)
    window.view3d._render()
    editor_screenshot(app, window, lesion_ras)
    window.edit_actions.close_case()  # keep the edits in the workspace: closing would ask to save
    window.close()
    window.deleteLater()
    app.processEvents()
    print(f"wrote {OUT / 'viewer-four-up.png'}, {OUT / 'viewer-3d.png'} and {OUT / 'editor.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
