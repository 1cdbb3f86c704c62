"""The AI click tool routes clicks to the promptable model the user picks: an nnInteractive
weights folder (random weights) added to the registry, chosen in the tool's *Model* list.

The preview must be, voxel for voxel, what nnInteractive's own inference session answers for a
click at the same voxel (loaded by nnInteractive itself from the same folder).
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import open_image, pixel_of, shortcut, wait_for_session
from PySide6.QtCore import QPoint, Qt

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ai"))
from nninteractive_weights import make_weights_folder  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture(scope="module", autouse=True)
def _nninteractive_installed():
    """nnInteractive is imported when this module's tests run, not when its file is collected:
    every pytest-xdist worker collects every module, and importing nnInteractive's session (with
    nnunetv2's trainer, after torch) took 4.3 s of CPU in each, though one worker runs these."""
    pytest.importorskip("nnunetv2")
    pytest.importorskip("nnInteractive.inference.inference_session")


SHAPE = (32, 36, 28)
VOXEL = (16, 18, 14)


def _image(folder: Path):
    affine = np.diag([1.5, 1.5, 2.0, 1.0])
    affine[:3, 3] = -affine[:3, :3] @ ((np.asarray(SHAPE) - 1) / 2)
    rng = np.random.default_rng(1)
    ijk = np.indices(SHAPE)
    ball = ((ijk[0] - 16) ** 2 + (ijk[1] - 18) ** 2 + (ijk[2] - 14) ** 2) < 36
    image = (100 + 200 * ball + rng.normal(0, 10, SHAPE)).astype(np.float32)
    path = folder / "ball.nii.gz"
    nib.save(nib.Nifti1Image(image, affine), path)
    return path, affine


def test_choosing_the_nninteractive_model_routes_the_click_to_it(qtbot, window, tmp_path):
    from nnInteractive.inference.inference_session import nnInteractiveInferenceSession

    from neuroview.ai.interactive.nninteractive import NnInteractiveModel
    from neuroview.ai.registry import Registry

    weights = make_weights_folder(tmp_path / "weights", seed=0, patch_size=(64, 64, 64))
    entry = Registry().add(weights)  # what `neuroview models add FOLDER` does
    path, affine = _image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    p_ras = affine[:3, :3] @ np.asarray(VOXEL, float) + affine[:3, 3]
    window.controller.set_crosshair(p_ras)
    shortcut(qtbot, window, Qt.Key_K)
    assert window.controller.mode == "ai-click"
    combo = window.edit_actions.panel.ai_backend
    index = combo.findData(f"model:{entry.ref}")
    assert index >= 2 and "nninteractive" in combo.itemText(index)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    qtbot.waitUntil(lambda: isinstance(window.editor.ai_click.model, NnInteractiveModel), timeout=60000)

    x, y = pixel_of(window, "axial", p_ras)
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, Qt.NoModifier,
                     QPoint(int(round(x)), int(round(y))))
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running,
                    timeout=60000)
    assert session.pending_preview.meta["prompts"] == {"point+": 1}
    shown = window.controller.preview_labels.array == session.active_segment

    # nnInteractive's own session, same folder, a click at the voxel the window's prompt names
    volume = session.volume
    prompt = session.prompting.prompts.prompts[0]
    ijk = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(prompt.p_ras, 1.0))[:3].astype(int)
    assert np.abs(ijk - VOXEL).max() <= 1  # the click landed where it was aimed
    target = np.zeros(volume.frame(0).shape, np.uint8)
    with contextlib.redirect_stdout(io.StringIO()):
        reference = nnInteractiveInferenceSession(device=torch.device("cpu"), torch_n_threads=1)
        reference.initialize_from_trained_model_folder(str(weights))
        reference.set_image(np.asarray(volume.frame(0))[None])
        reference.set_target_buffer(target)
        reference.add_point_interaction(tuple(int(v) for v in ijk), True)
    assert target.sum() > 100
    np.testing.assert_array_equal(shown, target.astype(bool))
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    np.testing.assert_array_equal(session.labels.array == session.active_segment, target.astype(bool))


def test_the_nninteractive_checkpoint_loads_while_the_window_keeps_running(qtbot, window, tmp_path,
                                                                           monkeypatch):
    """Picking an nnInteractive model loads its checkpoint in the background: a QTimer keeps
    ticking while the load is held (it goes on only once the timer has ticked), the progress bar
    names the model, and a click made while it loads is answered with one line instead of going
    to the previous model. (It counted ticks during a one-second sleep, which failed by chance
    on a loaded machine.)"""
    import threading

    from PySide6.QtCore import QTimer

    from neuroview.ai.interactive import nninteractive
    from neuroview.ai.interactive.nninteractive import NnInteractiveModel
    from neuroview.ai.registry import Registry

    weights = make_weights_folder(tmp_path / "weights", seed=1, patch_size=(64, 64, 64))
    entry = Registry().add(weights)
    path, affine = _image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    p_ras = affine[:3, :3] @ np.asarray(VOXEL, float) + affine[:3, 3]
    window.controller.set_crosshair(p_ras)
    ticks, during, release = [0], {}, threading.Event()
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(10)
    real_load = nninteractive.load_nninteractive

    def held_load(*args, **kwargs):  # a big checkpoint: loading until the test lets it end
        model = real_load(*args, **kwargs)
        during["start"] = ticks[0]
        during["released"] = release.wait(timeout=60)   # False: the window waited for the load
        return model

    monkeypatch.setattr(nninteractive, "load_nninteractive", held_load)
    shortcut(qtbot, window, Qt.Key_K)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)  # the tool's warm-up
    combo = window.edit_actions.panel.ai_backend
    index = combo.findData(f"model:{entry.ref}")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert window.progress_text.text() == f"AI click: loading {entry.ref}"
    x, y = pixel_of(window, "axial", p_ras)
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, Qt.NoModifier,
                     QPoint(int(round(x)), int(round(y))))
    assert "still loading" in window.message_bar.text
    qtbot.waitUntil(lambda: "start" in during, timeout=60000)
    qtbot.waitUntil(lambda: ticks[0] >= during["start"] + 5, timeout=30000)   # while the load is held
    release.set()
    qtbot.waitUntil(lambda: isinstance(window.editor.ai_click.model, NnInteractiveModel), timeout=60000)
    timer.stop()
    assert during["released"]
