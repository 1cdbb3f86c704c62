"""AI click in a Session: prompts preview, accept is one journaled undo step, provenance counts.

The backend here is the deterministic grow-from-seeds baseline (``ai.interactive.baseline``) so
that the Session logic is tested apart from the learnt model (tests/ai/test_ai_interactive_model.py).
"""

import signal
import sys
from pathlib import Path

import numpy as np
import pytest
from prompt_blobs import blobs  # noqa: F401  (a fixture)

from neuroview import Session
from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.ai.interactive.simulate import dice
from neuroview.app.prompting import interaction_summary
from neuroview.core.errors import ToolError
from tests.durability import kill_when

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from prompt_worker import run_prompts  # noqa: E402


def test_click_previews_then_accept_is_one_undo_step(blobs):  # noqa: F811
    path, first, _ = blobs
    session = Session.open(path)
    lesion = session.segments.add("lesion")
    preview = session.prompt(lesion, point=session.volume.center_ras, model=GrowPromptModel())
    assert not session.labels.array.any()  # only a preview so far
    shown = preview.full_array(session.labels.array) == lesion.value
    assert dice(shown, first) > 0.75
    steps = len(session.history)
    session.accept_preview()
    assert len(session.history) == steps + 1
    assert dice(session.labels.array == lesion.value, first) > 0.75
    session.undo()
    assert not session.labels.array.any()
    with pytest.raises(ToolError):
        session.accept_preview()


def test_prompts_accumulate_and_discard_leaves_the_labels(blobs):  # noqa: F811
    path, first, second = blobs
    session = Session.open(path)
    lesion = session.segments.add("lesion")
    model = GrowPromptModel()
    session.prompt(lesion, point=(0, 0, 0), model=model)
    preview = session.prompt(lesion, point=(20, 0, 0), model=model)  # a second include click
    shown = preview.full_array(session.labels.array) == lesion.value
    assert dice(shown, first | second) > 0.75
    assert session.pending_preview.meta["prompts"] == {"point+": 2}
    session.discard_preview()
    assert session.pending_preview is None and not session.labels.array.any()
    # after a discard, the next prompt starts a new object
    preview = session.prompt(lesion, point=(20, 0, 0), model=model)
    assert dice(preview.full_array(session.labels.array) == lesion.value, second) > 0.75


def test_existing_mask_is_kept_outside_the_prompted_region(blobs):  # noqa: F811
    path, first, second = blobs
    session = Session.open(path)
    lesion = session.segments.add("lesion")
    session.labels.array[second] = lesion.value  # painted earlier (e.g. a model's proposal)
    session.prompt(lesion, point=(0, 0, 0), model=GrowPromptModel())
    session.accept_preview()
    assert dice(session.labels.array == lesion.value, first | second) > 0.75


def test_accepted_objects_survive_sigkill_with_their_prompt_counts(blobs, tmp_path):  # noqa: F811
    path = blobs[0]
    workspace = tmp_path / "ws"
    process = kill_when(HERE / "prompt_worker.py", [path, workspace],
                        lambda line: line.startswith("accepted 1"))
    assert process.returncode == -signal.SIGKILL
    restored = Session.open(path, workspace=workspace)
    reference = Session.open(path)
    reference.segments.add("lesion")
    list(run_prompts(reference))
    assert (reference.labels.array > 0).sum() > 500
    np.testing.assert_array_equal(restored.labels.array, reference.labels.array)
    summary = interaction_summary(restored.history.undo_steps)
    assert summary["objects"] == 2
    assert summary["prompts"] == {"point+": 2, "scribble+": 1, "point-": 1}
    made = restored.segments.get("lesion")   # the segment's source came back with the journal
    assert (made.origin, made.model, made.prompts) == ("interactive", "grow-from-seeds", summary["prompts"])
    restored.undo()  # the second object is one step
    reference.undo()
    np.testing.assert_array_equal(restored.labels.array, reference.labels.array)
    assert restored.segments.get("lesion").prompts == {"point+": 1, "scribble+": 1}


def test_prompts_and_time_reach_the_training_case_provenance(blobs, tmp_path, monkeypatch):  # noqa: F811
    import json

    from neuroview.app.case import Case
    from neuroview.dataset.layout import init_dataset

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    case = Case(Session.open(blobs[0]))
    session = case.session
    lesion = session.segments.add("lesion")
    model = GrowPromptModel()
    session.prompt(lesion, point=(0, 0, 0), model=model)
    session.prompt(lesion, box=((-6, -6, 0), (6, 6, 0)), plane="axial", model=model)
    session.accept_preview()
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(folder, annotator="a")
    stored = json.loads((folder / "provenance" / f"{record.case}.json").read_text())
    assert stored["interaction"]["objects"] == 1
    assert stored["interaction"]["prompts"] == {"point+": 1, "box+": 1}
    assert stored["interaction"]["prompt_count"] == 2 and stored["interaction"]["seconds"] >= 0


def test_a_lasso_on_a_slice_previews_the_object_it_encloses(blobs):  # noqa: F811
    path, first, second = blobs
    session = Session.open(path)
    lesion = session.segments.add("lesion")
    outline = [(7.5 * np.cos(t), 7.5 * np.sin(t), 0.0) for t in np.linspace(0, 2 * np.pi, 10, endpoint=False)]
    preview = session.prompt(lesion, lasso=outline, plane="axial", model=GrowPromptModel())
    shown = preview.full_array(session.labels.array) == lesion.value
    assert dice(shown, first) > 0.75 and not (shown & second).any()
    assert preview.meta["prompts"] == {"lasso+": 1}
    with pytest.raises(ToolError):
        session.prompt(lesion, lasso=outline, box=((0, 0, 0), (1, 1, 0)))


def test_accept_keeps_voxels_outside_the_roi_cube_and_other_segments(blobs):  # noqa: F811
    """On the oblique 1.2 x 1 x 2 mm grid the 1 mm ROI cube's box of voxels has faces the cube
    does not reach: the segment's voxels there were wiped on accept (1677 of them here)."""
    path, first, _ = blobs
    session = Session.open(path)
    lesion, other = session.segments.add("lesion"), session.segments.add("other")
    affine = session.volume.ijk_to_ras
    ijk = np.indices(first.shape).reshape(3, -1).T
    far = (np.linalg.norm(ijk @ affine[:3, :3].T + affine[:3, 3], axis=1) > 9).reshape(first.shape)
    half = np.random.default_rng(0).random(first.shape) < 0.5
    session.labels.array[far & half] = lesion.value
    session.labels.array[far & ~half] = other.value
    before = session.labels.array.copy()
    model = GrowPromptModel()
    session.prompt(lesion, point=(0, 0, 0), model=model)
    result = session.prompting.segmenter.run(session.prompting.prompts)  # the same answer, its cube
    roi = result.grid.to_ijk(ijk @ affine[:3, :3].T + affine[:3, 3])
    top = np.asarray(result.grid.shape) - 1
    in_cube = np.all((roi > -1e-3) & (roi < top + 1e-3), axis=1).reshape(first.shape)
    box = np.zeros(first.shape, bool)
    box[tuple(slice(a, b) for a, b in zip(*result.box))] = True
    assert (box & ~in_cube & (before == lesion.value)).sum() > 1000  # the case is there
    session.accept_preview()
    after = session.labels.array
    np.testing.assert_array_equal(after[~in_cube], before[~in_cube])
    np.testing.assert_array_equal(after == other.value, before == other.value)
    assert dice((after == lesion.value) & ~far, first) > 0.75


def test_an_object_leaves_another_lesion_of_its_segment_in_the_roi(blobs):  # noqa: F811
    """A 3 mm lesion of the segment 13 mm from the clicked sphere lies in the ROI cube: the
    answer, which is the clicked sphere alone, erased it (0 of its 44 voxels kept)."""
    path, first, _ = blobs
    session = Session.open(path)
    lesion = session.segments.add("lesion")
    affine = session.volume.ijk_to_ras
    ras = np.indices(first.shape).reshape(3, -1).T @ affine[:3, :3].T + affine[:3, 3]
    other = (np.linalg.norm(ras - [0, 13, 0], axis=1) <= 3).reshape(first.shape)
    session.labels.array[other] = lesion.value
    session.prompt(lesion, point=(0, 0, 0), model=GrowPromptModel())
    session.accept_preview()
    shown = session.labels.array == lesion.value
    assert shown[other].all()
    assert dice(shown & ~other, first) > 0.75
    session.prompt(lesion, point=(0, 13, 0), include=False, model=GrowPromptModel())
    session.accept_preview()  # an exclude click on it still takes away what the answer does
    clicked = (np.linalg.norm(ras - [0, 13, 0], axis=1) <= 1.5).reshape(first.shape)
    assert not (session.labels.array == lesion.value)[clicked].any()


@pytest.mark.parametrize("policy", ["background", "all"])
def test_accept_follows_the_overwrite_policy(blobs, policy):  # noqa: F811
    """Under 'background' another segment under the object stays (it was overwritten)."""
    path, first, _ = blobs
    session = Session.open(path)
    lesion, other = session.segments.add("lesion"), session.segments.add("other")
    half = first & (np.indices(first.shape)[0] > first.shape[0] // 2)
    session.labels.array[half] = other.value
    session.set_policy(policy)
    preview = session.prompt(lesion, point=(0, 0, 0), model=GrowPromptModel())
    shown = preview.full_array(session.labels.array)
    session.accept_preview()
    np.testing.assert_array_equal(session.labels.array, shown)  # the preview showed what is written
    assert (session.labels.array[half] == other.value).all() == (policy == "background")
    assert dice(session.labels.array > 0, first) > 0.75


def test_a_prompt_for_another_object_refuses_to_drop_the_one_in_progress(blobs, tmp_path):  # noqa: F811
    """``s.prompt`` for another segment (or on another time point) while an object had prompts
    started a new object and dropped the one in progress, prompts and answer, without a word."""
    import nibabel as nib

    path, first, second = blobs
    image = nib.load(path)
    frames = np.stack([np.asarray(image.dataobj)] * 2, axis=-1)
    nib.save(nib.Nifti1Image(frames, image.affine), tmp_path / "two_frames.nii.gz")
    session = Session.open(tmp_path / "two_frames.nii.gz")
    lesion, other = session.segments.add("lesion"), session.segments.add("other")
    model = GrowPromptModel()
    session.prompt(lesion, point=session.volume.center_ras, model=model)
    shown = session.pending_preview.full_array(session.labels.array)
    for call in (lambda: session.prompt(other, point=session.volume.center_ras + [20, 0, 0], model=model),
                 lambda: session.prompt_session(other)):
        with pytest.raises(ToolError) as raised:
            call()
        assert str(raised.value) == ("the AI click object of segment 'lesion' on time point 1 (1 prompt) is "
                                     "not accepted yet: call accept_preview() or discard_preview() first")
    session.frame = 1
    with pytest.raises(ToolError, match="'lesion' on time point 1 .* discard_preview"):
        session.prompt(lesion, point=session.volume.center_ras, model=model)
    session.frame = 0
    assert len(session.prompting.prompts) == 1   # the object in progress is all there
    assert np.array_equal(session.pending_preview.full_array(session.labels.array), shown)
    session.accept_preview()
    assert dice(session.labels.array == lesion.value, first) > 0.75
    preview = session.prompt(other, point=session.volume.center_ras + [20, 0, 0], model=model)
    assert dice(preview.full_array(session.labels.array) == other.value, second) > 0.6
    session.discard_preview()
    session.prompt(lesion, point=session.volume.center_ras, model=model)  # the same object goes on
    session.prompt(lesion, point=session.volume.center_ras + [3, 0, 0], model=model)
    assert len(session.prompting.prompts) == 2
    session.segments.remove(lesion)   # the label map changed: the object cannot be accepted any more,
    session.prompt(other, point=session.volume.center_ras + [20, 0, 0], model=model)   # so it goes
    assert session.prompting.value == other.value and len(session.prompting.prompts) == 1


def test_removing_its_segment_discards_the_object_in_progress(blobs):  # noqa: F811
    """The window dropped the object when its segment was removed; a script kept it (prompting
    set, the preview pending) until accept_preview refused it with 'the label map changed ...;
    preview again', which no preview could mend."""
    path, _, _ = blobs
    session = Session.open(path)
    lesion, other = session.segments.add("lesion"), session.segments.add("other")
    model = GrowPromptModel()
    session.prompt(lesion, point=session.volume.center_ras, model=model)
    session.prompt(lesion, point=session.volume.center_ras + [2, 0, 0], model=model)
    session.segments.remove(other)                     # another segment: the object stays
    assert session.prompting is not None and session.pending_preview is not None
    session.segments.remove(lesion)
    assert session.prompting is None and session.pending_preview is None
    line = "the AI click object of segment 'lesion' (2 prompts) was discarded with its segment"
    assert session.discarded_object == line
    with pytest.raises(ToolError) as refused:
        session.accept_preview()
    assert str(refused.value) == f"there is no preview to apply: {line}"
    assert not session.labels.array.any()
