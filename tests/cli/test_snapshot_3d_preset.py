"""``neuroview snapshot --view 3d`` draws a CT at the 3D preset the window opens it at: "CT bone"
for a head, "CT soft tissue" for a body (the window's head-or-body rule,
``app.view3d_choice.preset_for`` with no choice of the user's). The scene had a rule of its own
("CT bone" for any CT) that a caller giving no preset got. Pixels: the snapshot's 3D tile against
the scene drawn at the window's preset and at the other one."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))

from head_neck_ct import head_neck_shoulders  # noqa: E402

from neuroview.app.view3d_choice import preset_for  # noqa: E402
from neuroview.io import load  # noqa: E402
from neuroview.io.nifti import save_nifti  # noqa: E402
from neuroview.render.png import read_png  # noqa: E402
from neuroview.render.volume3d import Scene3D  # noqa: E402

SIZE = 120
OTHER = {"CT bone": "CT soft tissue", "CT soft tissue": "CT bone"}


def drawn(volume, preset: str) -> np.ndarray:
    scene = Scene3D(SIZE, SIZE)
    try:
        scene.set_volume(volume, preset)
        return scene.render(SIZE, SIZE).astype(int)
    finally:
        scene.close()


@pytest.mark.parametrize("part, expected", [("head", "CT bone"), ("body", "CT soft tissue")])
def test_the_snapshot_draws_a_ct_at_the_windows_3d_preset(cli, tmp_path, part, expected):
    # a head and neck CT reaching the shoulders; the same cut below the neck's top: a chest
    image = head_neck_shoulders() if part == "head" else head_neck_shoulders(shoulder_slices=60)[:, :, :80]
    path = tmp_path / f"{part}.nii.gz"   # a NIfTI: CT by its voxels, as the window reads it
    save_nifti(image, np.diag([3.0, 3.0, 5.0, 1.0]), path)
    volume = load(path)
    window_preset, _note = preset_for(volume, None)
    assert window_preset == expected
    out = tmp_path / "3d.png"
    result = cli("snapshot", path, "--view", "3d", "--size", f"{SIZE}x{SIZE}", "--out", out,
                 env={"DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    snapshot = read_png(out).astype(int)
    same = np.abs(snapshot - drawn(volume, window_preset)).mean()
    other = np.abs(snapshot - drawn(volume, OTHER[window_preset])).mean()
    assert same < 1.0 and other > 5 * max(same, 1.0), (same, other)
