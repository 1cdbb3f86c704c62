"""The AI click default of the registry (``neuroview models promote REF --task interactive``) is
the model the window's AI click tool uses, and its *Model* list names it. Until session 24 the
list's first choice always loaded the bundled clickseg, whatever was promoted."""

from __future__ import annotations

import json
import shutil
import weakref

import numpy as np
import pytest
from editor_helpers import open_image, pixel_of, shortcut, wait_for_session
from PySide6.QtCore import QPoint, Qt

pytest.importorskip("torch")

from ai_click_cases import CENTRE, _blob_image  # noqa: E402

from neuroview.ai.registry import Registry  # noqa: E402
from neuroview.app import prompt_models, prompting  # noqa: E402
from neuroview.paths import resources_dir  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _promoted_clickseg(tmp_path, version="9.0.0"):
    """The bundled clickseg's package under another version, added and promoted as the AI click
    default: an AI click model a user fine-tuned."""
    folder = tmp_path / f"clickseg-{version}"
    shutil.copytree(resources_dir() / "models" / "clickseg", folder)
    card = json.loads((folder / "model.json").read_text())
    card["version"] = version
    (folder / "model.json").write_text(json.dumps(card))
    registry = Registry()
    entry = registry.add(folder)
    registry.promote(entry.ref, "interactive", force=True)
    return entry.ref


@pytest.fixture
def fresh_models(monkeypatch):
    monkeypatch.setattr(prompt_models, "_MODELS", {})
    monkeypatch.setattr(prompt_models, "_FAILED", {})
    monkeypatch.setattr(prompt_models, "_PASSED_OVER", {})
    monkeypatch.setattr(prompting, "_ENGINES", weakref.WeakKeyDictionary())


def _click_centre(qtbot, window):
    """A real click at the blob's centre on the axial view, once the tool's model has loaded;
    returns when its preview has landed."""
    x, y = pixel_of(window, "axial", CENTRE)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=60000)
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, Qt.NoModifier,
                     QPoint(int(round(x)), int(round(y))))
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running,
                    timeout=60000)


def test_session_prompt_uses_the_promoted_ai_click_model(tmp_path, fresh_models):
    from neuroview import Session

    path, first, _ = _blob_image(tmp_path)
    bundled = Registry().default_ref("interactive")
    session = Session.open(path)
    lesion = session.segments.add("lesion")
    session.prompt(lesion, point=CENTRE)
    assert session.pending_preview.meta["model"] == bundled     # none promoted: the bundled one
    session.discard_preview()
    trained = _promoted_clickseg(tmp_path)
    session.prompt(lesion, point=CENTRE)
    assert session.pending_preview.meta["model"] == trained
    assert prompting.default_model().name == trained


def test_the_window_names_and_uses_the_promoted_ai_click_model(qtbot, window, tmp_path, fresh_models):
    panel = window.edit_actions.panel
    bundled = Registry().default_ref("interactive")
    assert panel.ai_backend.itemText(0) == f"Default: {bundled}"
    trained = _promoted_clickseg(tmp_path)
    path, _first, _ = _blob_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(CENTRE)
    shortcut(qtbot, window, Qt.Key_K)                       # the list is read again
    combo = panel.ai_backend
    shown = [combo.itemText(i) for i in range(combo.count())]
    assert shown == [f"Default: {trained}", "Grow from seeds (no AI)"]
    assert combo.currentIndex() == 0                        # listed once: as the default
    _click_centre(qtbot, window)
    assert session.pending_preview.meta["model"] == trained
    assert np.any(window.controller.preview_labels.array == session.active_segment)


def test_a_promoted_model_that_cannot_be_loaded_is_named_and_the_bundled_one_answers(
        qtbot, window, tmp_path, fresh_models):
    """Its weights damaged after it was promoted: one line names it and why, and clicks are
    answered by the bundled clickseg (each click failed with the same error before)."""
    bundled = Registry().default_ref("interactive")
    trained = _promoted_clickseg(tmp_path)
    weights = Registry().get(trained).path / "weights.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    path, _first, _ = _blob_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(CENTRE)
    shortcut(qtbot, window, Qt.Key_K)                       # picks the tool: the model loads
    bar = window.message_bar
    qtbot.waitUntil(lambda: bar.isVisible() and trained in bar.text, timeout=60000)
    assert bar.text.startswith(f"AI click: the promoted model {trained} cannot be loaded (")
    assert bar.text.endswith(f"AI click uses the bundled {bundled} instead") and "\n" not in bar.text
    combo = window.edit_actions.panel.ai_backend         # the list names what answers, not the broken one
    qtbot.waitUntil(lambda: combo.itemText(0) == f"Default: {bundled} ({trained} cannot be loaded)",
                    timeout=10000)
    assert combo.currentIndex() == 0 and bundled != trained
    _click_centre(qtbot, window)
    assert session.pending_preview.meta["model"] == bundled
    assert np.any(window.controller.preview_labels.array == session.active_segment)
