"""A DICOM series opens at the window its header names (WindowWidth / WindowCenter), as a PACS
viewer or 3D Slicer opens it; the Display panel offers it as *DICOM header* beside *Auto*, and a
NIfTI (no such header) opens at *Auto* as before. Until 3 Dec 2026 the header's window was
ignored: every MR opened at the automatic window."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from display_panel_items import choose, items
from editor_helpers import open_image

from neuroview.app.view_presets import AUTO, auto_window_level
from neuroview.io.nifti import save_nifti

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from window_files import classic_series  # noqa: E402

HEADER = "DICOM header"


def _window_level(window):
    state = window.controller.state
    return state.window, state.level


def test_dicom_series_opens_at_its_header_window(qtbot, window, tmp_path):
    folder = classic_series(tmp_path / "t1", [700, 300], [1000, 600], n_slices=6)
    open_image(qtbot, window, folder)
    panel = window.display_panel
    assert _window_level(window) == (1000.0, 700.0)              # the first of the header's two
    assert (panel.window_box.value(), panel.level_box.value()) == (1000.0, 700.0)
    assert panel.preset_box.currentText() == HEADER
    # the header's second window is offered after it (a CT's bone window after its soft-tissue
    # one, 1500/450 in pydicom's bad_sequence.dcm), as Slicer offers each; until session 36
    # only the first was, the second unreachable but by typing its numbers
    assert items(panel.preset_box)[:3] == [HEADER, f"{HEADER} 2", AUTO]
    choose(qtbot, panel.preset_box, f"{HEADER} 2")
    assert _window_level(window) == (600.0, 300.0)
    choose(qtbot, panel.preset_box, AUTO)
    auto = auto_window_level(window.controller.volume)
    assert np.allclose(_window_level(window), auto) and not np.allclose(auto, (1000.0, 700.0))
    choose(qtbot, panel.preset_box, HEADER)
    assert _window_level(window) == (1000.0, 700.0)


def test_nifti_opens_at_auto_with_no_header_preset(qtbot, window, tmp_path):
    image = np.arange(20 * 20 * 10, dtype=np.float32).reshape(20, 20, 10)
    save_nifti(image, np.eye(4), tmp_path / "t1.nii.gz")
    open_image(qtbot, window, tmp_path / "t1.nii.gz")
    assert HEADER not in items(window.display_panel.preset_box)
    assert window.display_panel.preset_box.currentText() == AUTO


def test_a_ct_preset_chosen_keeps_its_name_when_the_header_names_the_same(qtbot, window, tmp_path):
    """A head CT whose header names 80/40, the Brain preset's numbers: key 1 (Brain) left the
    Display panel reading *DICOM header*, the first preset of those numbers; it reads *Brain*."""
    import pydicom

    folder = classic_series(tmp_path / "ct", 40, 80, intercept=-1024.0, n_slices=6)
    for path in folder.iterdir():
        ds = pydicom.dcmread(path)
        ds.Modality = "CT"
        ds.save_as(path)
    open_image(qtbot, window, folder)
    panel = window.display_panel
    assert panel.preset_box.currentText() == HEADER and _window_level(window) == (80.0, 40.0)
    assert panel.choose_preset("Subdural")
    assert panel.preset_box.currentText() == "Subdural"
    assert panel.choose_preset("Brain")
    assert _window_level(window) == (80.0, 40.0) and panel.preset_box.currentText() == "Brain"
