"""The scripting API end to end: open, segments, tools, undo/redo, files, model results, restore."""

import nibabel as nib
import numpy as np
import pytest
from nibabel.affines import apply_affine

from neuroview import Session
from neuroview.core.errors import GeometryError, LabelMapError, ToolError


def _sphere(session, centre, radius):
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in session.volume.shape], indexing="ij"), -1)
    return np.linalg.norm(apply_affine(session.volume.ijk_to_ras, ijk) - centre, axis=-1) <= radius


def test_issue_example_paint_undo_redo_save(small_image, tmp_path):
    s = Session.open(small_image, workspace=tmp_path / "ws")
    seg = s.segments.add("lesion")
    at = (10.0, -5.0, 20.0)
    step = s.apply("paint", at_ras=at, radius_mm=6.0, mode="3d", segment=seg)
    expected = _sphere(s, at, 6.0)
    np.testing.assert_array_equal(s.labels.array == seg.value, expected)
    assert step.diff.n_changed == expected.sum()
    s.undo()
    assert not s.labels.array.any()
    s.redo()
    np.testing.assert_array_equal(s.labels.array == seg.value, expected)
    out = s.save_labels(tmp_path / "labels.nii.gz")
    img = nib.load(out)  # another program reads it back on the image's own grid
    np.testing.assert_allclose(img.affine, nib.load(small_image).affine, atol=1e-5)
    np.testing.assert_array_equal(np.asarray(img.dataobj), s.labels.array)
    assert (tmp_path / "labels.segments.json").exists()
    s.close()


def test_every_tool_through_apply_is_one_undo_step(small_image):
    s = Session.open(small_image)
    lesion = s.segments.add("lesion")
    s.segments.add("other")
    centre = s.volume.center_ras
    s.apply("paint", at_ras=centre, radius_mm=12, segment="lesion", mode="3d")
    s.apply("paint", at_ras=centre - [25, 0, 0], radius_mm=4, segment="lesion", mode="3d")
    s.apply("paint", at_ras=centre + [20, 0, 0], radius_mm=6, segment="other",
            path=[centre + [22, 3, 0]])
    states = [s.labels.array.copy()]
    calls = [
        ("margin", dict(segment=lesion, margin_mm=3)),
        ("smoothing", dict(segment="other", method="opening", kernel_mm=10)),
        ("islands", dict(segment=lesion, operation="keep_largest")),
        ("erase", dict(at_ras=centre, radius_mm=4, mode="2d", view="coronal", segment=lesion)),
        ("fill", dict(at_ras=centre, mode="2d", view="coronal", segment=lesion)),
        ("logical", dict(segment=lesion, operation="subtract", other=_sphere(s, centre, 5))),
        ("grow", dict(segments=["lesion", "other"], padding_mm=6)),
    ]
    for name, params in calls:
        s.apply(name, **params)
        states.append(s.labels.array.copy())
    changed = [not np.array_equal(a, b) for a, b in zip(states, states[1:])]
    assert all(changed), dict(zip([c[0] for c in calls], changed))
    for state in reversed(states[:-1]):
        s.undo()
        np.testing.assert_array_equal(s.labels.array, state)
    for state in states[1:]:
        s.redo()
        np.testing.assert_array_equal(s.labels.array, state)


def test_segments_lock_policy_and_table_undo(small_image):
    s = Session.open(small_image)
    a = s.segments.add("a")
    s.segments.add("b")
    centre = s.volume.center_ras
    s.apply("paint", at_ras=centre, radius_mm=10, segment="a")
    a_voxels = s.labels.array == a.value
    s.segments.lock("a")
    s.apply("paint", at_ras=centre, radius_mm=15, segment="b")
    np.testing.assert_array_equal(s.labels.array == a.value, a_voxels)
    with pytest.raises(ToolError, match="locked"):
        s.apply("paint", at_ras=centre, radius_mm=3, segment="a")
    with pytest.raises(LabelMapError, match="locked"):
        s.segments.remove("a")
    s.segments.unlock("a")
    s.segments.rename("b", "ring")
    s.segments.recolor("ring", (1, 2, 3))
    s.segments.hide("ring")
    s.set_policy("visible")
    ring = s.labels.array == 2
    assert s.apply("paint", at_ras=centre, radius_mm=20, segment="a") is not None
    np.testing.assert_array_equal(s.labels.array == 2, ring)  # hidden "ring" is protected
    s.undo()
    for _ in range(3):
        s.undo()
    assert [(x.name, x.color, x.visible) for x in s.segments][1] == ("b", s.segments["b"].color, True)
    s.segments.remove("a")
    assert "a" not in s.segments and not (s.labels.array == 1).any()
    s.undo()
    np.testing.assert_array_equal(s.labels.array == 1, a_voxels)


def test_model_result_is_one_step_and_tagged(small_image):
    s = Session.open(small_image)
    human = s.segments.add("human")
    s.apply("paint", at_ras=s.volume.center_ras, radius_mm=8, segment=human)
    before = s.labels.array.copy()
    s.segments.lock(human)
    result = np.zeros(s.volume.shape, np.uint8)
    result[20:40, 20:40, 20:40] = 1
    result[5:10, 5:10, 5:10] = 2
    events = []
    s.subscribe(events.append)
    step = s.apply_model_result(result, {1: "lesion", 2: "edema"}, model="unet@1.0")
    assert events[-1].kind == "commit" and events[-1].box == step.box
    lesion = s.segments["lesion"]
    assert lesion.origin == "model" and lesion.model == "unet@1.0"
    assert ((s.labels.array == lesion.value) == ((result == 1) & (before == 0))).all()
    np.testing.assert_array_equal(s.labels.array == human.value, before == human.value)
    s.undo()
    np.testing.assert_array_equal(s.labels.array, before)
    assert [x.name for x in s.segments] == ["human"]
    with pytest.raises(GeometryError):
        s.apply_model_result(result[:-1], ["lesion"], model="unet@1.0")


def test_model_context_segment_starts_hidden_and_keeps_the_users_choice(small_image):
    """A segment named in ``hidden`` (the brain mask of brain extraction) arrives hidden, in the
    same step; once the user shows it, the next run of the model leaves it shown."""
    s = Session.open(small_image)
    result = np.zeros(s.volume.shape, np.uint8)
    result[20:40, 20:40, 20:40] = 2
    result[25:30, 25:30, 25:30] = 1
    s.apply_model_result(result, {1: "lesion", 2: "brain"}, model="m@1", hidden={2})
    assert s.segments["lesion"].visible and not s.segments["brain"].visible
    assert (s.labels.array == s.segments["brain"].value).sum() == 20 ** 3 - 5 ** 3
    s.undo()
    assert "brain" not in s.segments and not s.labels.array.any()
    s.redo()
    assert not s.segments["brain"].visible
    s.segments.show("brain")
    s.apply_model_result(result, {1: "lesion", 2: "brain"}, model="m@1", hidden={2})
    assert s.segments["brain"].visible


def test_load_labels_checks_and_resamples_the_grid(small_image, tmp_path):
    s = Session.open(small_image)
    image = nib.load(small_image)
    labels = np.zeros(s.volume.shape, np.uint8)
    labels[10:30, 10:30, 10:30] = 3
    nib.save(nib.Nifti1Image(labels, image.affine), tmp_path / "same.nii.gz")
    s.load_labels(tmp_path / "same.nii.gz")
    np.testing.assert_array_equal(s.labels.array, labels)
    assert s.segments[3].name == "Segment 3"
    wrong = tmp_path / "wrong.nii.gz"
    nib.save(nib.Nifti1Image(labels[::2, ::2, ::2].copy(), image.affine @ np.diag([2, 2, 2, 1])), wrong)
    with pytest.raises(GeometryError, match="wrong.nii.gz"):
        s.load_labels(wrong)
    s.load_labels(wrong, resample=True)  # nearest neighbour back onto the 1x grid
    got = s.labels.array == 3
    assert got[10:30:2, 10:30:2, 10:30:2].all() and got.sum() == pytest.approx(20 ** 3, rel=0.25)


def test_preview_then_accept_and_notifications(small_image):
    s = Session.open(small_image)
    s.segments.add("lesion")
    events = []
    unsubscribe = s.subscribe(events.append)
    k_axis_centre = s.volume.center_ras
    s.apply("paint", at_ras=k_axis_centre - [0, 0, 10], radius_mm=9, mode="2d", view="k")
    s.apply("paint", at_ras=k_axis_centre + [0, 0, 10], radius_mm=6, mode="2d", view="k")
    before = s.labels.array.copy()
    preview = s.preview("interpolate", view="k")
    np.testing.assert_array_equal(s.labels.array, before)
    shown = preview.full_array(s.labels.array)
    assert (shown != before).sum() > 0
    s.accept_preview()
    np.testing.assert_array_equal(s.labels.array, shown)
    kinds = [e.kind for e in events]
    assert kinds.count("commit") == 3 and "stroke" in kinds and "preview" in kinds
    changed = np.argwhere(s.labels.array != before)
    lo, hi = events[-1].box
    assert (changed >= lo).all() and (changed < hi).all()
    s.preview("interpolate", view="k")
    s.apply("erase", at_ras=k_axis_centre, radius_mm=30)
    with pytest.raises(ToolError, match="changed since"):
        s.accept_preview()
    unsubscribe()


def test_clean_reopen_restores_after_undo(small_image, tmp_path):
    ws = tmp_path / "ws"
    s = Session.open(small_image, workspace=ws)
    s.segments.add("lesion")
    c = s.volume.center_ras
    s.apply("paint", at_ras=c, radius_mm=8)
    s.apply("paint", at_ras=c + [10, 0, 0], radius_mm=8)
    s.undo()
    state = s.labels.array.copy()
    s.close()
    assert Session.recoverable_steps(s.volume, ws) == 4
    again = Session.open(small_image, workspace=ws)
    np.testing.assert_array_equal(again.labels.array, state)
    again.redo()  # the redo stack survives too
    again.checkpoint()
    again.close()
    third = Session.open(small_image, workspace=ws)
    assert third.labels.array.sum() > state.sum()
    fresh = Session.open(small_image, workspace=ws, restore=False)
    assert not fresh.labels.array.any()


def test_erase_all_and_cancelled_stroke(small_image):
    s = Session.open(small_image)
    s.segments.add("a")
    s.segments.add("b")
    c = s.volume.center_ras
    s.apply("paint", at_ras=c, radius_mm=10, segment="a")
    s.apply("paint", at_ras=c + [8, 0, 0], radius_mm=10, segment="b")
    s.segments.lock("b")
    before = s.labels.array.copy()
    s.press("paint", c - [5, 0, 0], segment="a", radius_mm=20)
    s.drag(c)
    assert not np.array_equal(s.labels.array, before)
    s.cancel_stroke()  # Escape mid-drag: nothing committed, nothing left behind
    np.testing.assert_array_equal(s.labels.array, before)
    s.apply("erase", at_ras=c, radius_mm=40, segment="all")
    assert not (s.labels.array == 1).any()
    np.testing.assert_array_equal(s.labels.array == 2, before == 2)
