"""A card's declared preprocessing (brain extraction) is run by every inference path: the
``segment`` command, AI > Segment's worker function and the flip probabilities behind uncertainty
and ``dataset rank``; nothing is reported outside the brain mask.

The model here says "lesion" everywhere (zero weights, biased last layer), so what survives is
exactly what preprocessing allows; the head is the MNI152 brain in a synthetic skull at 2 mm.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("deepbet")

from preprocess_models import everywhere_model  # noqa: E402

from neuroview.ai import brain, heads  # noqa: E402
from neuroview.ai.api import ModelCard  # noqa: E402
from neuroview.core.errors import ModelError  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.paths import resources_dir  # noqa: E402

STEP = [{"step": "brain_extraction", "margin_mm": 3}]


@pytest.fixture(scope="module")
def head2mm():
    head = heads.synthetic_head("t1", skull=True)
    affine = head.ijk_to_ras.copy()
    affine[:3, :3] *= 2
    affine[:3, 3] += head.ijk_to_ras[:3, :3] @ np.full(3, 0.5)
    image = head.image[:-1:2, :-1:2, :-1:2]
    shape = image.shape
    blocks = head.image[: 2 * shape[0], : 2 * shape[1], : 2 * shape[2]]
    image = blocks.reshape(shape[0], 2, shape[1], 2, shape[2], 2).mean(axis=(1, 3, 5))
    reference = head.brain[: 2 * shape[0], : 2 * shape[1], : 2 * shape[2]]
    reference = reference.reshape(shape[0], 2, shape[1], 2, shape[2], 2).mean(axis=(1, 3, 5)) > 0.5
    return Volume(image.astype(np.float32), affine), reference


def _extracted(volume):
    """The brain mask inference used (remembered for the last image, so no second run)."""
    from neuroview.ai.preprocess import cached_brain_mask

    return cached_brain_mask(volume.array, volume.ijk_to_ras)


def test_card_field_is_checked_and_kept():
    from tests.ai.model_cards import make_card

    card = make_card(preprocessing=STEP)
    again = ModelCard.from_json(card.to_json())
    assert again.preprocessing == STEP
    data = json.loads(card.to_json())
    data["preprocessing"] = [{"step": "skull_magic"}]
    with pytest.raises(ModelError, match="skull_magic"):
        ModelCard.from_dict(data, "card.json")
    data["preprocessing"] = [{"step": "brain_extraction", "margin_mm": 500}]
    with pytest.raises(ModelError, match="margin_mm"):
        ModelCard.from_dict(data, "card.json")
    assert make_card().preprocessing == []


def test_bundled_card_declares_brain_extraction():
    from neuroview.ai.package import read_card

    card = read_card(resources_dir() / "models" / "lesionseg")
    assert [step["step"] for step in card.preprocessing] == ["brain_extraction"]


def test_segment_command_reports_nothing_outside_the_brain(tmp_path, head2mm):
    from neuroview.cli.main import main
    from neuroview.io.nifti import load_nifti, save_nifti

    volume, reference = head2mm
    source = tmp_path / "head.nii.gz"
    save_nifti(volume.array, volume.ijk_to_ras, source)
    for name, steps in (("with", STEP), ("without", [])):
        package = everywhere_model(tmp_path / name, steps)
        assert main(["segment", str(source), "-o", str(tmp_path / f"{name}.nii.gz"),
                     "--model", str(package), "--device", "cpu"]) == 0
    with_step = load_nifti(tmp_path / "with.nii.gz").array > 0
    without = load_nifti(tmp_path / "without.nii.gz").array > 0
    assert without.all()                      # the model alone: the whole head, scalp and all
    allowed = brain.dilate_mm(_extracted(volume), volume.ijk_to_ras, 3.0)
    assert with_step.any() and not (with_step & ~allowed).any()
    far = ~brain.dilate_mm(reference, volume.ijk_to_ras, 3.0 + 2.0)   # margin + one voxel
    assert (with_step & far).sum() < 0.01 * with_step.sum()   # deepbet's mask vs the template's
    assert (with_step & reference).sum() >= 0.97 * reference.sum()


def test_gui_worker_adds_a_brain_segment_with_its_volume(tmp_path, head2mm):
    """What AI > Segment runs in its worker: lesions limited to the brain, plus a 'brain' segment."""
    from neuroview.ai.segment import segment_volume

    volume, reference = head2mm
    package = everywhere_model(tmp_path, STEP)
    reports = []
    labels, segments, model, device = segment_volume(
        volume, str(package), "cpu", progress=lambda done, total, text: reports.append((total, text)))
    names = {value: name for value, name, _c in segments}
    assert names == {1: "lesion", 2: "brain"}
    # the stages before the first patch are named (total 0: a busy bar in the window)
    assert reports[:2] == [(0, "extracting the brain"), (0, "preparing the image for the model")]
    assert reports[2][1].startswith("0/") and reports[2][1].endswith("patches")
    mask = labels > 0
    assert not (mask & ~brain.dilate_mm(_extracted(volume), volume.ijk_to_ras, 3.0)).any()
    ml = mask.sum() * 8 / 1000
    assert abs(ml - brain.volume_ml(reference, volume.ijk_to_ras)) < 0.15 * ml


def test_flip_probabilities_behind_rank_and_uncertainty_use_the_mask(tmp_path, head2mm):
    from neuroview.ai import flip_probabilities

    volume, reference = head2mm
    package = everywhere_model(tmp_path, STEP)
    reports = []
    probabilities = flip_probabilities(volume, str(package), flips=((), (0,)), device="cpu",
                                       progress=lambda done, total, text: reports.append((total, text)))
    assert probabilities.shape == (2,) + volume.shape
    # AI > Show uncertainty names the stages before the first patch, as Segment does (its bar
    # stood at 0 % through brain extraction, up to a minute on a loaded CPU)
    assert reports[:2] == [(0, "extracting the brain"), (0, "preparing the image for the model")]
    assert reports[2][1].startswith("flip 1/2: 0/")
    allowed = brain.dilate_mm(_extracted(volume), volume.ijk_to_ras, 3.0)
    assert (probabilities[:, ~allowed] == 0).all()
    far = ~brain.dilate_mm(reference, volume.ijk_to_ras, 5.0)
    assert (probabilities[:, far] > 0).mean() < 0.002
    assert (probabilities[:, reference] > 0.9).mean() > 0.97


def test_bundled_model_on_a_head_with_skull_stays_in_the_brain(head2mm):
    """The bundled model on a T1 with skull: nothing further from the extracted brain than its
    card's report margin (lesionseg@1.2.0 without the step drew regions in the scalp, as the issue
    reported; 2.0.0 was trained to leave the rim alone, and the step makes sure). (No lesions
    painted: the image stays the one whose brain mask the tests above already computed.)"""
    from neuroview.ai.package import read_card
    from neuroview.ai.segment import segment

    volume, reference = head2mm
    bundled = resources_dir() / "models" / "lesionseg"
    step = read_card(bundled).preprocessing[0]
    with_step = segment(volume, str(bundled), "cpu")
    assert with_step.brain_mask is not None and with_step.brain_ml > 1000
    margin = float(step.get("report_margin_mm", step.get("margin_mm", 3.0)))
    allowed = brain.dilate_mm(with_step.brain_mask, volume.ijk_to_ras, margin)
    assert not ((with_step.labels > 0) & ~allowed).any()
    assert not ((with_step.labels > 0) & ~brain.dilate_mm(reference, volume.ijk_to_ras, 5.0)).any()


def test_report_margin_narrower_than_what_the_model_sees(monkeypatch):
    """``margin_mm`` is what the model sees around the brain, ``report_margin_mm`` where a finding
    may be reported (a card may let the model see the skull's inner table but report nothing in
    it)."""
    from neuroview.ai import preprocess

    cube = np.zeros((40, 40, 40), bool)
    cube[10:30, 10:30, 10:30] = True
    affine = np.diag([1.0, 1.0, 1.0, 1.0])
    big = np.zeros((160, 160, 160), np.float32)  # a head-sized field of view
    big[:40, :40, :40] = 5.0
    steps = preprocess.validate_steps([{"step": "brain_extraction", "margin_mm": 3,
                                        "report_margin_mm": 1}])
    mask = np.pad(cube, ((0, 120),) * 3)
    monkeypatch.setattr(preprocess, "cached_brain_masks", lambda *a, **k: (mask, mask))
    prepared = preprocess.apply_preprocessing(steps, [big], affine)
    seen = prepared.images[0][:40, :40, :40] > 0
    assert seen[10:30, 10:30, 10:30].all() and seen[7, 20, 20] and seen[32, 20, 20]
    assert not seen[:6].any() and not seen[34:].any()
    assert prepared.allowed[9, 20, 20] and prepared.allowed[30, 20, 20]
    assert not prepared.allowed[:8].any() and not prepared.allowed[32:].any()
    labels = np.ones(big.shape, np.uint8)
    kept = prepared.restrict(labels)
    assert kept[9, 20, 20] == 1 and kept[7, 20, 20] == 0 and kept[20, 20, 20] == 1
    with pytest.raises(ModelError, match="report_margin_mm"):
        preprocess.validate_steps([{"step": "brain_extraction", "report_margin_mm": 50}])
    # a T2 head: the folded (tighter) mask is the brain and limits what is reported; the model's
    # input is stripped with the image's own single-run mask (wider), as its figures were measured
    wider = np.zeros_like(mask)
    wider[6:34, 6:34, 6:34] = True
    monkeypatch.setattr(preprocess, "cached_brain_masks", lambda *a, **k: (mask, wider))
    prepared = preprocess.apply_preprocessing(steps, [big], affine)
    seen = prepared.images[0][:40, :40, :40] > 0
    assert seen[3, 20, 20] and seen[36, 20, 20] and not seen[2, 20, 20] and not seen[37, 20, 20]
    assert prepared.brain is mask
    allowed = prepared.allowed
    assert allowed[9, 20, 20] and not allowed[8, 20, 20] and not allowed[31, 20, 20]
