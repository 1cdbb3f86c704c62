"""AI > Segment with another model than the one promoted to default on the training set last sent
to (``models promote M --dataset DIR`` by another login) says so in its notice: a promotion
changed the promoting login's default only, and this window went on with its own, told nothing.
The window's choice stays as it is."""

from __future__ import annotations

import json

import pytest
from editor_helpers import open_image, wait_for_session, write_image
from tiny_models import tiny_model

from neuroview.app.last_dataset import remember_dataset
from neuroview.dataset.layout import init_dataset

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

pytest.importorskip("torch")


def test_segment_names_the_model_promoted_on_the_training_set(qtbot, window, tmp_path):
    package = tiny_model(tmp_path)
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    (folder / "promoted_model.json").write_text(json.dumps(
        {"model": "lesionseg@9.0.0", "task": "lesion", "by": "lead", "at": "2026-12-07T09:41:00Z",
         "package": "/home/lead/models/lesionseg@9.0.0"}))
    remember_dataset(folder.parent, "ben")          # as Send to training set remembers it
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    assert window.notice_bar.text.endswith(
        "; Ctrl+Z removes it. Note: lead promoted lesionseg@9.0.0 to default for lesion on this "
        "training set (2026-12-07); this uses tiny@1.2.0: lesionseg@9.0.0 is not among your models: "
        "`neuroview models add /home/lead/models/lesionseg@9.0.0` installs it (lead's copy; ask "
        "lead for the package if you cannot read that folder)."), window.notice_bar.text
    # (until session 47 it said "AI > Models... makes lesionseg@9.0.0 your default" of a model
    # not installed here, a step that failed: session 47's walk)
