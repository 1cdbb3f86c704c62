"""AI > Segment with a TorchScript model in the window: it asks before running (TorchScript runs
any code), No refuses it and runs nothing, Yes runs it, and the file is not asked about again."""

from __future__ import annotations

import pytest
from editor_helpers import open_image, wait_for_session, write_image
from PySide6.QtCore import Qt

pytest.importorskip("neuroview.ai.segment")
torch = pytest.importorskip("torch")


class _MarkerNet(torch.nn.Module):
    """Every voxel 'lesion', and as a side effect writes 'AAAA' into ``marker``."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def forward(self, x):
        written = torch.from_file(self.marker, shared=True, size=4, dtype=torch.uint8)
        written.fill_(65)
        fg = torch.ones_like(x[:, :1])
        return torch.cat([-fg, fg], dim=1) + written.sum().to(x.dtype) * 0


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_torchscript_asks_before_running_and_no_refuses(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from neuroview.ai.api import LabelInfo, ModelCard

    marker = tmp_path / "marker.bin"
    model = tmp_path / "scripted.pt"
    torch.jit.script(_MarkerNet(str(marker))).save(str(model))
    card = ModelCard(name="scripted", version="1.0.0", architecture="unet3d", hyperparameters={},
                     input_channels=["T1"], target_spacing=(4.0, 4.0, 4.0), patch_size=(16, 16, 16),
                     labels=[LabelInfo(1, "lesion", (250, 120, 0))], format="torchscript")
    (tmp_path / "scripted.pt.json").write_text(card.to_json())
    path, _volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    actions = window.ai_actions

    actions.segment(str(model), "cpu")
    box = actions.consent_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=5000)
    assert "TorchScript" in box.text() and "any file" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.No), Qt.LeftButton)
    qtbot.waitUntil(lambda: "not run" in window.message_bar.text, timeout=5000)
    qtbot.wait(200)
    assert not marker.exists() and actions.job is None
    assert not (session.labels.array > 0).any()

    actions.segment(str(model), "cpu")
    box = actions.consent_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=5000)
    qtbot.mouseClick(box.button(QMessageBox.Yes), Qt.LeftButton)
    qtbot.waitUntil(lambda: "scripted@1.0.0" in window.notice_bar.text, timeout=60000)
    assert marker.read_bytes() == b"AAAA" and (session.labels.array > 0).any()

    marker.unlink()  # remembered for this file: no second question
    actions.segment(str(model), "cpu")
    assert actions.consent_box is None
    qtbot.waitUntil(lambda: marker.exists(), timeout=60000)
    qtbot.waitUntil(lambda: actions.job is None or actions.job.finished, timeout=60000)
