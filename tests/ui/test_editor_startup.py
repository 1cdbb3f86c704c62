"""The window opens an image and starts its editing session without importing torch."""

from __future__ import annotations

from editor_helpers import write_image


def test_window_opens_an_image_without_importing_torch(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    path, _ = write_image(tmp_path)
    code = f"""
import sys, time
from PySide6.QtWidgets import QApplication
from neuroview.ui.main_window import MainWindow
app = QApplication([])
window = MainWindow()
window.show()
window.open_paths([{str(path)!r}])
end = time.monotonic() + 60
while window.editor.session is None and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.01)
assert window.editor.session is not None
window.close()
print("torch" in sys.modules)
"""
    repo = Path(__file__).resolve().parent.parent.parent
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(repo)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            timeout=120, cwd=str(repo))
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr
