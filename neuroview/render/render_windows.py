"""Offscreen render windows for the 3D scenes, and the one a closed scene leaves to the next.

A new window cost about 60 ms of CPU on Mesa llvmpipe before its first frame was read (its X
connection 17 ms, its OpenGL context 17 ms, the shaders of the first frame with the orientation
marker 20 ms, its release 4 ms): once for every main window opened, and again in every window
test. A closed scene hands its window back here, its renderers removed with their graphics
resources, and the next scene takes it (the next window, a snapshot after a snapshot). At most
one waits; it is released when the process exits, or by :func:`release_spare_window` before the
X server it is connected to goes away (the window tests, before pytest-xvfb stops Xvfb).
"""

from __future__ import annotations

import atexit
import os

_spare: list = []
_pid = os.getpid()


def offscreen_render_window(width: int, height: int):
    """A new offscreen render window: X when a display exists, EGL otherwise."""
    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 - registers the OpenGL backends

    if os.environ.get("DISPLAY"):
        from vtkmodules.vtkRenderingCore import vtkRenderWindow

        window = vtkRenderWindow()
    else:
        from vtkmodules.vtkRenderingOpenGL2 import vtkEGLRenderWindow

        window = vtkEGLRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(int(width), int(height))
    window.SetMultiSamples(0)
    return window


def take_render_window(width: int, height: int):
    """The window a closed scene left (resized), else a new one."""
    if _spare and os.getpid() == _pid:
        window = _spare.pop()
        window.SetSize(int(width), int(height))
        return window
    return offscreen_render_window(width, height)


def give_back_render_window(window) -> None:
    """A closed scene's window, with no renderer left in it: kept for the next scene when none
    waits yet, else released now."""
    if _spare or os.getpid() != _pid or window.GetRenderers().GetNumberOfItems():
        window.Finalize()
        return
    _spare.append(window)


def release_spare_window() -> None:
    """Release the waiting window now (its X connection closes): before the X server goes away."""
    while _spare:
        window = _spare.pop()
        if os.getpid() == _pid:   # a forked copy leaves its parent's connection alone
            window.Finalize()


atexit.register(release_spare_window)
