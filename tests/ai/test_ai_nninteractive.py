"""nnInteractive weights folders: ``neuroview models add``, safe loading, and neuroview's backend
against nnInteractive's own ``nnInteractiveInferenceSession`` with the same random weights.

The reference session is loaded the way nnInteractive loads it (``initialize_from_trained_model_folder``,
its own unpickling and trainer lookup) and given voxel prompts; neuroview loads the same folder
with its restricted loader and gets RAS prompts on an anisotropic, flipped grid. Same masks, voxel
for voxel, after every prompt. The weights are random (nnInteractive's real ones cannot be
downloaded here); see ``nninteractive_weights.py`` for how they are made.
"""

from __future__ import annotations

import contextlib
import filecmp
import importlib.util
import io
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("nnunetv2")
if importlib.util.find_spec("nnInteractive") is None:
    # found, not imported: its session module takes 3 s of torch._dynamo and nnU-Net's trainer to
    # import, in each pytest worker that collects this file (the reference fixture imports it)
    pytest.skip("nnInteractive is not installed", allow_module_level=True)

from nninteractive_weights import make_weights_folder  # noqa: E402

from neuroview.ai.folders import is_nninteractive_folder, is_nnunet_results  # noqa: E402
from neuroview.ai.interactive.local import held_out  # noqa: E402
from neuroview.ai.interactive.nninteractive import load_nninteractive  # noqa: E402
from neuroview.ai.interactive.prompts import (  # noqa: E402
    BoxPrompt,
    LassoPrompt,
    PointPrompt,
    PromptSet,
    ScribblePrompt,
)
from neuroview.ai.package import load_model  # noqa: E402
from neuroview.ai.registry import Registry  # noqa: E402
from neuroview.core.errors import ModelError  # noqa: E402

SHAPE = (32, 36, 28)
PATCH = (64, 64, 64)  # larger than the image: the patch's faces lie in zero padding
AFFINE = np.array([[-1.2, 0, 0, 30.0], [0, -1.0, 0, 12.0], [0, 0, 2.0, -20.0], [0, 0, 0, 1]])


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return make_weights_folder(tmp_path_factory.mktemp("nni"), seed=0, patch_size=PATCH)


@pytest.fixture(scope="module")
def image():
    rng = np.random.default_rng(0)
    ijk = np.indices(SHAPE)
    ball = ((ijk[0] - 16) ** 2 + (ijk[1] - 18) ** 2 + (ijk[2] - 14) ** 2) < 36
    return (100 + 200 * ball + rng.normal(0, 10, SHAPE)).astype(np.float32)


def ras(ijk) -> tuple:
    return tuple(AFFINE[:3, :3] @ np.asarray(ijk, float) + AFFINE[:3, 3])


def reference_session(folder, image):
    """nnInteractive's own session, loaded by nnInteractive from the folder."""
    from nnInteractive.inference.inference_session import nnInteractiveInferenceSession

    target = np.zeros(SHAPE, np.uint8)
    with contextlib.redirect_stdout(io.StringIO()):
        session = nnInteractiveInferenceSession(device=torch.device("cpu"), torch_n_threads=1)
        session.initialize_from_trained_model_folder(str(folder))
        session.set_image(image[None])
        session.set_target_buffer(target)
    return session, target


def _quiet(call, *args, **kwargs):
    with contextlib.redirect_stdout(io.StringIO()):
        return call(*args, **kwargs)


def _paste(result, mask=None) -> np.ndarray:
    mask = np.zeros(SHAPE, bool) if mask is None else mask.copy()
    box = tuple(slice(a, a + n) for a, n in zip(result.lo, result.probability.shape))
    mask[box] = result.mask()
    return mask


def test_weights_folder_is_recognised_and_added_with_a_card(folder, tmp_path):
    assert is_nninteractive_folder(folder) and not is_nnunet_results(folder)
    entry = Registry(home=tmp_path).add(folder)
    card = entry.card
    assert card.format == "nninteractive"
    assert card.training["task"] == "interactive" and card.training["backend"] == "nninteractive"
    assert card.hyperparameters["kind"] == "promptable" and card.hyperparameters["fold"] == "0"
    assert card.license == "random weights for tests"
    assert entry.path.parent == tmp_path / "models" and entry.path.name == card.ref
    for name in ("plans.json", "dataset.json", "inference_session_class.json", "LICENSE",
                 "fold_0/checkpoint_final.pth"):
        assert filecmp.cmp(folder / name, entry.path / name, shallow=False), name
    # the copy loads again (from its card) and is listed, but not among the segmenters
    loaded = load_model(entry.path)
    assert loaded.kind == "nninteractive" and loaded.card.ref == card.ref
    assert [e.ref for e in Registry(home=tmp_path).entries() if not e.bundled] == [card.ref]
    with pytest.raises(ModelError, match="already installed"):
        Registry(home=tmp_path).add(folder)


def test_point_box_and_exclude_give_nninteractive_sessions_masks(folder, image):
    session, target = reference_session(folder, image)
    model = load_nninteractive(folder)
    segmenter = model.segmenter_for(image, AFFINE)
    point, box = PointPrompt(ras((16, 18, 14))), BoxPrompt(ras((10, 12, 14)), ras((22, 24, 14)), "axial")
    exclude = PointPrompt(ras((12, 20, 14)), include=False)
    assert segmenter.box_bbox(box) == [[10, 23], [12, 25], [14, 15]]

    expected = []
    _quiet(session.add_point_interaction, (16, 18, 14), True)
    expected.append(target.astype(bool))
    _quiet(session.add_bbox_interaction, [[10, 23], [12, 25], [14, 15]], True)
    expected.append(target.astype(bool))
    _quiet(session.add_point_interaction, (12, 20, 14), False)
    expected.append(target.astype(bool))
    assert 100 < expected[0].sum() < image.size / 2  # a mask, neither empty nor everything
    assert (expected[0] != expected[1]).any() and (expected[1] != expected[2]).any()

    # prompt by prompt, each answer the previous mask of the next (as the window does)
    mask = None
    for count, want in enumerate(expected, start=1):
        result = segmenter.run(PromptSet([point, box, exclude][:count]), mask)
        assert result.rounds == 1  # only the new prompt went to the session
        mask = _paste(result, mask)
        np.testing.assert_array_equal(mask, want)
    # an answer never applied (dropped as stale): the next prompt still only adds itself
    dropped = load_nninteractive(folder).segmenter_for(image, AFFINE)
    dropped.run(PromptSet([point]))
    result = dropped.run(PromptSet([point, box]), None)
    assert result.rounds == 1
    np.testing.assert_array_equal(_paste(result), expected[1])
    # all at once, in a fresh session: the same answer
    fresh = load_nninteractive(folder).segmenter_for(image, AFFINE)
    np.testing.assert_array_equal(_paste(fresh.run(PromptSet([point, box, exclude]))), expected[2])


def test_another_thread_keeps_its_output_while_nninteractive_runs(folder, image, capsys):
    """nnInteractive prints at every step; neuroview keeps that off the terminal without swapping
    ``sys.stdout`` for the whole process (which swallowed what other threads printed meanwhile)."""
    segmenter = load_nninteractive(folder).segmenter_for(image, AFFINE)
    capsys.readouterr()
    stop, printed = threading.Event(), []

    def chatter():
        while not stop.is_set():
            print(f"other thread {len(printed)}")
            printed.append(len(printed))
            time.sleep(0.0005)

    thread = threading.Thread(target=chatter)
    thread.start()
    try:
        for _ in range(3):
            segmenter.run(PromptSet([PointPrompt(ras((16, 18, 14)))]))
    finally:
        stop.set()
        thread.join()
    out = capsys.readouterr().out.splitlines()
    assert len(printed) > 10
    assert out == [f"other thread {n}" for n in printed]  # all of them, and nothing of nnInteractive


def test_the_comparison_sees_a_one_voxel_shift(folder, image):
    """The agreement above is not vacuous: a click one voxel off gives another mask."""
    session, target = reference_session(folder, image)
    _quiet(session.add_point_interaction, (16, 18, 14), True)
    shifted = load_nninteractive(folder).segmenter_for(image, AFFINE)
    mask = _paste(shifted.run(PromptSet([PointPrompt(ras((17, 18, 14)))])))
    assert (mask != target.astype(bool)).any()


def test_a_scribble_on_a_gantry_tilted_grid_is_as_wide_in_mm_everywhere(folder, image):
    """On a grid whose slices are sheared 25 degrees (1.2 x 1 x 2 mm), a 3 mm stroke drawn
    across the slices takes the voxels whose world centres lie within 1.5 mm of it: the
    distances are built here from the voxel centres' RAS positions, not from index steps times
    voxel sizes (which count a step along j and k together too long or too short)."""
    tilt = np.radians(25)
    affine = AFFINE.copy()
    affine[:3, 2] = (0.0, 2.0 * np.sin(tilt), 2.0 * np.cos(tilt))
    segmenter = load_nninteractive(folder).segmenter_for(image, affine)

    def at(ijk):
        return tuple(affine[:3, :3] @ np.asarray(ijk, float) + affine[:3, 3])

    scribble = ScribblePrompt((at((16, 8, 6)), at((16, 26, 20))), include=True, width_mm=3.0)
    mask, bbox = segmenter.scribble_mask(scribble)
    full = np.zeros(SHAPE, bool)
    full[tuple(slice(a, b) for a, b in bbox)] = mask > 0
    centres = np.indices(SHAPE).reshape(3, -1).T @ affine[:3, :3].T + affine[:3, 3]
    path = scribble.points_ras(step_mm=0.5)                    # the stroke as the segmenter samples it
    nearest = np.min([np.linalg.norm(centres - p, axis=1) for p in path], axis=0)
    expected = (nearest <= 1.5 + 1e-6).reshape(SHAPE)
    assert expected.sum() > 50
    np.testing.assert_array_equal(full, expected)


def test_previous_mask_scribble_and_lasso_as_nninteractive(folder, image):
    previous = np.zeros(SHAPE, bool)
    previous[13:19, 15:21, 12:16] = True
    session, target = reference_session(folder, image)
    _quiet(session.add_initial_seg_interaction, previous.astype(np.uint8))
    # the scribble drawn independently: a thin stroke along i = 12..20 at j = 14, k = 14
    stroke = np.zeros(SHAPE, np.uint8)
    stroke[12:21, 14, 14] = 1
    _quiet(session.add_scribble_interaction, stroke, True)
    after_scribble = target.astype(bool)
    assert (after_scribble != previous).any()  # the scribble changed the object
    segmenter = load_nninteractive(folder).segmenter_for(image, AFFINE)
    scribble = ScribblePrompt((ras((12, 14, 14)), ras((20, 14, 14))), include=True, width_mm=0.5)
    mask, bbox = segmenter.scribble_mask(scribble)
    full = np.zeros(SHAPE, np.uint8)
    full[tuple(slice(a, b) for a, b in bbox)] = mask
    np.testing.assert_array_equal(full, stroke)
    result = segmenter.run(PromptSet([scribble]), previous)
    np.testing.assert_array_equal(_paste(result, previous), after_scribble)

    lasso = LassoPrompt((ras((10, 10, 14)), ras((22, 10, 14)), ras((22, 22, 14)), ras((10, 22, 14))),
                        "axial", include=False)
    region, bbox = segmenter.lasso_mask(lasso)
    full = np.zeros(SHAPE, bool)
    full[tuple(slice(a, b) for a, b in bbox)] = region > 0
    assert full[11:22, 11:22, 14].all() and full.sum() <= 13 * 13 and not full[..., 13].any()
    _quiet(session.add_lasso_interaction, full.astype(np.uint8), False)
    assert (target.astype(bool) != after_scribble).any()
    result = segmenter.run(PromptSet([scribble, lasso]), after_scribble)
    assert result.rounds == 1
    np.testing.assert_array_equal(_paste(result, after_scribble), target.astype(bool))


class _Payload:
    """Unpickling this runs ``open(marker, "w")``: what a malicious checkpoint would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_checkpoint_with_a_code_payload_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "payload-ran"
    bad = make_weights_folder(tmp_path / "bad", patch_size=PATCH,
                              checkpoint_extra={"extra": _Payload(marker)})
    assert not marker.exists()
    registry = Registry(home=tmp_path / "home")
    with pytest.raises(ModelError) as raised:
        registry.add(bad)
    message = str(raised.value)
    assert "checkpoint_final.pth" in message and "Python objects" in message
    assert len(message.splitlines()) == 1
    assert not marker.exists()  # the payload never ran
    assert not [e for e in registry.entries() if not e.bundled]
    assert not (tmp_path / "home" / "models").exists() or \
        not any((tmp_path / "home" / "models").iterdir())


def test_a_folder_name_in_the_plans_cannot_leave_the_registry(tmp_path):
    import json

    folder = make_weights_folder(tmp_path / "src", patch_size=PATCH)
    plans = json.loads((folder / "plans.json").read_text())
    plans["dataset_name"] = "../../outside"
    (folder / "plans.json").write_text(json.dumps(plans))
    entry = Registry(home=tmp_path / "home").add(folder)
    assert entry.path.parent == tmp_path / "home" / "models"
    assert entry.card.version == "outside-3d_fullres_ps192_bs24-fold0"
    assert not (tmp_path / "outside").exists()


def test_a_license_symlinked_out_of_the_folder_is_not_copied_in(tmp_path):
    """``models add`` copied the folder's files through symlinks to wherever they pointed (here
    another user's file as LICENSE); now refused, and nothing is left in the registry."""
    folder = make_weights_folder(tmp_path / "src", patch_size=PATCH)
    theirs = tmp_path / "theirs.txt"
    theirs.write_text("another user's private notes")
    (folder / "LICENSE").unlink(missing_ok=True)
    (folder / "LICENSE").symlink_to(theirs)
    registry = Registry(home=tmp_path / "home")
    with pytest.raises(ModelError, match=r"file 'LICENSE' points outside"):
        registry.add(folder)
    assert not any((tmp_path / "home" / "models").iterdir())


def test_dataset_json_labels_of_the_wrong_shape_are_one_line(tmp_path):
    """labels of true or a number were internal AttributeErrors inside nnU-Net's LabelManager
    (found by bench/folder_fuzz.py), as in nnU-Net folders."""
    import json

    folder = make_weights_folder(tmp_path / "src", patch_size=PATCH)
    dataset = json.loads((folder / "dataset.json").read_text())
    for labels in (True, -(2 ** 63), None):
        (folder / "dataset.json").write_text(json.dumps({**dataset, "labels": labels}))
        with pytest.raises(ModelError) as raised:
            Registry(home=tmp_path / "home").add(folder)
        assert str(raised.value) == (f"{folder / 'dataset.json'}: dataset.json's labels must map "
                                     'label names to integers (e.g. {"background": 0, "lesion": 1})')


def test_without_the_nninteractive_package_one_line_names_the_folder(folder, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nnInteractive.inference.inference_session", None)
    with pytest.raises(ModelError) as raised:
        Registry(home=tmp_path).add(folder)
    message = str(raised.value)
    assert str(folder) in message and "nninteractive" in message and len(message.splitlines()) == 1
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_session_prompts_go_to_the_registry_model_chosen_from_python(folder, image, tmp_path):
    """The README's Python route: ``s.prompt(..., model=load_promptable("nninteractive"))``."""
    import nibabel as nib

    from neuroview import Session
    from neuroview.app.prompting import load_promptable

    Registry().add(folder)  # the test's own NEUROVIEW_HOME
    path = tmp_path / "ball.nii.gz"
    nib.save(nib.Nifti1Image(image, AFFINE), path)
    s = Session.open(path)
    volume = s.volume
    lesion = s.segments.add("lesion")
    model = load_promptable("nninteractive")

    def at(ijk):
        return tuple(volume.ijk_to_ras[:3, :3] @ np.asarray(ijk, float) + volume.ijk_to_ras[:3, 3])

    s.prompt(lesion, point=at((16, 18, 14)), model=model)
    preview = s.prompt(lesion, point=at((12, 20, 14)), include=False, model=model)
    session, target = reference_session(folder, np.asarray(volume.frame(0)))
    _quiet(session.add_point_interaction, (16, 18, 14), True)
    _quiet(session.add_point_interaction, (12, 20, 14), False)
    # nnInteractive's own answer, 0 under the exclude click (as the bundled network's answer is)
    under = held_out(PromptSet([PointPrompt(at((12, 20, 14)), include=False)]), (0, 0, 0), SHAPE, AFFINE)
    assert (target.astype(bool) & under).sum() > 5   # the random weights marked it: the rule acts
    expected = target.astype(bool) & ~under
    np.testing.assert_array_equal(preview.full_array(s.labels.array) == lesion.value, expected)
    steps = len(s.history)
    s.accept_preview()
    assert len(s.history) == steps + 1
    np.testing.assert_array_equal(s.labels.array == lesion.value, expected)


def test_kept_out_answers_go_on_one_prompt_at_a_time(folder, image):
    """With ``keep_out`` (the AI click tool's), the answer is 0 under exclude clicks (nnInteractive's
    answer was kept as it came, 1 under an exclude click where its network said so), and the
    next prompt still only adds itself to nnInteractive's session, as without it."""
    point, exclude = PointPrompt(ras((16, 18, 14))), PointPrompt(ras((12, 20, 14)), include=False)
    more = PointPrompt(ras((19, 16, 14)))
    session, target = reference_session(folder, image)
    segmenter = load_nninteractive(folder).segmenter_for(image, AFFINE)
    mask = None
    for count, (prompt, voxel) in enumerate([(point, (16, 18, 14)), (exclude, (12, 20, 14)),
                                             (more, (19, 16, 14))], start=1):
        _quiet(session.add_point_interaction, voxel, prompt.include)
        prompts = PromptSet([point, exclude, more][:count])
        result = segmenter.run(prompts, mask, keep_out=True)
        assert result.rounds == 1
        mask = _paste(result, mask)
        under = held_out(prompts, (0, 0, 0), SHAPE, AFFINE)
        assert (target.astype(bool) & under).any() == (count > 1)   # nnInteractive's own: 1 there
        np.testing.assert_array_equal(mask, target.astype(bool) & ~under)


def test_a_first_box_on_a_proposal_only_adds_and_the_session_goes_on_from_it(folder, image):
    """nnInteractive's answer to a box drawn as the first prompt on a segment that holds a lesion
    (a model's proposal) cut it; the AI click tool's merge keeps every voxel the segment held and
    adds only within the box, and nnInteractive's session is told so: the next click is one
    prediction from that mask (before, the session restarted from it and replayed the box)."""
    from neuroview import Session
    from neuroview.core.volume import Volume

    s = Session(Volume(image, AFFINE))
    lesion = s.segments.add("lesion")
    ijk = np.indices(SHAPE)
    proposal = ((ijk[0] - 16) ** 2 + (ijk[1] - 18) ** 2 + (ijk[2] - 14) ** 2) < 36
    s.labels.array[proposal] = lesion.value
    model = load_nninteractive(folder)
    box = BoxPrompt(ras((10, 8, 14)), ras((22, 20, 14)), "axial")
    raw = model.segmenter_for(image, AFFINE).run(PromptSet([box]), proposal)
    assert (proposal & ~_paste(raw)).sum() > 100    # nnInteractive's own answer cuts 179 of its 895
    shown = s.prompt(lesion, box=(box.corner_a, box.corner_b), plane="axial", model=model)\
        .full_array(s.labels.array) == lesion.value
    assert not (proposal & ~shown).any()
    inside = np.zeros(SHAPE, bool)
    inside[9:24, 7:22, :] = True                      # the box's voxels and one of slack
    assert not (shown & ~proposal & ~inside).any()
    segmenter = s.prompting.segmenter
    channel = segmenter.session._get_prev_seg_channel()
    np.testing.assert_array_equal(np.asarray(segmenter.session.interactions[channel]) > 0.5, shown)
    runs, run = [], segmenter.run
    segmenter.run = lambda *args, **kwargs: runs.append(run(*args, **kwargs)) or runs[-1]
    s.prompt(lesion, point=ras((16, 24, 14)), model=model)
    assert [result.rounds for result in runs] == [1]   # the click alone (2: the box replayed)


def test_a_cancel_between_prompts_stops_the_run_and_the_session_goes_on(folder, image):
    """A run cancelled after its first prompt's prediction (Esc, or the window's close, while the
    session replays three prompts) raises ``Cancelled`` before the next one's; the prompt given
    stays in the session, as a stale answer's does, and the next run adds the others to it: the
    answer of a fresh session given all three."""
    from neuroview.core.errors import Cancelled
    from neuroview.core.jobs import CancelToken

    point, box = PointPrompt(ras((16, 18, 14))), BoxPrompt(ras((10, 12, 14)), ras((22, 24, 14)), "axial")
    prompts = PromptSet([point, box, PointPrompt(ras((12, 20, 14)), include=False)])
    segmenter = load_nninteractive(folder).segmenter_for(image, AFFINE)
    token, add = CancelToken(), segmenter._add

    def add_then_cancel(prompt):
        written = add(prompt)
        token.cancel()
        return written

    segmenter._add = add_then_cancel
    with pytest.raises(Cancelled):
        segmenter.run(prompts, None, cancel=token)
    assert segmenter.applied == [point]
    segmenter._add = add
    result = segmenter.run(prompts, None)
    assert result.rounds == 2
    fresh = load_nninteractive(folder).segmenter_for(image, AFFINE)
    np.testing.assert_array_equal(_paste(result), _paste(fresh.run(prompts)))


def test_a_cancel_within_a_prediction_stops_at_the_next_layer_and_the_next_run_starts_again(folder, image):
    """Esc while nnInteractive's network runs for the second prompt: the run ends at the
    network's next layer, not after its whole pass (and the autozoom's further passes); the
    session, which holds that prompt half-given, starts again at the next run: its answer is a
    fresh session's."""
    from neuroview.core.errors import Cancelled
    from neuroview.core.jobs import CancelToken

    point, box = PointPrompt(ras((16, 18, 14))), BoxPrompt(ras((10, 12, 14)), ras((22, 24, 14)), "axial")
    model = load_nninteractive(folder)
    segmenter = model.segmenter_for(image, AFFINE)
    segmenter.run(PromptSet([point]))
    layers = [m for m in model.network.modules() if next(m.children(), None) is None]
    token, ran = CancelToken(), []

    def esc_in_the_first_layer(_module, _inputs) -> None:   # after the layer's look at the token
        ran.append(1)
        token.cancel()

    for layer in layers:
        layer.register_forward_pre_hook(esc_in_the_first_layer)
    with pytest.raises(Cancelled):
        segmenter.run(PromptSet([point, box]), None, cancel=token)
    assert len(ran) == 1 < len(layers)
    for layer in layers:
        layer._forward_pre_hooks.popitem()
    result = segmenter.run(PromptSet([point, box]), None)
    assert result.rounds == 2   # both prompts given again
    fresh = load_nninteractive(folder).segmenter_for(image, AFFINE)
    np.testing.assert_array_equal(_paste(result), _paste(fresh.run(PromptSet([point, box]))))
