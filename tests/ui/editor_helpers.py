"""Helpers of the segment editor tests: a small case on disk, mouse strokes in RAS, screen pixels."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QTabBar
from render_cases import AFFINES, make_case

from neuroview.app.case import workspace_for
from neuroview.app.session import Session
from neuroview.core.atomic import write_bytes_atomic
from neuroview.io.nifti import load_nifti, save_nifti
from tests.jobs_stopped import stop_jobs

INSIDE_CASE_RAS = np.array([10.3, -6.2, 9.0])
"""A point (RAS, mm) well inside the case :func:`write_image` makes (48^3 voxels of 2 mm), on one
of its axial voxel slices (z = 9 mm): where the editor tests paint, hover and click."""


_WRITTEN: dict[str, bytes] = {}
"""The bytes :func:`write_image` wrote for each affine, in this process."""


def write_image(folder, name="case", affine_name="ras"):
    """A 48^3 synthetic MR image at 2 mm saved as NIfTI; returns (path, volume as the window loads it).
    Made and saved once per process and affine, then the same bytes written again (``save_nifti``
    writes them alike each time, the gzip stamp included): 23 -> 4 ms of processor time a call
    (making and compressing the image), called in over 400 places in the window tests."""
    path = folder / f"{name}.nii.gz"
    if affine_name in _WRITTEN:
        write_bytes_atomic(path, _WRITTEN[affine_name])   # as save_nifti writes: folders, mode
    else:
        volume, _ = make_case(AFFINES[affine_name])
        save_nifti(volume.array, volume.ijk_to_ras, path)
        _WRITTEN[affine_name] = path.read_bytes()
    return path, load_nifti(path)


def leave_a_crashed_workspace(volume, at_ras, radius_mm) -> None:
    """The workspace an earlier session on ``volume`` left when it was killed mid-work: segment
    "lesion" painted (a ``radius_mm`` brush at ``at_ras``), nothing saved, the journal closed."""
    crashed = Session(volume, workspace_for(volume))
    crashed.segments.add("lesion")
    crashed.apply("paint", at_ras=at_ras, radius_mm=radius_mm)
    crashed.journal.close()


def hold_the_journal_read(monkeypatch):
    """The crash journal's read (for the restore question) waits after its first record until
    ``release`` is set (5 s at most): (release, the records read so far)."""
    from neuroview.core import journal as journal_module

    release, read = threading.Event(), []
    records = journal_module.Journal.records

    def held(self):
        for record in records(self):
            read.append(record)
            if len(read) == 1:
                release.wait(5)
            yield record

    monkeypatch.setattr(journal_module.Journal, "records", held)
    return release, read


def write_two_label_mask(folder, volume):
    """``two.nii.gz`` on ``volume``'s grid: label 1 in one block, label 2 in another; returns
    (path, the labels written)."""
    labels = np.zeros(volume.shape, np.uint8)
    labels[5:25, 5:25, 10:30] = 1
    labels[28:40, 8:20, 10:30] = 2
    mask = folder / "two.nii.gz"
    save_nifti(labels, volume.ijk_to_ras, mask)
    return mask, labels


def open_image(qtbot, window, path):
    window.open_paths([path])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)


def wait_for_session(qtbot, window):
    qtbot.waitUntil(lambda: window.editor.session is not None, timeout=30000)
    return window.editor.session


def axial_taking_keys(qtbot, window, folder):
    """The image :func:`write_image` makes in ``folder`` open, its editing session ready, and its
    axial view clicked so that the keys go to it: the view."""
    path, _ = write_image(folder)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    view = window.slice_views["axial"]
    qtbot.mouseClick(view, Qt.LeftButton, pos=QPoint(60, 60))
    return view


def open_case(qtbot, window, folder):
    """Open the image :func:`write_image` makes in ``folder``, the crosshair (every view) through
    :data:`INSIDE_CASE_RAS`: (volume, session)."""
    path, volume = write_image(folder)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    return volume, session


def threshold_measured(qtbot, window) -> None:
    """Wait for the Threshold tool's range and starting range, measured off the GUI thread once
    the tool is picked for an image."""
    qtbot.waitUntil(lambda: window.edit_actions.panel.threshold.measured, timeout=10000)


def grab(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(h, image.bytesPerLine())
    return data[:, : 3 * w].reshape(h, w, 3).copy()


def sort_arrow_widths(header, column: int) -> list[int]:
    """Dark pixels per screen row of the sort arrow in ``column``'s header section (the rightmost
    dark shape in it), top to bottom."""
    from scipy import ndimage

    pixels = grab(header).astype(int).sum(axis=2)
    left = header.sectionViewportPosition(column)
    section = pixels[:, left: left + header.sectionSize(column) - 1]
    shapes, _ = ndimage.label(section < section.max() - 150)
    boxes = [box for box in ndimage.find_objects(shapes)
             if box[1].stop - box[1].start < section.shape[1] - 2]       # not the header's line
    arrow = max(boxes, key=lambda box: box[1].start)
    widths = (shapes[arrow] == shapes[arrow].max()).sum(axis=1)
    return [int(w) for w in widths if w]


def pixel_of(window, plane, p_ras):
    view = window.slice_views[plane]
    geom = window.controller.state.geometry(plane, view.width(), view.height())
    return geom.ras_to_pixel(p_ras)


def _send(widget, kind, pos, button, buttons):
    event = QMouseEvent(kind, QPointF(*pos), widget.mapToGlobal(QPointF(*pos)), button, buttons,
                        Qt.NoModifier)
    QApplication.sendEvent(widget, event)


def _repaint(window) -> None:
    """Paint every slice view now, as the event loop would between two mouse events."""
    for view in window.slice_views.values():
        view.repaint()


def voxel_under(window, plane, pos, grid=None) -> np.ndarray:
    """RAS centre of the voxel drawn at widget position ``pos``: the one nearest to the centre of
    the screen pixel holding ``pos`` (an independent reference: plain rounding, no tie rule)."""
    view = window.slice_views[plane]
    geom = window.controller.state.geometry(plane, view.width(), view.height())
    centre = geom.origin_ras + np.floor(pos[0]) * geom.col_ras + np.floor(pos[1]) * geom.row_ras
    affine = (grid or window.controller.volume).ijk_to_ras
    ijk = np.rint(np.linalg.inv(affine)[:3] @ np.append(centre, 1.0))
    return affine[:3, :3] @ ijk + affine[:3, 3]


def stroke(window, plane, points_ras, steps_between=4):
    """Press at the first RAS point, drag through the others (with intermediate moves), release.
    Returns the RAS centres of the voxels drawn under the pointer at each event (where the brush
    lands: the voxel under the pointer, as in ITK-SNAP)."""
    view = window.slice_views[plane]
    pixels = [np.asarray(pixel_of(window, plane, p)) for p in points_ras]
    landed = [voxel_under(window, plane, pixels[0])]
    _repaint(window)
    _send(view, QEvent.MouseButtonPress, pixels[0], Qt.LeftButton, Qt.LeftButton)
    _repaint(window)
    for a, b in zip(pixels[:-1], pixels[1:]):
        for t in np.linspace(0, 1, steps_between + 1)[1:]:
            _send(view, QEvent.MouseMove, a + t * (b - a), Qt.NoButton, Qt.LeftButton)
            landed.append(voxel_under(window, plane, a + t * (b - a)))
            _repaint(window)
    _send(view, QEvent.MouseButtonRelease, pixels[-1], Qt.LeftButton, Qt.NoButton)
    _repaint(window)
    return landed


def stroke_a_lesion(window, session) -> None:
    """Add segment "lesion" and paint one 5 mm 2D stroke of it, 8 mm long from INSIDE_CASE_RAS,
    on the axial view."""
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5, mode="2d")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [8.0, 0, 0]])


def paint_a_lesion(qtbot, window, folder):
    """Open the case image (``open_case``) and stroke a lesion on it: (volume, session)."""
    volume, session = open_case(qtbot, window, folder)
    stroke_a_lesion(window, session)
    return volume, session


def paint_a_dicom_series(qtbot, window, folder):
    """Write a small CT series in ``folder/dicom``, open it, add segment "lesion" and paint a
    3D ball (4 mm) of it at the image's centre: the session (a DICOM image, so a SEG can be saved)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dataset"))
    from fake_dicom import make_ct_series

    make_ct_series(folder / "dicom")
    return paint_a_ball(qtbot, window, folder / "dicom")


def paint_a_ball(qtbot, window, path):
    """Open ``path``, add segment "lesion" and paint a 3D ball (4 mm) of it at the image's
    centre: the session."""
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("lesion")
    window.controller.set_crosshair(session.volume.center_ras)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=4.0, mode="3d")
    stroke(window, "axial", [session.volume.center_ras])
    assert session.labels.array.sum() > 10
    return session


def right_drag_up(qtbot, view, centre) -> None:
    """A right drag 60 pixels up from ``centre`` (a zoom, no view menu), then 0.3 s of events
    (``qtbot.wait``: ``QTest.qWait`` held the GIL, a worker's torch work ran 10x slower)."""
    from PySide6.QtTest import QTest

    QTest.mousePress(view, Qt.RightButton, Qt.NoModifier, centre)
    for dy in range(4, 60, 4):
        QTest.mouseMove(view, centre + QPoint(0, -dy))
    QTest.mouseRelease(view, Qt.RightButton, Qt.NoModifier, centre + QPoint(0, -60))
    qtbot.wait(300)


def hover(window, plane, p_ras):
    view = window.slice_views[plane]
    _send(view, QEvent.MouseMove, pixel_of(window, plane, p_ras), Qt.NoButton, Qt.NoButton)


def voxel_centres(volume) -> np.ndarray:
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in volume.shape], indexing="ij"), axis=-1)
    return ijk @ volume.ijk_to_ras[:3, :3].T + volume.ijk_to_ras[:3, 3]


def capsule_2d(volume, a_ras, b_ras, radius_mm, normal=(0.0, 0.0, 1.0)):
    """Reference: voxels of the slice through ``a_ras`` (normal axis) within ``radius_mm`` of the
    segment a-b measured in the plane, computed from voxel centres in world space."""
    p = voxel_centres(volume)
    normal = np.asarray(normal, float)
    a, b = np.asarray(a_ras, float), np.asarray(b_ras, float)
    ab = b - a
    t = np.clip(((p - a) @ ab) / max(ab @ ab, 1e-12), 0, 1)
    d = p - (a + t[..., None] * ab)
    in_plane = d - (d @ normal)[..., None] * normal
    k_a = np.rint(np.linalg.inv(volume.ijk_to_ras)[:3] @ np.append(a, 1)).astype(int)
    slab = np.zeros(volume.shape, bool)
    axis = int(np.argmax(np.abs(np.linalg.inv(volume.ijk_to_ras)[:3, :3] @ normal)))
    index = [slice(None)] * 3
    index[axis] = k_a[axis]
    slab[tuple(index)] = True
    return slab & (np.linalg.norm(in_plane, axis=-1) <= radius_mm)


def path_2d(volume, points_ras, radius_mm, normal=(0.0, 0.0, 1.0)):
    """Reference: the union of :func:`capsule_2d` along a drag's points (in the first's slice)."""
    first = np.asarray(points_ras[0], float)
    normal = np.asarray(normal, float)
    union = np.zeros(volume.shape, bool)
    for a, b in zip(points_ras[:1] + list(points_ras[:-1]), points_ras):
        a = np.asarray(a, float) - ((np.asarray(a, float) - first) @ normal) * normal
        b = np.asarray(b, float) - ((np.asarray(b, float) - first) @ normal) * normal
        union |= capsule_2d(volume, a, b, radius_mm, normal)
    return union


def shortcut(qtbot, window, key, modifiers=Qt.NoModifier, target=None):
    """Press a window shortcut as a user would: with the window active (activation under Xvfb is
    asynchronous, and Qt only dispatches window shortcuts to the active window)."""
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10000)
    qtbot.keyClick(target or window.slice_views["axial"], key, modifiers)


def raise_tab(qtbot, window, title) -> None:
    """Click the dock tab called ``title`` (the Segments list sits behind the Segment editor)."""
    for bar in window.findChildren(QTabBar):
        for i in range(bar.count()):
            if bar.tabText(i) == title:
                qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(i).center())
                return
    raise AssertionError(f"no tab {title}")


def close_without_asking(window) -> None:
    """Before a test's end closes a window (pytest-qt's ``before_close_func``): close its case
    first (closing a window with unsaved edits asks Save / Discard / Cancel; the edits stay in the
    test's workspace). A background job still running 10 s after it was cancelled fails the test,
    the window closed all the same (pytest-qt's close does not come after a failure here)."""
    try:
        stop_jobs(window.runner)
    finally:
        window.model_actions.stop_training()   # a running training would ask before the close
        window.edit_actions.close_case()
        window.close()


def close_at_once(qtbot, window, job, waited_for: str) -> None:
    """Close ``window`` (its case first) while ``job`` waits for a step held by the test: the close
    ends the job cancelled with the step still held, which runs on unwatched
    (``core.jobs.abandonable``). A close that waited for the step (5 s, then gave up) leaves the
    job's thread running: that, not the close's time (a 2 s limit, within a loaded machine's pauses),
    is the measure."""
    from neuroview.core.jobs import abandoned_running

    window.edit_actions.close_case()
    window.close()
    running = window.runner.pool.activeThreadCount()
    assert running == 0, f"the close left the job waiting for {waited_for}"   # ended in the close
    qtbot.waitUntil(lambda: job.finished, timeout=5000)  # its end, queued to the GUI thread
    assert job.outcome == ("cancelled", None) and abandoned_running()


def quarter_spots(drawn, x0, y0):
    """The outermost pixel of each quarter of the square of the voxel drawn at pane pixel (x0, y0)."""
    ys, xs = np.nonzero(drawn == drawn[y0, x0])
    mx, my = xs.mean(), ys.mean()
    spots = []
    for sx in (-1, 1):
        for sy in (-1, 1):
            quarter = (np.sign(xs - mx) == sx) & (np.sign(ys - my) == sy)
            best = np.argmax(sx * (xs - mx) * quarter + sy * (ys - my) * quarter)
            spots.append((int(xs[best]), int(ys[best])))
    return spots


def name_editor(qtbot, window):
    """The first segment's name in the Segment Editor's list opened for typing as a user opens it
    (a real double-click: press, release, press, double-click, release), focused, its text
    selected: the line edit."""
    from PySide6.QtWidgets import QLineEdit

    table = window.edit_actions.panel.table
    pos = table.visualItemRect(table.item(0, 3)).center()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=pos)
    qtbot.mousePress(table.viewport(), Qt.LeftButton, pos=pos)
    qtbot.mouseDClick(table.viewport(), Qt.LeftButton, pos=pos)
    qtbot.mouseRelease(table.viewport(), Qt.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: table.viewport().findChildren(QLineEdit) != [])
    editor = table.viewport().findChildren(QLineEdit)[0]
    window.activateWindow()
    qtbot.waitUntil(editor.hasFocus)
    editor.selectAll()
    return editor


def open_and_paint_segment_1(qtbot, window, folder, n_segments=2, radius_mm=5.0):
    """Open :func:`write_image`'s case, add ``n_segments`` with the editor's *Add* button and
    paint a 3D ball of segment 1 at :data:`INSIDE_CASE_RAS`; returns (session, image volume)."""
    path, volume = write_image(folder)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    for _ in range(n_segments):
        qtbot.mouseClick(window.edit_actions.panel.add_button, Qt.LeftButton)
    session.apply("paint", at_ras=INSIDE_CASE_RAS, radius_mm=radius_mm, mode="3d", segment=1)
    return session, volume


def save_and_wait(window, path, seg: bool = False) -> Path:
    """*File > Save labels* (or *as DICOM SEG*) to ``path``: the worker writes the file, the
    labels then count as saved; returns the path, with the file in place."""
    actions = window.edit_actions
    (actions.save_seg if seg else actions.save_labels)(path)
    assert actions.saving.wait(), "the save failed"
    return Path(path)


def answer_when_shown(get_box, button, asked) -> None:
    """Click ``button`` of the question box ``get_box()`` returns as soon as it shows, recording
    its text in ``asked``."""
    from PySide6.QtCore import QTimer

    def click():
        box = get_box()
        if box is None or not box.isVisible():
            QTimer.singleShot(20, click)
            return
        asked.append(box.text())
        box.button(button).click()
    QTimer.singleShot(0, click)


def close_keep_keep_stop(dialog, close_button, running) -> list[str]:
    """Close ``dialog`` three ways while its background work runs (``running()``): its Close button
    (a mouse click) and Esc, each answered *Keep* (the dialog stays open, the work goes on), then
    the title bar's close, answered *Stop* (it hides, the work stops). Returns what was asked."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMessageBox

    asked = []
    for close, keep in ((lambda: QTest.mouseClick(close_button, Qt.LeftButton), True),
                        (lambda: QTest.keyClick(dialog, Qt.Key_Escape), True), (dialog.close, False)):
        answer_when_shown(lambda: dialog.stop_question.box, QMessageBox.Cancel if keep else QMessageBox.Yes,
                          asked)
        close()
        assert dialog.isVisible() == keep and running() == keep, (asked, keep)
    return asked


def click_preview(qtbot, window):
    """Click the editor's Preview and wait until the worker's result is shown (or dropped)."""
    window.edit_actions.panel.preview_button.click()
    qtbot.waitUntil(lambda: not window.editor.computing_preview, timeout=30000)


def held_in_workers(monkeypatch, owner, name):
    """Replace ``owner.name`` by one that records whether the GUI thread called it and, in a
    worker, waits for ``release`` before running the real one: (calls, release)."""
    calls, release, real = [], threading.Event(), getattr(owner, name)

    def held(*args, **kwargs):
        on_gui = threading.current_thread() is threading.main_thread()
        calls.append(on_gui)
        if not on_gui:
            assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return calls, release


def activate(qtbot, widget) -> None:
    """Make ``widget``'s window the active one, as a click on it would. A window manager does
    that when a window shows; with none (Xvfb alone, as CI runs) no window is active: window
    shortcuts (Qt only gives them to the active window) and key clicks went nowhere."""
    widget.raise_()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window(), timeout=10000)


def hover_shows(qtbot, view, x: int, y: int, shape, why: str = "") -> None:
    """Move the pointer over ``view`` to widget pixel ``(x, y)`` and wait until the view shows
    the pointer ``shape`` (a Qt.CursorShape): QTest.mouseMove moves the real pointer, whose move
    event may reach the view after it returns (a check right after it failed by chance)."""
    from PySide6.QtCore import QPoint

    qtbot.mouseMove(view, QPoint(x, y))

    def shown():
        assert view.cursor().shape() == shape, why

    qtbot.waitUntil(shown, timeout=10000)


def segment_painted(qtbot, window, tmp_path, name: str = "edema"):
    """An image open with a segment ``name`` painted (a 2D stroke): its session and segment."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    edema = session.segments.add(name)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5, mode="2d")
    stroke(window, "axial", PAINTED_LINE)
    return session, edema


PAINTED_LINE = (INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0])
"""Where :func:`segment_painted` strokes (axial view, RAS)."""


def painted_voxels(session, segment):
    """The voxels of ``segment`` painted by :func:`segment_painted` (more than 20)."""
    painted = session.labels.array == segment.value
    assert painted.sum() > 20
    return painted


def erase_painted_line(qtbot, window) -> None:
    """Take the erase brush (E: the selected segment) and stroke where :func:`segment_painted`
    painted."""
    shortcut(qtbot, window, Qt.Key_E)
    assert window.controller.mode == "erase"
    stroke(window, "axial", PAINTED_LINE)


def click_check_box(qtbot, table, row, column) -> None:
    """Click the check box of a table cell where the style draws it, as a user does."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.rect = table.visualItemRect(table.item(row, column))
    option.features |= QStyleOptionViewItem.HasCheckIndicator
    box = table.style().subElementRect(QStyle.SE_ItemViewItemCheckIndicator, option, table)
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=box.center())
