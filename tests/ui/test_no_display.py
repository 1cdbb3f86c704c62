"""``neuroview demo`` and the window launch with no display: one clear line saying a display is
needed and how to get one, exit 1, no Qt abort (run as a user would, with DISPLAY unset). A path
that does not exist is said first: ``neuroview view missing.nii`` complained about the display."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.checkout import REPO

LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="X11/Wayland displays are Linux's")


def run_without_display(*args, cwd=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XAUTHORITY")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "neuroview", *args], env=env, capture_output=True,
                          text=True, timeout=120, cwd=cwd)


@LINUX_ONLY
@pytest.mark.parametrize("args", [("demo",), ("image.nii.gz",), ("view", "image.nii.gz"), ()])
def test_no_display_says_so_in_one_line_and_exits_1(args, tmp_path):
    (tmp_path / "image.nii.gz").write_bytes(b"")   # there: only the display is missing
    result = run_without_display(*args, cwd=tmp_path)
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("neuroview: error: the window needs a display")
    assert "xvfb-run -a neuroview" in line and "DISPLAY" in line
    if args == ("demo",):
        assert "xvfb-run -a neuroview demo" in line
    assert "Traceback" not in result.stderr and "xcb" not in result.stderr


@LINUX_ONLY
@pytest.mark.parametrize("args", [("view", "missing.nii"), ("missing.nii",), ("image.nii.gz", "missing.nii")])
def test_a_missing_file_is_named_before_the_display(args, tmp_path):
    (tmp_path / "image.nii.gz").write_bytes(b"")
    result = run_without_display(*args, cwd=tmp_path)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.strip().splitlines() == ["neuroview: error: missing.nii: no such file or folder"]


def test_demo_info_still_runs_headless():
    result = run_without_display("demo", "--info")
    assert result.returncode == 0, result.stderr
    assert "197" in result.stdout                                   # 197x233x189 MNI152


def test_help_does_not_list_demo_among_headless_verbs():
    result = run_without_display("--help")
    assert result.returncode == 0
    text = result.stdout
    headless = text.split("headless verbs")[1]
    assert "demo" not in headless and "snapshot" in headless and "info" in headless
    window = text.split("window (needs a display)")[1].split("headless verbs")[0]
    assert "demo" in window
