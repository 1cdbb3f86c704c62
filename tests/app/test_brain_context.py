"""A model's brain segment is context under the lesions: erasing a lesion inside the brain mask
the model produced gives its voxels back to the brain (they became background, a hole in the
brain whose mL fell with each correction); outside the mask they become background. Painting or
erasing the brain itself by hand is kept. Undo, redo and the workspace journal agree."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from neuroview import Session
from tests.durability import fork_killed

NAMES = {1: "lesion", 2: "brain"}


def _case(shape):
    """A brain mask (an ellipsoid), a lesion inside it and one on its edge, half outside, and the
    label array the window makes of them (``ai.segment.with_brain_segment``)."""
    ijk = np.indices(shape).transpose(1, 2, 3, 0)
    centre = np.array(shape) // 2
    brain = (((ijk - centre) / [20, 24, 18]) ** 2).sum(-1) <= 1
    inner_at, edge_at = centre, centre + [20, 0, 0]
    inner = ((ijk - inner_at) ** 2).sum(-1) <= 9
    edge = ((ijk - edge_at) ** 2).sum(-1) <= 9
    labels = np.zeros(shape, np.uint8)
    labels[inner | edge] = 1
    labels[brain & (labels == 0)] = 2
    return brain, inner, edge, labels, inner_at, edge_at


def _ras(s, ijk):
    return (s.volume.ijk_to_ras @ np.r_[ijk, 1])[:3]


@pytest.fixture
def segmented(small_image, tmp_path):
    s = Session.open(small_image, workspace=tmp_path / "ws")
    case = _case(s.labels.shape)
    s.apply_model_result(case[3], NAMES, "m@1", hidden={2: case[0]})
    yield s, case
    s.close()


def _values(s):
    return s.segments["brain"].value, s.segments["lesion"].value


def test_erasing_lesions_gives_the_brain_back_inside_its_mask_only(segmented):
    s, (brain, inner, edge, _labels, inner_at, edge_at) = segmented
    b, lesion = _values(s)
    assert not s.segments["brain"].visible
    assert (s.labels.array == b).sum() == (brain & ~inner & ~edge).sum()
    s.apply("erase", at_ras=_ras(s, inner_at), radius_mm=15, segment="lesion")
    assert np.all(s.labels.array[inner] == b)                     # no hole in the brain
    s.apply("erase", at_ras=_ras(s, edge_at), radius_mm=15, segment="lesion")
    assert np.all(s.labels.array[edge & brain] == b)
    assert np.all(s.labels.array[edge & ~brain] == 0)             # outside the brain: background
    assert (edge & ~brain).sum() > 20 and (edge & brain).sum() > 20
    assert np.array_equal(s.labels.array == b, brain)             # the brain whole again
    assert s.voxel_counts() == {"lesion": 0, "brain": int(brain.sum())}
    assert not s.segments["brain"].drawn and s.segments["lesion"].drawn   # the brain was not drawn
    s.undo()
    assert np.all(s.labels.array[edge] == lesion) and np.all(s.labels.array[inner] == b)
    s.undo()
    assert np.all(s.labels.array[inner | edge] == lesion)
    assert s.voxel_counts()["brain"] == (brain & ~inner & ~edge).sum()
    s.redo()
    s.redo()
    assert np.array_equal(s.labels.array == b, brain) and not (s.labels.array == lesion).any()


def test_a_lesion_painted_in_the_brain_and_erased_leaves_no_hole(segmented):
    s, (brain, inner, edge, _labels, _inner_at, _edge_at) = segmented
    b, _lesion = _values(s)
    mine = s.segments.add("mine")
    spot = np.array(s.labels.shape) // 2 + [0, 12, 0]
    s.apply("paint", at_ras=_ras(s, spot), radius_mm=8, segment="mine")
    painted = s.labels.array == mine.value
    assert painted.sum() > 30 and np.all(brain[painted])
    assert (s.labels.array == b).sum() == (brain & ~inner & ~edge).sum() - painted.sum()
    s.apply("erase", at_ras=_ras(s, spot), radius_mm=8, segment="mine")
    assert np.all(s.labels.array[painted] == b)
    s.undo()
    assert np.array_equal(s.labels.array == mine.value, painted)
    s.redo()
    assert np.all(s.labels.array[painted] == b)


def test_erase_any_segment_clears_the_lesion_and_keeps_the_brain(segmented):
    s, (brain, inner, _edge, _labels, inner_at, _edge_at) = segmented
    b, _lesion = _values(s)
    s.apply("erase", at_ras=_ras(s, inner_at), radius_mm=15, segment="all")
    assert np.all(s.labels.array[inner] == b)
    assert np.array_equal(s.labels.array[brain] > 0, np.ones(brain.sum(), bool))


def test_rejecting_or_removing_a_lesion_gives_the_brain_back(segmented):
    s, (brain, inner, edge, _labels, inner_at, _edge_at) = segmented
    b, _lesion = _values(s)
    s.reject_lesion("lesion", tuple(int(n) for n in inner_at))
    assert np.all(s.labels.array[inner] == b)
    s.segments.remove("lesion")
    assert np.all(s.labels.array[edge & brain] == b) and np.all(s.labels.array[edge & ~brain] == 0)
    s.undo()
    s.undo()
    assert np.all(s.labels.array[inner | edge] == s.segments["lesion"].value)


def test_the_brain_erased_or_painted_by_hand_is_kept(segmented):
    s, (brain, inner, _edge, _labels, inner_at, _edge_at) = segmented
    b, lesion = _values(s)
    # the person trims the brain by hand beside the inner lesion, then paints and erases a
    # lesion across the trimmed part: what they erased of the brain stays background
    trim_at = np.array(inner_at) + [0, 0, 6]
    s.apply("erase", at_ras=_ras(s, trim_at), radius_mm=6, segment="brain")
    trimmed = brain & (s.labels.array == 0)
    assert trimmed.sum() > 10 and s.segments["brain"].drawn
    s.apply("paint", at_ras=_ras(s, trim_at), radius_mm=9, segment="lesion")
    s.apply("erase", at_ras=_ras(s, trim_at), radius_mm=9, segment="lesion")
    assert np.all(s.labels.array[trimmed] == 0)
    # ... and what they painted into it outside the model's mask is brain under a lesion too
    outside = np.array(s.labels.shape) // 2 + [0, 27, 0]
    assert not brain[tuple(outside)]
    s.apply("paint", at_ras=_ras(s, outside), radius_mm=5, segment="brain")
    grown = ~brain & (s.labels.array == b)
    assert grown.sum() > 5
    s.apply("paint", at_ras=_ras(s, outside), radius_mm=5, segment="lesion")
    s.apply("erase", at_ras=_ras(s, outside), radius_mm=5, segment="lesion")
    assert np.all(s.labels.array[grown] == b)
    # undone to before the trim, the brain's extent is the model's again
    for _ in range(6):
        s.undo()
    assert not s.segments["brain"].drawn
    s.apply("paint", at_ras=_ras(s, trim_at), radius_mm=9, segment="lesion")
    s.apply("erase", at_ras=_ras(s, trim_at), radius_mm=9, segment="lesion")
    assert np.all(s.labels.array[trimmed] == b)
    assert s.labels.array[tuple(inner_at)] == lesion


def test_a_deleted_brain_takes_nothing_back(segmented):
    s, (brain, inner, edge, _labels, inner_at, _edge_at) = segmented
    s.segments.remove("brain")
    assert not (s.labels.array[brain & ~inner & ~edge] > 0).any()
    s.apply("erase", at_ras=_ras(s, inner_at), radius_mm=15, segment="lesion")
    assert not s.labels.array[inner].any()
    s.undo()
    s.undo()                                                      # the brain back, with its mask
    s.apply("erase", at_ras=_ras(s, inner_at), radius_mm=15, segment="lesion")
    assert np.all(s.labels.array[inner] == s.segments["brain"].value)


TRIM_AT = np.array([33, 39, 31]) + [0, -14, 0]
"""Where the killed session trims the brain by hand (inside the mask, away from the lesions)."""


def _edit_and_die(image, workspace, records):
    """The model's result, a lesion erased and one painted, then SIGKILL (no close, no save)."""
    s = Session.open(image, workspace=workspace, journal_max_records=records)
    brain, _inner, _edge, labels, inner_at, _edge_at = _case(s.labels.shape)
    s.apply_model_result(labels, NAMES, "m@1", hidden={2: brain})
    s.apply("erase", at_ras=_ras(s, inner_at), radius_mm=15, segment="lesion")
    mine = s.segments.add("mine")
    s.apply("paint", at_ras=_ras(s, np.array(s.labels.shape) // 2 + [0, 12, 0]), radius_mm=8, segment=mine)
    s.apply("erase", at_ras=_ras(s, TRIM_AT), radius_mm=6, segment="brain")   # trimmed by hand
    np.save(os.path.join(workspace, "..", "expected.npy"), s.labels.array)
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("records", [None, 3], ids=["journal", "compacted"])
def test_a_killed_session_restores_the_brain_and_its_mask(small_image, tmp_path, records):
    workspace = tmp_path / "ws"
    code, err = fork_killed(_edit_and_die, small_image, workspace, records)
    assert code == -signal.SIGKILL, err
    s = Session.open(small_image, workspace=workspace)
    try:
        np.testing.assert_array_equal(s.labels.array, np.load(tmp_path / "expected.npy"))
        brain, _inner, edge, _labels, _inner_at, edge_at = _case(s.labels.shape)
        b = s.segments["brain"].value
        painted = s.labels.array == s.segments["mine"].value
        assert painted.sum() > 30
        # the restored session still knows where the brain lies under the lesions
        s.apply("erase", at_ras=_ras(s, edge_at), radius_mm=15, segment="lesion")
        s.apply("erase", at_ras=_ras(s, np.array(s.labels.shape) // 2 + [0, 12, 0]), radius_mm=8,
                segment="mine")
        trimmed = brain & (s.labels.array == 0)
        assert trimmed.sum() > 10 and s.segments["brain"].drawn
        assert np.array_equal(s.labels.array == b, brain & ~trimmed)
        assert np.all(s.labels.array[edge & ~brain] == 0)
        s.apply("paint", at_ras=_ras(s, TRIM_AT), radius_mm=9, segment="lesion")   # the trim is kept
        s.apply("erase", at_ras=_ras(s, TRIM_AT), radius_mm=9, segment="lesion")
        assert np.all(s.labels.array[trimmed] == 0)
        s.undo()
        s.undo()
        s.undo()
        assert np.array_equal(s.labels.array == s.segments["mine"].value, painted)
    finally:
        s.close()


def test_saved_labels_carry_no_extent_and_follow_up_reads_the_brain_as_background(
        segmented, small_image, tmp_path):
    import json

    from neuroview.app.followup import load_study

    s, (_brain, inner, edge, _labels, _inner_at, _edge_at) = segmented
    out = tmp_path / "labels.nii.gz"
    s.save_labels(out)
    sidecar = json.loads((tmp_path / "labels.segments.json").read_text())
    assert [row["name"] for row in sidecar] == ["lesion", "brain"]
    assert not any("extent" in row for row in sidecar)
    _volume, study = load_study(small_image, out, extract=False)
    assert np.array_equal(study.lesions > 0, inner | edge)       # not one lesion of the brain's size


def test_the_training_set_stores_the_brain_as_background_after_corrections(small_image, tmp_path,
                                                                             monkeypatch):
    import json

    import nibabel as nib

    from neuroview.app.case import Case
    from neuroview.dataset.layout import init_dataset

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    case = Case(Session.open(small_image))
    s = case.session
    brain, inner, edge, labels, inner_at, _edge_at = _case(s.labels.shape)
    case.apply_model_result(labels, NAMES, "m@1", hidden={2: brain})
    s.apply("erase", at_ras=_ras(s, inner_at), radius_mm=15, segment="lesion")
    assert np.all(s.labels.array[inner] == s.segments["brain"].value)
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(folder, annotator="a")
    stored = np.asarray(nib.load(folder / "labelsTr" / f"{record.case}.nii.gz").dataobj)
    assert np.array_equal(stored == 1, edge) and set(np.unique(stored)) == {0, 1}
    provenance = json.loads((folder / "provenance" / f"{record.case}.json").read_text())
    assert [s["name"] for s in provenance["segments"]] == ["lesion"]
    assert "extent" not in json.dumps(provenance)


def test_a_lesion_painted_over_the_brain_is_no_correction_of_the_brain(small_image):
    """A new result of the model asks before replacing segments corrected by hand: the brain
    counted as corrected when a lesion was painted over it (its voxels differed), not when the
    person had changed the brain itself."""
    from neuroview.app.case import Case

    case = Case(Session.open(small_image))
    s = case.session
    brain, _inner, _edge, labels, inner_at, _edge_at = _case(s.labels.shape)
    case.apply_model_result(labels, NAMES, "m@1", hidden={2: brain})
    s.apply("paint", at_ras=_ras(s, np.array(inner_at) + [0, 8, 0]), radius_mm=6, segment="lesion")
    assert case.corrected_model_segments("m@1") == ["lesion"]
    # nor does its From say so (it read "m@1 + drawn" beside the lesion's, session 35's walk)
    assert [s.segments[n].drawn for n in ("lesion", "brain")] == [True, False]
    s.apply("erase", at_ras=_ras(s, np.array(inner_at) + [0, -10, 0]), radius_mm=6, segment="brain")
    assert case.corrected_model_segments("m@1") == ["lesion", "brain"]
    assert s.segments["brain"].drawn


@pytest.mark.parametrize("policy", ["background", "visible"])
def test_painting_over_empty_voxels_only_paints_over_the_hidden_brain(segmented, policy):
    """Overwrite 'empty voxels only' (or 'visible segments only') keeps other lesions whole; the
    hidden brain under them is not a segment to keep: nothing could be painted inside it."""
    s, (brain, inner, _edge, _labels, inner_at, _edge_at) = segmented
    b, lesion = _values(s)
    s.set_policy(policy)
    mine = s.segments.add("mine")
    s.apply("paint", at_ras=_ras(s, inner_at), radius_mm=15, segment="mine")
    painted = s.labels.array == mine.value
    assert painted.sum() > 100 and np.all(brain[painted])
    assert np.all(s.labels.array[inner] == lesion) == (policy == "background")   # kept, or visible
    s.apply("erase", at_ras=_ras(s, inner_at), radius_mm=15, segment="mine")
    assert np.all(s.labels.array[painted] == b)


@pytest.mark.parametrize("locked", [False, True])
def test_an_ai_click_preview_shows_the_brain_given_back_as_enter_writes_it(segmented, locked):
    """An exclude click on a lesion inside the brain: the preview shows the voxels it takes as
    brain, as Enter writes them (the preview showed them as background, a hole in the brain when
    its segment is shown, and Enter then wrote brain: 120 voxels apart on a test image). With the
    brain locked too: its preview showed 0 there until session 35, and Enter wrote brain."""
    s, (brain, inner, _edge, _labels, inner_at, _edge_at) = segmented
    b, lesion = _values(s)
    if locked:
        s.segments.lock("brain")
    preview = s.prompt("lesion", point=_ras(s, inner_at), include=False)
    shown = preview.full_array(s.labels.array).copy()
    taken = inner & (shown != lesion)
    assert taken.sum() > 10
    assert np.all(shown[taken] == b)
    s.accept_preview()
    assert np.array_equal(shown, s.labels.array)
