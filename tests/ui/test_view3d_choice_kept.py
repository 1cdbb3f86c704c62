"""The user's 3D preset and *Volume rendering* choices are kept for the next images and the next
session (``app.view3d_choice``), as Slicer and ITK-SNAP keep a display choice: a new image reset
both to automatic. A CT preset does not go onto an MR: it opens at its own, and a note says so.
The box lists the presets that suit the image first, the others after a separator."""

from __future__ import annotations

import json

import numpy as np
from editor_helpers import open_image, write_image
from PySide6.QtCore import QPoint, Qt

from neuroview.app.view3d_choice import CHOICE_FILE, View3DChoice, remembered_3d_choice
from neuroview.io.nifti import save_nifti
from neuroview.paths import user_data_path
from neuroview.render.prepare3d import PRESETS_3D


def head_ct(folder, name):
    """A small head CT as NIfTI (air, 40 HU brain, 1200 HU caps): it opens at "CT bone"."""
    rng = np.random.default_rng(3)
    hu = np.full((40, 40, 30), -1000, np.int16)
    hu[8:32, 8:32, 5:25] = rng.normal(40, 10, (24, 24, 20)).astype(np.int16)
    hu[8:32, 8:32, [5, 24]] = 1200
    path = folder / f"{name}.nii.gz"
    save_nifti(hu, np.diag([0.8, 0.8, 2.5, 1.0]), path)
    return path


def shown(qtbot, window) -> None:
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d._scene_volume is window.controller.volume and view3d.rgb is not None
                    and not view3d.surfaces_pending, timeout=30000)
    qtbot.wait(100)


def choose(qtbot, box, name: str) -> None:
    """Pick ``name`` in a closed combo box with the keyboard, as a user does (emits activated)."""
    box.setFocus()
    while box.currentText() != name:
        qtbot.keyClick(box, Qt.Key_Down if box.findText(name) > box.currentIndex() else Qt.Key_Up)


def test_3d_preset_chosen_is_kept_for_the_next_ct_and_not_put_on_an_mr(qtbot, window, tmp_path):
    view3d, panel = window.view3d, window.display_panel
    open_image(qtbot, window, head_ct(tmp_path, "first"))
    shown(qtbot, window)
    assert view3d.scene.preset == "CT bone"   # automatic for a head CT
    choose(qtbot, panel.preset3d_box, "CT soft tissue")
    qtbot.waitUntil(lambda: view3d.scene.preset == "CT soft tissue", timeout=5000)

    open_image(qtbot, window, write_image(tmp_path)[0])   # an MR: its own preset, and a note
    shown(qtbot, window)
    assert view3d.scene.preset == "MR default"
    assert panel.preset3d_box.currentText() == "MR default"
    note = window.notice_bar.label.text()
    assert "MR default, not your CT soft tissue" in note and "not a CT" in note

    open_image(qtbot, window, head_ct(tmp_path, "second"))   # another head CT: the choice back
    shown(qtbot, window)
    assert view3d.scene.preset == "CT soft tissue", "reset to the automatic CT bone"
    assert panel.preset3d_box.currentText() == "CT soft tissue"
    assert "not your" not in (window.notice_bar.label.text() if window.notice_bar.isVisible() else "")
    open_image(qtbot, window, write_image(tmp_path, name="mr2", affine_name="lps")[0])
    shown(qtbot, window)
    choose(qtbot, panel.preset3d_box, "CT bone")   # chosen on an MR: drawn, and a word says why not
    qtbot.waitUntil(lambda: view3d.scene.preset == "CT bone", timeout=5000)
    assert "this image is not a CT" in window.statusBar().currentMessage()
    saved = json.loads((user_data_path() / CHOICE_FILE).read_text("utf-8"))
    assert saved == {"preset": "CT bone", "volume": None}


def test_volume_rendering_cleared_stays_cleared_for_the_next_image(qtbot, window, tmp_path):
    view3d, box = window.view3d, window.display_panel.volume3d_check
    open_image(qtbot, window, write_image(tmp_path, name="first")[0])
    shown(qtbot, window)
    assert box.isChecked() and view3d.scene.show_volume    # nothing else shown: automatic on
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: not view3d.scene.show_volume, timeout=5000)
    open_image(qtbot, window, write_image(tmp_path, name="second", affine_name="lps")[0])
    shown(qtbot, window)
    assert not box.isChecked(), "the box ticked itself again for the new image"
    assert not view3d.scene.show_volume and view3d.scene.volume_choice is False
    saved = json.loads((user_data_path() / CHOICE_FILE).read_text("utf-8"))
    assert saved == {"preset": None, "volume": False}


def test_choice_remembered_for_the_next_session(qtbot, tmp_path):
    """The next window starts with the saved choice; a damaged or unknown entry is automatic."""
    from editor_helpers import close_without_asking

    from neuroview.ui.main_window import MainWindow

    (user_data_path() / CHOICE_FILE).write_text(json.dumps({"preset": "CT soft tissue", "volume": False}))
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.show()
    qtbot.waitExposed(window)
    open_image(qtbot, window, head_ct(tmp_path, "ct"))
    shown(qtbot, window)
    assert window.view3d.scene.preset == "CT soft tissue"
    assert not window.display_panel.volume3d_check.isChecked() and not window.view3d.scene.show_volume
    for text in ('{"preset": "MIP", "volume": "yes"}', "[1, 2]", "{not json"):
        (user_data_path() / CHOICE_FILE).write_text(text)
        assert remembered_3d_choice(PRESETS_3D) == View3DChoice()


def box_items(box) -> list[str]:
    """The box's rows as the user sees them, a separator as ``"---"``."""
    return ["---" if box.itemData(n, Qt.AccessibleDescriptionRole) == "separator" else box.itemText(n)
            for n in range(box.count())]


def test_3d_presets_suited_to_the_image_come_first_the_others_after_a_separator(qtbot, window, tmp_path):
    """As 3D Slicer lists every preset and defaults by modality: an MR's box offered CT bone and
    CT soft tissue (Hounsfield units) beside MR default. The others stay reachable: a NIfTI's
    CT-ness is guessed from its voxels (``app.view3d_choice.presets_by_fit``)."""
    box, view3d = window.display_panel.preset3d_box, window.view3d
    open_image(qtbot, window, write_image(tmp_path)[0])   # an MR
    shown(qtbot, window)
    assert box_items(box) == ["MR default", "---", "CT bone", "CT soft tissue"]
    assert box.currentText() == view3d.scene.preset == "MR default"
    choose(qtbot, box, "CT bone")   # still reachable, past the separator, with a word why not
    qtbot.waitUntil(lambda: view3d.scene.preset == "CT bone", timeout=5000)
    assert "this image is not a CT" in window.statusBar().currentMessage()

    open_image(qtbot, window, head_ct(tmp_path, "ct"))   # a head CT: its CT presets first
    shown(qtbot, window)
    assert box_items(box) == ["CT bone", "CT soft tissue", "---", "MR default"]
    assert box.currentText() == view3d.scene.preset == "CT bone"
