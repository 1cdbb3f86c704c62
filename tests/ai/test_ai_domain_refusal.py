"""A model's card says what it was made for (``domain``: modalities, body parts), and a series
outside it is refused in one line before the model runs. The bundled lesionseg, made for head
MR, marked 1944 voxels and a 554 mL "brain" on a knee MR tagged KNEE (256 x 256 x 30, 0.6 x 0.6
x 3.5 mm), with no word; a lumbar spine got 12003 voxels and a "means little" note. A CT whose
slices are a chest's is refused by the image when its header names no body part; a head (HEAD,
HEADNECK, or no tag) still runs. Series written as scanners write them (ct_maker)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402

from neuroview.ai.api import ModelCard  # noqa: E402
from neuroview.ai.domain import out_of_domain  # noqa: E402
from neuroview.ai.package import read_card  # noqa: E402
from neuroview.core.errors import ModelError  # noqa: E402
from neuroview.io import load  # noqa: E402

CLI_FORKED = "what segment says on stderr about one series; the test needs no fresh process"
MODELS = Path(__file__).resolve().parents[2] / "resources" / "models"
CHEST = dict(chest=True, spacing=8.0, fov_mm=250.0)


@pytest.fixture(scope="module")
def lesion_card():
    return read_card(MODELS / "lesionseg")


def test_the_bundled_cards_declare_their_domain(lesion_card):
    assert lesion_card.domain == {"modalities": ["MR"], "body_parts": ["HEAD", "BRAIN"]}
    assert read_card(MODELS / "clickseg").domain == {}   # AI click: any image


def test_a_knee_mr_is_refused_by_its_body_part(lesion_card, tmp_path):
    write_ct(tmp_path / "knee", modality="MR", body_part="KNEE")
    volume = load(tmp_path / "knee")
    assert out_of_domain(lesion_card, volume, is_ct=False) == (
        "lesionseg@2.5.1 is made for head MR; this series is a knee MR (BodyPartExamined KNEE): "
        "not run on it")


@pytest.mark.parametrize("part", ["HEAD", "BRAIN", "HEADNECK", "SKULL", None])
def test_a_head_runs(lesion_card, tmp_path, part):
    write_ct(tmp_path / "head", modality="MR", body_part=part)
    assert out_of_domain(lesion_card, load(tmp_path / "head"), is_ct=False) == ""


def test_a_chest_ct_with_no_body_part_is_refused_by_its_slices(lesion_card, tmp_path):
    write_ct(tmp_path / "chest", **CHEST)
    assert out_of_domain(lesion_card, load(tmp_path / "chest"), is_ct=True) == (
        "lesionseg@2.5.1 is made for head MR; this CT's slices are a chest's or an abdomen's "
        "(no BodyPartExamined): not run on it")
    write_ct(tmp_path / "head_ct")   # a head, but a CT: refused by the card's modalities
    assert out_of_domain(lesion_card, load(tmp_path / "head_ct"), is_ct=True) == (
        "lesionseg@2.5.1 is made for head MR; this image is a CT (the model was trained on MR "
        "only): not run on it")


def test_a_card_without_a_domain_that_extracts_the_brain_is_a_head_model(lesion_card, tmp_path):
    """A card written before ``domain`` (a fine-tune of lesionseg 2.5.0) is read as its brain
    extraction says: for heads; one that says nothing is for any image."""
    old = ModelCard(**{**lesion_card.__dict__, "domain": {}})
    write_ct(tmp_path / "spine", modality="MR", body_part="LSPINE")
    spine = load(tmp_path / "spine")
    assert out_of_domain(old, spine, is_ct=False) == (
        "lesionseg@2.5.1 is made for head; this series is a lumbar spine MR (BodyPartExamined "
        "LSPINE): not run on it")
    anything = ModelCard(**{**old.__dict__, "preprocessing": [], "description": "Lesions"})
    assert out_of_domain(anything, spine, is_ct=False) == ""
    knee_model = ModelCard(**{**anything.__dict__, "domain": {"body_parts": ["KNEE"]}})
    assert out_of_domain(knee_model, spine, is_ct=False) == (
        "lesionseg@2.5.1 is made for knee; this series is a lumbar spine MR (BodyPartExamined "
        "LSPINE): not run on it")


def test_segment_refuses_before_the_model_runs(tmp_path):
    from neuroview.ai.segment import segment

    write_ct(tmp_path / "knee", modality="MR", body_part="KNEE")
    with pytest.raises(ModelError, match=r"is made for head MR; this series is a knee MR "
                                         r"\(BodyPartExamined KNEE\): not run on it"):
        segment(load(tmp_path / "knee"), str(MODELS / "lesionseg"), device="cpu")


def test_segment_on_the_command_line_says_it_in_one_line(cli, tmp_path):
    write_ct(tmp_path / "chest", body_part="CHEST", **CHEST)
    result = cli("segment", tmp_path / "chest", "-o", tmp_path / "seg.nii.gz",
                 "--model", MODELS / "lesionseg", "--device", "cpu")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path / 'chest'}: lesionseg@2.5.1 is made for head MR; this series "
        "is a chest CT (BodyPartExamined CHEST): not run on it (--allow-domain-mismatch runs it "
        "anyway)"]
    assert not (tmp_path / "seg.nii.gz").exists()


@pytest.mark.parametrize("domain, line", [
    ({"body_part": ["HEAD"]}, "model card's domain must be a JSON object such as "
                              '{"modalities": ["MR"], "body_parts": ["HEAD"]}, not '),
    ({"body_parts": "HEAD"}, "model card's domain.body_parts must be a list of words, not "),
    ({"modalities": ["MR", 3]}, "model card's domain.modalities must be a list of words, not "),
])
def test_a_card_with_a_domain_it_cannot_mean_is_refused(tmp_path, domain, line):
    folder = tmp_path / "model"
    shutil.copytree(MODELS / "clickseg", folder)
    card = json.loads((folder / "model.json").read_text())
    (folder / "model.json").write_text(json.dumps({**card, "domain": domain}))
    with pytest.raises(ModelError) as caught:
        read_card(folder)
    assert str(caught.value).splitlines()[0].split(": ", 1)[1].startswith(line)


def test_the_domain_travels_with_the_card(lesion_card):
    again = ModelCard.from_json(lesion_card.to_json())
    assert again.domain == lesion_card.domain
    lower = json.loads(lesion_card.to_json())
    lower["domain"] = {"body_parts": ["knee "]}
    assert ModelCard.from_dict(lower).domain == {"body_parts": ["KNEE"]}


def test_the_uncertainty_map_refuses_too(tmp_path):
    from neuroview.ai.uncertainty import FlipProbabilities

    write_ct(tmp_path / "knee", modality="MR", body_part="KNEE")
    with pytest.raises(ModelError, match=r"this series is a knee MR \(BodyPartExamined KNEE\)"):
        FlipProbabilities(load(tmp_path / "knee"), str(MODELS / "lesionseg"), device="cpu")


def test_models_show_says_what_the_model_is_for(cli, lesion_card):
    from neuroview.ai.domain import domain_line

    shown = cli("models", "show", "lesionseg")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[2] == ("  for head MR (BodyPartExamined HEAD, BRAIN): a series "
                                            "of another body part is refused")
    assert domain_line(read_card(MODELS / "clickseg")) == ""   # any image: no line
    old = ModelCard(**{**lesion_card.__dict__, "domain": {}})
    assert domain_line(old) == ("for head (by its brain extraction; its card declares no domain): "
                                "a series of another body part is refused")


@pytest.mark.parametrize("said, refused", [("KNEE", True), ("brain", False), (42, False),
                                           ("a knee, left, with a long note", False)])
def test_a_nifti_is_refused_by_its_dcm2niix_sidecar(lesion_card, tmp_path, said, refused):
    """dcm2niix -b y writes DICOM's BodyPartExamined into the sidecar as ``"BodyPart": "KNEE"``
    (checked on a knee series, 7 Dec 2026); a value that is no DICOM code is not read."""
    import nibabel

    image = np.zeros((40, 40, 30), np.float32)
    image[10:30, 10:30, 5:25] = 100
    nibabel.save(nibabel.Nifti1Image(image, np.diag([4.0, 4, 4, 1])), tmp_path / "knee.nii.gz")
    (tmp_path / "knee.json").write_text(json.dumps({"Modality": "MR", "BodyPart": said}))
    volume = load(tmp_path / "knee.nii.gz")
    assert out_of_domain(lesion_card, volume, is_ct=False) == (
        "lesionseg@2.5.1 is made for head MR; this series is a knee MR (BodyPartExamined KNEE): "
        "not run on it" if refused else "")


def test_a_card_naming_ct_in_its_domain_reads_ct(lesion_card):
    """Its channels named otherwise ('image'), a CT model said so in its domain gets no 'made
    for MR ... this image is a CT' note."""
    from neuroview.ai.domain import reads_ct

    ct_model = ModelCard(**{**lesion_card.__dict__, "input_channels": ["image"],
                            "domain": {"modalities": ["CT"], "body_parts": ["CHEST"]}})
    assert reads_ct(ct_model) and not reads_ct(lesion_card)
