"""A refusal by the card's domain has a way on: scanners tag heads wrongly (BodyPartExamined
SPINE on a head and neck), so ``neuroview segment --allow-domain-mismatch`` runs the model
anyway, says so on stderr and records the refusal it overrode in the label map's
``.segments.json`` (each model segment's ``outside_domain``). The refusal says the flag. A head
CT given an MR-only card (lesionseg: ``"modalities": ["MR"]``) is refused the same way: it ran
with a note that its result means little (0 voxels or scattered ones). A tiny model whose card
declares a head MR domain, on series written as scanners write them (ct_maker)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402

from neuroview.ai.domain import RUN_ANYWAY  # noqa: E402
from neuroview.core.errors import OutsideDomainError  # noqa: E402
from neuroview.io import load  # noqa: E402

CLI_FORKED = "what segment says and writes for one series; no fresh process needed"
HEAD_MR = {"modalities": ["MR"], "body_parts": ["HEAD", "BRAIN"]}


@pytest.fixture(scope="module")
def head_mr_model(tmp_path_factory):
    """The preprocessing tests' model that marks everything, its card saying head MR."""
    from tests.ai.preprocess_models import everywhere_model

    package = everywhere_model(tmp_path_factory.mktemp("model"), [])
    card = json.loads((package / "model.json").read_text())
    (package / "model.json").write_text(json.dumps({**card, "domain": HEAD_MR}))
    return package


def test_a_wrong_tag_is_refused_with_the_way_on_and_runs_with_it(cli, tmp_path, head_mr_model):
    write_ct(tmp_path / "head", modality="MR", body_part="CSPINE")   # a head, tagged as a neck
    args = ("segment", tmp_path / "head", "-o", tmp_path / "seg.nii.gz", "--model", head_mr_model,
            "--device", "cpu")
    refused = cli(*args)
    why = "everywhere@1.0.0 is made for head MR; this series is a cervical spine MR " \
          "(BodyPartExamined CSPINE)"
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path / 'head'}: {why}: not run on it (--allow-domain-mismatch "
        "runs it anyway)"]
    assert not (tmp_path / "seg.nii.gz").exists()
    ran = cli(*args, "--allow-domain-mismatch")
    assert ran.returncode == 0, ran.stderr
    assert f"note: {tmp_path / 'head'}: run anyway: {why}; its result means little" in ran.stderr
    [lesion] = json.loads((tmp_path / "seg.segments.json").read_text())
    assert (lesion["name"], lesion["origin"], lesion["outside_domain"]) == ("lesion", "model", why)


def test_the_provenance_is_read_back_and_checked():
    from neuroview.core.labels import Segment

    segment = Segment(1, "lesion", (1, 2, 3), origin="model", model="m@1", outside_domain="why")
    assert Segment.from_dict(segment.to_dict()) == segment
    assert "outside_domain" not in Segment(1, "lesion", (1, 2, 3)).to_dict()
    with pytest.raises(ValueError, match="segment 1's outside_domain is not text"):
        Segment.from_dict({**segment.to_dict(), "outside_domain": 3})


@pytest.mark.parametrize("part", ["HEAD", None])
def test_an_mr_model_refuses_a_head_ct(tmp_path, head_mr_model, part):
    from neuroview.ai.segment import segment

    write_ct(tmp_path / "ct", body_part=part)
    ct = load(tmp_path / "ct")
    with pytest.raises(OutsideDomainError) as refused:
        segment(ct, str(head_mr_model), device="cpu")
    assert refused.value.message == ("everywhere@1.0.0 is made for head MR; this image is a CT (the "
                                     "model was trained on MR only): not run on it")
    result = segment(ct, str(head_mr_model), device="cpu", allow_domain_mismatch=True)
    assert result.outside_domain == refused.value.message.removesuffix(": not run on it")
    assert result.notes == [RUN_ANYWAY]   # one short line: the whole refusal is outside_domain
    assert result.labels.any()


def test_a_ct_model_refuses_an_mr(tmp_path, head_mr_model):
    from neuroview.ai.domain import out_of_domain
    from neuroview.ai.package import read_card

    card = read_card(head_mr_model)
    ct_model = type(card)(**{**card.__dict__, "domain": {"modalities": ["CT"]}})
    write_ct(tmp_path / "mr", modality="MR")
    assert out_of_domain(ct_model, load(tmp_path / "mr"), is_ct=False) == (
        "everywhere@1.0.0 is made for CT; this image is an MR (the model was trained on CT only): "
        "not run on it")


WHY = "everywhere@1.0.0 is made for head MR; this series is a cervical spine MR (BodyPartExamined CSPINE)"


def test_the_uncertainty_map_is_refused_and_computed_anyway(tmp_path, head_mr_model):
    """AI > Uncertainty on a head tagged CSPINE: refused as Segment is, and run anyway the map
    says so (its notes, its ``outside_domain``); it had no way on."""
    from neuroview.app.uncertainty import compute_uncertainty

    write_ct(tmp_path / "head", modality="MR", body_part="CSPINE")
    head = load(tmp_path / "head")
    with pytest.raises(OutsideDomainError, match="cervical spine MR"):
        compute_uncertainty(head, str(head_mr_model), flips=[()], device="cpu")
    heat = compute_uncertainty(head, str(head_mr_model), flips=[()], device="cpu",
                               allow_domain_mismatch=True)
    assert heat.array.shape == head.shape and heat.outside_domain == WHY
    assert heat.notes == [RUN_ANYWAY]
    assert f"({RUN_ANYWAY})" in heat.describe()


def test_followup_says_the_way_on_and_its_report_notes_name_the_refusal(tmp_path, head_mr_model,
                                                                         capsys):
    """``followup --model`` on a study its card refuses said no way on; the flag runs the model
    and the mask's note names what was overridden in full (the report has no tooltip)."""
    from neuroview.app.followup import load_study
    from neuroview.cli.main import main

    write_ct(tmp_path / "head", modality="MR", body_part="CSPINE")
    code = main(["followup", str(tmp_path / "head"), str(tmp_path / "missing"), "--model",
                 str(head_mr_model), "--device", "cpu", "--no-brain-extraction", "--out",
                 str(tmp_path / "out")])
    assert code == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"neuroview: error: {tmp_path / 'head'}: {WHY}: not run on it (--allow-domain-mismatch "
        "runs it anyway)")
    # with the flag the baseline's model runs: the next error is the missing follow-up's
    code = main(["followup", str(tmp_path / "head"), str(tmp_path / "missing"), "--model",
                 str(head_mr_model), "--device", "cpu", "--no-brain-extraction", "--out",
                 str(tmp_path / "out"), "--allow-domain-mismatch"])
    assert code == 1
    said = capsys.readouterr().err
    assert "missing" in said.strip().splitlines()[-1] and "not run on it" not in said
    _volume, study = load_study(tmp_path / "head", model=str(head_mr_model), device="cpu",
                                extract=False, allow_domain_mismatch=True)
    assert study.lesions_notes == [f"run anyway: {WHY}; its result means little"]
    assert study.lesions.any()
