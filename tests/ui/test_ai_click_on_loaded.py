"""An AI click object accepted on labels loaded from a file, in the window: the segment editor's
From column reads ``file NAME + AI click`` (the model and prompts on hover) and Ctrl+Z of the
accept gives back ``file NAME`` (until session 28 it read ``drawn + AI click``: the file was
forgotten)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from ai_click_cases import _setup, accepted_then_undone

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_ai_click_on_loaded_labels_reads_file_and_ai_click(qtbot, window, tmp_path):
    session, first, second = _setup(qtbot, window, tmp_path)
    mask = second.astype(np.uint8)                            # a colleague's file: the other blob
    nib.save(nib.Nifti1Image(mask, session.volume.ijk_to_ras), tmp_path / "colleague.nii.gz")
    window.open_labels(tmp_path / "colleague.nii.gz")
    table = window.edit_actions.panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 4).text() == "file colleague.nii.gz",
                    timeout=10000)
    session.active_segment = 1
    accepted, undone, undone_source = accepted_then_undone(qtbot, window, session, first)
    assert accepted == ("file colleague.nii.gz + AI click",
                        "file colleague.nii.gz + AI click grow-from-seeds, 1 prompt")
    assert np.array_equal(undone, second)
    assert undone_source == "file colleague.nii.gz"
