"""UI tests run headless, on Qt's offscreen platform unless DISPLAY is set when pytest starts
(tests/conftest.py decides it, before pytest-xvfb sets DISPLAY in its pytest_configure), so `make
test` and a plain `pytest tests/ui` run offscreen although an Xvfb runs. To run them on xcb, as a Linux
user's neuroview runs: ``xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb
.venv/bin/python -m pytest -p no:xvfb tests/ui/...``. No window manager runs there: a window that
shows is not active until a test activates it (``editor_helpers.activate``)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from tests.jobs_stopped import stop_jobs

# The synthetic studies of the render tests (RAS, LPS, oblique; labels on another grid).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))


def _main_window(qtbot, module):
    """A main window, shown and active (a generator for a fixture: waits for its jobs after).
    In a module that sets ``WITHOUT_3D`` (saying why) the 3D view makes no scene, as after the
    window's close (``View3DWidget.release``): no volume rendering set up and drawn for each image
    opened, no segment surfaces built after each edit, where the tests never look at the 3D view.
    Opening and closing the editor tests' 48^3 case took 0.29 s of processor time with the 3D view,
    0.16 s without (medians of 6 alternated, one process, load 12; 7 Dec 2026)."""
    from editor_helpers import activate, close_without_asking

    from neuroview.ui.main_window import MainWindow

    win = MainWindow()
    if getattr(module, "WITHOUT_3D", None):
        win.view3d.release()
    qtbot.addWidget(win, before_close_func=close_without_asking)
    win.resize(1000, 760)
    win.show()
    qtbot.waitExposed(win)
    activate(qtbot, win)
    park_the_pointer(win)
    yield win
    stop_jobs(win.runner)


def park_the_pointer(win) -> None:
    """The real pointer off the window (alone, a test finds it over the menu bar, over no view).
    Tests point with events sent to a view (``editor_helpers.hover``), which Qt's own pointer does
    not follow. One an earlier test of the worker left (``QTest.mouseMove``) lay over the next
    window's coronal view: that view took it for its pointer when the image opened, and read its
    own voxel again at every edit after the test's hover on the axial view (s48:
    ``test_readout_after_edit`` read ``RAS (17.3, -6.2, -9.2)`` after Ctrl+Z and never ``label 1``
    after Ctrl+Y, after ``test_angle_edit``; the modules a worker runs before it depend on the
    load)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QCursor

    QCursor.setPos(win.frameGeometry().bottomRight() + QPoint(100, 100))


@pytest.fixture
def window(qtbot, request):
    yield from _main_window(qtbot, request.module)


@pytest.fixture
def second_window(qtbot, request):
    """Another main window in the same process, as a script or a notebook makes."""
    yield from _main_window(qtbot, request.module)


@pytest.fixture
def registration_held(monkeypatch):
    """Hold a follow-up comparison's registration (in its worker) at its first iteration until
    the test sets the event returned, after its click on Cancel: the click lands while the
    registration runs however fast it is (the cancel tests relied on 3 mm heads outlasting it)."""
    import threading

    from neuroview.app import followup

    release, real = threading.Event(), followup.register

    def held(*args, progress=None, **kwargs):
        def hold(done, total, text):
            if progress is not None:
                progress(done, total, text)
            release.wait(60)
        return real(*args, progress=hold, **kwargs)

    monkeypatch.setattr(followup, "register", held)
    yield release
    release.set()   # a test that failed before its click leaves no worker waiting


@pytest.fixture(scope="session")
def three_studies(mni_volume, registered_in_this_run):
    """The follow-up window tests' baseline and two later studies, compared: made once per pytest
    process, not once per module (29 modules use them, most through followup_views.followup_view;
    nothing changes them), their two registrations once per run (:func:`registered_in_this_run`;
    each worker registered them)."""
    from followup_studies import compared_studies

    from tests.registration_reuse import registrations_reused as reusing

    with reusing(registered_in_this_run):
        return compared_studies(mni_volume)


@pytest.fixture(autouse=True)
def no_render_window_left_open():
    """After each test (its windows closed): no 3D scene holds a render window. One left over is
    freed at exit, after pytest-xvfb stopped Xvfb, with an X connection error and exit status 1
    (``tests/ui/test_view3d_release.py``); here the test that left it fails. Garbage is collected
    only when a scene is still listed (collecting can only shorten the list): a full collection
    after every test took 0.2-0.5 s of CPU once torch and VTK were loaded (300-700 thousand
    objects), most of the window tests' doubled time."""
    yield
    from neuroview.render.volume3d import open_scenes

    if open_scenes():   # it may be garbage in a reference cycle, not yet collected
        gc.collect()
    left = open_scenes()
    for scene in left:   # the next tests start clean
        scene.close()
    assert not left, f"{len(left)} 3D scene(s) left open (an X connection each)"


@pytest.fixture(autouse=True)
def no_internal_error():
    """A test fails when one of neuroview's Qt overrides raised: ``ui.qt_guard`` catches it (the
    window goes on, so pytest-qt no longer sees it), and counts it."""
    from neuroview.ui import qt_guard

    before = qt_guard.caught
    yield
    assert qt_guard.caught == before, "a Qt override raised (its traceback is in the log above)"


@pytest.fixture
def fresh_guard(no_internal_error):
    """The guard's count and its memory of what it said, as in a new process; put back after, before
    the check of unexpected errors (``no_internal_error``) runs, so these do not count."""
    from neuroview.ui import qt_guard

    caught, said = qt_guard.caught, qt_guard._said
    qt_guard.caught, qt_guard._said = 0, set()
    yield
    qt_guard.caught, qt_guard._said = caught, said
