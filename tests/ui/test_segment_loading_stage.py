"""AI > Segment names the model's loading: importing torch and reading the weights took 5 s at
load 8 (the walk's first run, session 31) while the bar stood at 0 % under the job's title, with
no word of what it was doing; now the first thing the status bar shows is "loading the model"
over a busy bar, before the stages that follow."""

from __future__ import annotations

import pytest
from editor_helpers import open_image, wait_for_session, write_image
from tiny_models import tiny_model

pytest.importorskip("neuroview.ai.segment")
torch = pytest.importorskip("torch")


def test_the_bar_names_the_model_loading_first(qtbot, window, tmp_path):
    package = tiny_model(tmp_path)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    seen = []   # (text, bar maximum) after each progress report reached the window
    window.runner.progress.connect(
        lambda _d, _t, _x: seen.append((window.progress_text.text(), window.progress.maximum())))
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    assert seen[0] == ("loading the model", 0), seen[:3]   # 0: a busy bar
    stages = [text for text, _m in seen]
    assert stages.index("preparing the image for the model") > 0
