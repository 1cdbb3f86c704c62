"""The time point of a 4D image that the labels were drawn on is recorded (each segment's
``time_points``: the crash journal, the label sidecar), a restore or a label file brings the view
back to it, and *Send to training set* sends that time point's image and records it. Session 34's
walk: paint on volume 5 of a DWI, close without saving, reopen, *Restore*: the view came back at
volume 1, and the send stored volume 1 (b=0) with the labels drawn on volume 5."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
from frame_images import open_and_wait

from neuroview.dataset.layout import init_dataset

SHAPE = (24, 20, 16, 7)
INSIDE = np.array([16.0, 12.0, 14.0])


def dwi(tmp_path):
    """A 7-volume DWI (b=0 then six b=1000) whose volumes differ voxel by voxel, with its .bval."""
    rng = np.random.default_rng(5)
    base = rng.random(SHAPE[:3], np.float32) * 100 + 200
    data = np.stack([base * (1.0 if t == 0 else 0.4) + 3 * t for t in range(SHAPE[3])], axis=-1)
    (tmp_path / "dwi.bval").write_text("0 1000 1000 1000 1000 1000 1000\n")
    return tmp_path / "dwi.nii.gz", data.astype(np.float32)


def step_to(qtbot, window, time_point: int) -> None:
    window.display_panel.frame_box.setValue(time_point)
    qtbot.waitUntil(lambda: window.controller.state.frame == time_point - 1, timeout=5000)


def painted_on(qtbot, window, time_point: int, segment: str = "lesion", at=INSIDE) -> None:
    step_to(qtbot, window, time_point)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy,
                    timeout=30000)
    session = window.editor.session
    if not session.labels.segments.has_name(segment):
        session.segments.add(segment)
    session.active_segment = session.labels.segments.by_name(segment).value
    session.apply("paint", at_ras=at, radius_mm=4.0, mode="3d")


def send(qtbot, window, dataset) -> None:
    window.training_actions.send(str(dataset), annotator="dr.a")
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text or window.message_bar.isVisible(),
                    timeout=30000)


def test_restore_goes_back_to_the_time_point_drawn_on_and_sends_its_image(qtbot, window, tmp_path):
    path, data = dwi(tmp_path)
    open_and_wait(qtbot, window, path, data)
    painted_on(qtbot, window, 5)
    painted = window.editor.session.labels.array.copy()
    window.edit_actions.close_case()    # closed without saving: the edits stay in the workspace
    step_to(qtbot, window, 1)
    window.open_paths([path])            # reopened: Restore
    qtbot.waitUntil(lambda: "Restore" in window.notice_bar.buttons, timeout=30000)
    window.notice_bar.buttons["Restore"].click()
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy,
                    timeout=30000)

    assert window.controller.state.frame == 4 and window.display_panel.frame_box.value() == 5
    assert "showing volume 5 of 7, b = 1000" in window.notice_bar.text
    assert np.array_equal(window.editor.session.labels.array, painted)
    step_to(qtbot, window, 2)            # another volume shown: the labels' own is sent
    dataset = init_dataset(tmp_path / "ds", "Lesions", ["background", "lesion"])
    send(qtbot, window, dataset)

    assert not window.message_bar.isVisible(), window.message_bar.text
    assert "(volume 5 of 7, b = 1000, the one the labels were drawn on)" in window.notice_bar.text
    source = np.asarray(nib.load(path).dataobj)
    image = np.asarray(nib.load(dataset / "imagesTr" / "nv_0001_0000.nii.gz").dataobj)
    assert np.array_equal(image, source[..., 4]) and not np.array_equal(image, source[..., 0])
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert record["time_point"] == 5


def test_the_label_file_records_the_time_point_and_brings_the_view_to_it(qtbot, window, tmp_path):
    path, data = dwi(tmp_path)
    open_and_wait(qtbot, window, path, data)
    painted_on(qtbot, window, 3)
    labels = tmp_path / "dwi_labels.nii.gz"
    window.editor.case.save_labels(labels)
    sidecar = json.loads((tmp_path / "dwi_labels.segments.json").read_text())
    assert [row.get("time_points") for row in sidecar] == [[3]]
    window.edit_actions.close_case()
    step_to(qtbot, window, 1)
    window.edit_actions.volume_opened(window.controller.volume, [str(path)], again=True)
    qtbot.waitUntil(lambda: "Restore" in window.notice_bar.buttons, timeout=30000)
    window.notice_bar.buttons["Discard"].click()
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy,
                    timeout=30000)
    assert window.controller.state.frame == 0

    window.edit_actions.load_labels(labels)
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any() and not window.runner.busy,
                    timeout=30000)
    assert window.controller.state.frame == 2 and window.editor.session.frame == 2
    assert "showing volume 3 of 7" in window.notice_bar.text


def test_labels_drawn_on_two_time_points_send_the_one_shown_of_them(qtbot, window, tmp_path):
    path, data = dwi(tmp_path)
    open_and_wait(qtbot, window, path, data)
    painted_on(qtbot, window, 2)
    painted_on(qtbot, window, 6, "oedema", at=INSIDE - 8)   # beside: over it, the lesion is gone
    dataset = init_dataset(tmp_path / "ds", "Lesions", ["background", "lesion", "oedema"])
    step_to(qtbot, window, 4)            # neither: which image the mask belongs to is asked
    window.training_actions.send(str(dataset), annotator="dr.a")
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=30000)
    assert "drawn on time points 2 and 6 of this 4D image" in window.message_bar.text
    assert not (dataset / "imagesTr" / "nv_0001_0000.nii.gz").exists()

    window.message_bar.hide()
    step_to(qtbot, window, 6)
    send(qtbot, window, dataset)
    assert not window.message_bar.isVisible(), window.message_bar.text
    image = np.asarray(nib.load(dataset / "imagesTr" / "nv_0001_0000.nii.gz").dataobj)
    assert np.array_equal(image, np.asarray(nib.load(path).dataobj)[..., 5])
    assert json.loads((dataset / "provenance" / "nv_0001.json").read_text())["time_point"] == 6


def test_the_time_point_is_undone_with_the_stroke(qtbot, window, tmp_path):
    path, data = dwi(tmp_path)
    open_and_wait(qtbot, window, path, data)
    painted_on(qtbot, window, 2)
    painted_on(qtbot, window, 4, at=INSIDE - 8)
    session = window.editor.session
    assert session.labels.segments.by_name("lesion").time_points == (2, 4)
    session.undo()
    assert session.labels.segments.by_name("lesion").time_points == (2,)


def test_a_time_point_chosen_while_the_restore_question_waits_is_the_one_drawn_on(qtbot, window,
                                                                                  tmp_path):
    path, data = dwi(tmp_path)
    open_and_wait(qtbot, window, path, data)
    painted_on(qtbot, window, 2)
    window.edit_actions.close_case()
    window.edit_actions.volume_opened(window.controller.volume, [str(path)], again=True)
    qtbot.waitUntil(lambda: "Discard" in window.notice_bar.buttons, timeout=30000)
    step_to(qtbot, window, 6)            # before editing began
    window.notice_bar.buttons["Discard"].click()
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy,
                    timeout=30000)
    assert window.editor.session.frame == 5   # the time point the tools read and strokes record
    painted_on(qtbot, window, 6)
    assert window.editor.session.labels.segments.by_name("lesion").time_points == (6,)


def test_a_models_segments_record_the_time_point_it_segmented(qtbot, window, tmp_path, monkeypatch):
    """Stepped on while the model ran: its segments record the time point it was handed."""
    import threading

    from neuroview.ai import segment as segment_module
    from neuroview.ai.api import LabelInfo, SegmentationResult

    path, data = dwi(tmp_path)
    open_and_wait(qtbot, window, path, data)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy,
                    timeout=30000)
    go = threading.Event()

    def threshold(volume, model="", device="auto", progress=None, cancel=None, mirror=False, **_):
        go.wait(20)
        return SegmentationResult((volume.array > 100).astype(np.uint8), volume.ijk_to_ras,
                                  [LabelInfo(1, "lesion", (250, 120, 0))], "thr@1", "cpu")

    monkeypatch.setattr(segment_module, "segment", threshold)
    step_to(qtbot, window, 3)
    window.ai_actions.segment("", "cpu")
    step_to(qtbot, window, 7)            # while it runs
    go.set()
    qtbot.waitUntil(lambda: "thr@1 on cpu" in window.notice_bar.text, timeout=30000)
    assert window.editor.session.labels.segments.by_name("lesion").time_points == (3,)
    assert window.editor.session.frame == 6 and window.controller.state.frame == 6


def erased(window, at=INSIDE) -> None:
    """The segment painted at ``at`` erased whole (a brush twice the paint's)."""
    window.editor.session.apply("erase", at_ras=at, radius_mm=8.0, mode="3d")


def test_an_emptied_segment_records_no_time_point(qtbot, window, tmp_path):
    path, data = dwi(tmp_path)
    open_and_wait(qtbot, window, path, data)
    painted_on(qtbot, window, 3)
    erased(window)
    session = window.editor.session
    assert session.voxel_counts()["lesion"] == 0
    assert session.labels.segments.by_name("lesion").time_points == ()
    painted_on(qtbot, window, 5)          # drawn again on another: not "two time points"
    step_to(qtbot, window, 1)
    dataset = init_dataset(tmp_path / "ds", "Lesions", ["background", "lesion"])
    send(qtbot, window, dataset)
    assert not window.message_bar.isVisible(), window.message_bar.text
    image = np.asarray(nib.load(dataset / "imagesTr" / "nv_0001_0000.nii.gz").dataobj)
    assert np.array_equal(image, np.asarray(nib.load(path).dataobj)[..., 4])
    assert json.loads((dataset / "provenance" / "nv_0001.json").read_text())["time_point"] == 5

    session.undo()                        # the paint on 5 undone: empty again, no time point
    assert session.labels.segments.by_name("lesion").time_points == ()
    session.undo()                        # the erase undone: the voxels drawn on 3 are back
    assert session.labels.segments.by_name("lesion").time_points == (3,)


def test_ctrl_z_back_to_an_empty_segment_records_no_time_point(qtbot, window, tmp_path):
    path, data = dwi(tmp_path)
    open_and_wait(qtbot, window, path, data)
    painted_on(qtbot, window, 3)
    erased(window)
    painted_on(qtbot, window, 3)
    window.editor.session.undo()          # Ctrl+Z: the segment holds nothing again
    session = window.editor.session
    assert session.voxel_counts()["lesion"] == 0
    assert session.labels.segments.by_name("lesion").time_points == ()
    painted_on(qtbot, window, 6)
    assert session.labels.segments.by_name("lesion").time_points == (6,)


def test_another_programs_label_file_takes_no_time_point_of_the_segment_it_replaces(qtbot, window,
                                                                                     tmp_path):
    path, data = dwi(tmp_path)
    open_and_wait(qtbot, window, path, data)
    painted_on(qtbot, window, 3)
    step_to(qtbot, window, 1)
    mask = np.zeros(SHAPE[:3], np.uint8)  # ITK-SNAP's: value 1, as the lesion's, and no sidecar
    mask[2:6, 2:6, 2:6] = 1
    nib.save(nib.Nifti1Image(mask, nib.load(path).affine), tmp_path / "itksnap.nii.gz")
    window.edit_actions.load_labels(tmp_path / "itksnap.nii.gz", replace=True)   # Replace
    session = window.editor.session
    qtbot.waitUntil(lambda: np.array_equal(session.labels.array, mask) and not window.runner.busy,
                    timeout=30000)
    assert session.labels.segments.get(1).time_points == ()
    assert window.controller.state.frame == 0   # the view stays: the file names no time point
    dataset = init_dataset(tmp_path / "ds", "Lesions", ["background", "lesion"])
    send(qtbot, window, dataset)
    assert not window.message_bar.isVisible(), window.message_bar.text
    image = np.asarray(nib.load(dataset / "imagesTr" / "nv_0001_0000.nii.gz").dataobj)
    assert np.array_equal(image, np.asarray(nib.load(path).dataobj)[..., 0])
    assert json.loads((dataset / "provenance" / "nv_0001.json").read_text())["time_point"] == 1

    (tmp_path / "itksnap.segments.json").write_text(json.dumps([   # a sidecar naming time point 6
        {"value": 1, "name": "lesion", "color": [230, 25, 75], "time_points": [6]}]))
    window.edit_actions.load_labels(tmp_path / "itksnap.nii.gz", replace=True)   # Replace
    qtbot.waitUntil(lambda: session.labels.segments.get(1).time_points == (6,)
                    and not window.runner.busy, timeout=30000)
    assert window.controller.state.frame == 5
