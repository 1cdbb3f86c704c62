"""Labels loaded, then an AI click on them: helpers that test_loaded_ai_click.py and the tests building
on it share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np

from neuroview import Session
from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.io.nifti import save_nifti


def _loaded_then_clicked(session: Session, tmp_path) -> int:
    """Load a 32-voxel cube inside the CT's body from a file, accept one AI click include point
    on it (the click grows it over the body); returns the voxels the click changed."""
    mask = np.zeros(session.labels.shape, np.uint8)
    mask[14:18, 12:16, 3:5] = 1
    save_nifti(mask, session.volume.ijk_to_ras, tmp_path / "truth.nii.gz")
    session.load_labels(tmp_path / "truth.nii.gz")
    session.prompt(1, point=tuple((session.volume.ijk_to_ras @ [16, 14, 4, 1])[:3]), model=GrowPromptModel())
    session.accept_preview()
    changed = int(np.count_nonzero(session.labels.array != mask))
    assert changed > 0
    return changed
