"""AI click prompts on a view resliced through an oblique, anisotropic, sagittal-stored image
(0.5 x 0.5 x 3 mm, k along L-R, turned 14 and 9 degrees): the prompts land on the voxel
centres under the pointer, which lie up to half a voxel off the view's plane (0.64 mm along A
here, where a slice step is 0.52 mm), and the outline of a lasso drawn there must still show."""

import nibabel as nib
import numpy as np
from ai_click_cases import _click, _lasso
from editor_helpers import open_image, pixel_of, shortcut, wait_for_session
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.ui import hidpi
from neuroview.ui.prompt_draw import draw_prompts

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

CENTRE = np.array([2.0, -3.0, 5.0])


def _oblique_blob(folder):
    a, b = np.deg2rad(14.0), np.deg2rad(9.0)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    linear = rz @ rx @ np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0]], float) * [0.5, 0.5, 3.0]
    shape = (80, 80, 12)
    affine = np.eye(4)
    affine[:3, :3], affine[:3, 3] = linear, CENTRE - linear @ ((np.asarray(shape) - 1) / 2)
    ras = np.indices(shape).reshape(3, -1).T @ linear.T + affine[:3, 3]
    distance = np.linalg.norm(ras - CENTRE, axis=1).reshape(shape)
    image = 100 + 800 / (1 + np.exp((distance - 7) / 0.6))
    path = folder / "oblique_blob.nii.gz"
    nib.save(nib.Nifti1Image(image.astype(np.float32), affine), path)
    return path


def _drawn_prompts(window, plane) -> np.ndarray:
    """The prompts as the view draws them, alone on a blank picture: (h, w) True where green."""
    view = window.slice_views[plane]
    picture = QImage(view.width(), view.height(), QImage.Format_RGB888)
    picture.fill(QColor(0, 0, 0))
    painter = QPainter(picture)
    draw_prompts(painter, window.controller, hidpi.view_geometry(window.controller.state, plane, view), plane)
    painter.end()
    data = np.frombuffer(picture.constBits(), np.uint8).reshape(picture.height(), picture.bytesPerLine())
    rgb = data[:, :3 * picture.width()].reshape(picture.height(), picture.width(), 3)
    return (rgb[..., 1] > 150) & (rgb[..., 0] < 120)


def test_a_lasso_and_a_click_on_an_oblique_images_coronal_view_show_where_drawn(qtbot, window, tmp_path):
    open_image(qtbot, window, _oblique_blob(tmp_path))
    session = wait_for_session(qtbot, window)
    session.active_segment = session.segments.add("lesion").value
    window.controller.set_crosshair(CENTRE)
    window.editor.ai_click.model = GrowPromptModel()
    shortcut(qtbot, window, Qt.Key_K)
    outline = [pixel_of(window, "coronal", CENTRE + [9 * np.cos(t), 0, 9 * np.sin(t)])
               for t in np.linspace(0, 2 * np.pi, 24)]
    _lasso(window, "coronal", outline)
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running, timeout=30000)
    lasso = np.asarray(session.prompting.prompts.prompts[0].points)
    assert np.abs(lasso[:, 1] - CENTRE[1]).max() > 0.3    # the voxel centres: off the plane
    green = _drawn_prompts(window, "coronal")
    ys, xs = np.nonzero(green)
    assert len(xs) > 100                                   # before: nothing drawn
    radius = np.hypot(xs - np.mean([p[0] for p in outline]), ys - np.mean([p[1] for p in outline]))
    scale = np.hypot(*np.subtract(outline[0], outline[len(outline) // 2])) / 2
    assert np.abs(radius - scale).max() < 0.25 * scale   # on the circle drawn, within a voxel (3 mm in R)
    _click(qtbot, window, "coronal", CENTRE + [3.0, 0, 1.0])
    qtbot.waitUntil(lambda: len(session.prompting.prompts) == 2 and not window.editor.ai_click.running,
                    timeout=30000)
    assert _drawn_prompts(window, "coronal").sum() > green.sum() + 20   # the click's dot too
