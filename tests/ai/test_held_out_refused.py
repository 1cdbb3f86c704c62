"""A case its model's card refuses, in a dataset's held-out split (a knee in a head set): it was
scored with the heads (session 51 ran the model on it anyway, so every figure was over every
case), and its empty "lesions" and false regions went into the card's lesion-wise sensitivity
and false regions per case. Now it is listed apart, not scored, by ``train``'s card and
``models compare --dataset``; ``dataset add`` records the source's BodyPartExamined (a NIfTI of
imagesTr names none) and says in one line that the case is one its model refuses."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

from tests.ui.train_data import install, make_raw_dataset

torch = pytest.importorskip("torch")
HEAD = {"body_parts": ["HEAD"], "modalities": ["MR"]}
KNEE = ("tiny@1.0.0 is made for head; this image does not look like a head (its brain extraction "
        "found 4 mL): not run on it")


@pytest.fixture
def raw_dataset(tmp_path, rng):
    return make_raw_dataset(tmp_path, rng)


def test_a_case_whose_brain_extraction_finds_no_head_is_listed_apart(raw_dataset, tmp_path, monkeypatch):
    """Its brain extraction (mocked: a brain of 4 mL for the one bright case) finds no head: that
    case alone is left out, by the kept cases of a fine-tune's epochs and by cases read anew, and
    the figures are those of the others; its extraction is not run again at the next epoch."""
    from neuroview.ai import held_out_scoring, preprocess
    from neuroview.ai.finetune import evaluate_cases, read_dataset
    from neuroview.ai.segment import get_model

    image = nib.load(raw_dataset / "imagesTr" / "c0_0000.nii.gz")   # the one no head's brain is found in
    nib.save(nib.Nifti1Image(np.asarray(image.dataobj) * 100, image.affine), image.get_filename())
    model = install(tmp_path, "tiny", "1.0.0", 0.5, preprocessing=[{"step": "brain_extraction"}])
    monkeypatch.setattr(preprocess, "smaller_than_a_head", lambda extent: False)
    extracted = []

    def brain(image, *args, **kwargs):
        extracted.append(1)
        mask = np.ones(np.shape(image), bool)
        mask[0, 0, 0] = np.max(image) > 5000   # the bright case's mask whole, the others' not
        return mask, mask

    monkeypatch.setattr(preprocess, "cached_brain_masks", brain)
    monkeypatch.setattr(preprocess, "not_a_brain",
                        lambda mask, *a: "its brain extraction found 4 mL" if mask.all() else "")
    loaded, cases = get_model(model.card.ref), read_dataset(raw_dataset).cases
    prepared, refused = held_out_scoring.PreparedCases(), {}
    kept = evaluate_cases(loaded, cases, prepared=prepared, refused=refused)
    assert refused == {"c0": KNEE}
    assert evaluate_cases(loaded, cases, prepared=prepared) == kept
    assert len(extracted) == len(cases)           # the refusal remembered, as the prepared cases
    anew = {}
    assert evaluate_cases(loaded, cases, refused=anew) == kept == evaluate_cases(loaded, cases[1:])
    assert anew == refused
    assert kept[1]["cases"] == len(cases) - 1      # the lesion-wise figures over the others only


def _knee_in_held_out(root) -> str:
    """A held-out case of ``root`` recorded as its source's header named it: a knee MR (as
    ``dataset add`` of a series tagged KNEE records it)."""
    import shutil

    from neuroview.ai.finetune import read_dataset, split

    for number in range(6, 10):   # ten cases: two held out at the default 20 %
        for folder, ending in (("imagesTr", "_0000.nii.gz"), ("labelsTr", ".nii.gz")):
            shutil.copy(root / folder / f"c{number - 6}{ending}", root / folder / f"c{number}{ending}")
    meta = json.loads((root / "dataset.json").read_text())
    (root / "dataset.json").write_text(json.dumps({**meta, "numTraining": 10}))
    name = split(read_dataset(root))[1][0].name
    (root / "provenance").mkdir(exist_ok=True)
    (root / "provenance" / f"{name}.json").write_text(json.dumps({"body_part": "KNEE", "modality": "MR"}))
    return name


def test_train_and_models_compare_list_a_knee_apart(raw_dataset, tmp_path, capsys):
    from neuroview.ai.finetune import read_dataset, split
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    knee = _knee_in_held_out(raw_dataset)
    held_out = [c.name for c in split(read_dataset(raw_dataset))[1]]
    assert len(held_out) == 2
    base = install(tmp_path, "tiny", "1.0.0", 0.5, domain=HEAD)
    torch.manual_seed(0)
    assert main(["train", "--dataset", str(raw_dataset), "--base", base.card.ref, "--out", "mine",
                 "--version", "1.1.0", "--epochs", "1", "--iterations", "1", "--patch", "16",
                 "--batch-size", "1", "--device", "cpu", "--keep-worse"]) == 0
    why = "{} is made for head MR; this series is a knee MR (BodyPartExamined KNEE): not run on it"
    said = capsys.readouterr()
    assert f"note: held-out case {knee} not scored, listed apart on the card: {why.format('mine@1.1.0')}" \
        in (said.out + said.err).splitlines(), said.out + said.err
    card = Registry().get("mine@1.1.0").card
    assert card.metrics["held_out_refused"] == {knee: why.format("mine@1.1.0")}
    assert card.metrics["held_out_cases"] == len(held_out) - 1 == card.metrics["held_out_lesionwise"]["cases"]
    assert card.metrics["held_out_case_ids"] == [n for n in held_out if n != knee]
    assert card.metrics["base_held_out"]["lesionwise"]["cases"] == len(held_out) - 1

    assert main(["models", "compare", base.card.ref, "mine@1.1.0", "--dataset", str(raw_dataset),
                 "--device", "cpu", "--json", str(tmp_path / "compared.json")]) == 0
    out = capsys.readouterr().out
    metrics = card.metrics   # the card's own line names it too
    assert f"mine@1.1.0: card held-out Dice lesion {metrics['held_out_dice']['lesion']:.3f} (split " \
           f"{metrics['held_out_split']}, 1 case, {knee} refused), parent tiny@1.0.0" in out.splitlines(), out
    assert f"note: tiny@1.0.0: held-out case {knee} not scored: {why.format(base.card.ref)}" \
        in out.splitlines(), out
    assert f"(split {card.metrics['held_out_split']}, {len(held_out) - 1} case" in out
    measured = json.loads((tmp_path / "compared.json").read_text())
    assert measured["cases"] == len(held_out) - 1
    assert measured["models"]["tiny@1.0.0"]["refused"] == {knee: why.format("tiny@1.0.0")}
    assert measured["models"]["tiny@1.0.0"]["lesionwise"]["cases"] == len(held_out) - 1


def test_dataset_add_records_the_body_part_and_says_the_default_model_refuses_it(tmp_path, cli):
    """A knee MR (BodyPartExamined KNEE) added to a head set: added, as MONAI Label's datastore
    takes what the annotator submits (the person's label is the truth, and a refusal would drop
    a finished correction in a script), with one line saying the default model (the bundled head
    model) refuses it and where that counts; its record keeps the body part."""
    from neuroview.dataset.layout import init_dataset
    from neuroview.dataset.store import list_cases

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
    from ct_maker import write_ct

    write_ct(tmp_path / "knee", modality="MR", body_part="KNEE", size=24, spacing=2.0, n_slices=12)
    from neuroview.io import load

    knee = load(tmp_path / "knee")   # its mask on its grid: nothing to label in a knee
    nib.save(nib.Nifti1Image(np.zeros(knee.shape, np.uint8), knee.ijk_to_ras), tmp_path / "m.nii.gz")
    folder = init_dataset(tmp_path / "sets", "Heads", ["background", "lesion"])
    result = cli("dataset", "add", folder, "--image", tmp_path / "knee", "--labels", tmp_path / "m.nii.gz")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "nv_0001"
    assert ("note: nv_0001: lesionseg@2.5.1 is made for head MR; this series is a knee MR "
            "(BodyPartExamined KNEE): added; training uses it, and a model that refuses it leaves it out "
            "of its held-out figures (train, models compare)") in result.stderr.splitlines(), result.stderr
    assert [r.body_part for r in list_cases(folder)] == ["KNEE"]


def test_dataset_add_says_a_mask_of_a_model_run_anyway_is_of_an_image_it_refuses(tmp_path, cli):
    """An untagged knee the person ran the model on anyway (its segments' ``outside_domain``, in
    the mask's ``.segments.json``): no header names its body part, and the add said nothing."""
    from neuroview.app.label_files import save_label_files
    from neuroview.core.labels import LabelMap, Segment
    from neuroview.dataset.layout import init_dataset

    affine = np.diag([2.0, 2, 2, 1])
    nib.save(nib.Nifti1Image(np.random.default_rng(0).random((24, 24, 24)).astype(np.float32), affine),
             tmp_path / "knee.nii.gz")
    overrode = ("lesionseg@2.5.1 is made for head MR; this image does not look like a head (its brain "
                "extraction found 444 mL, and a head's brain holds 700-2600 mL)")
    labels = LabelMap(np.zeros((24, 24, 24), np.uint8), affine)
    labels.array[8:12, 8:12, 8:12] = 1
    labels.segments.put(Segment(1, "lesion", (255, 0, 0), origin="model", model="lesionseg@2.5.1",
                                outside_domain=overrode))
    save_label_files(labels, affine, tmp_path / "m.nii.gz")
    folder = init_dataset(tmp_path / "sets", "Heads", ["background", "lesion"])
    result = cli("dataset", "add", folder, "--image", tmp_path / "knee.nii.gz",
                 "--labels", tmp_path / "m.nii.gz")
    assert result.returncode == 0, result.stderr
    said = (f"note: nv_0001: {overrode}: added; training uses it, and a model that refuses it leaves it "
            "out of its held-out figures (train, models compare)")
    assert said in result.stderr.splitlines(), result.stderr


def test_a_measurement_is_not_reused_once_a_cases_recorded_body_part_changed(raw_dataset, tmp_path, capsys):
    """A held-out case recorded as a head, measured; its record then says KNEE (a wrong tag put
    right): the images and labels are the same by hash, and the measurement that scored it was
    reused, the knee scored with the heads. The key covers the recorded body parts now."""
    from neuroview.cli.main import main

    knee = _knee_in_held_out(raw_dataset)
    record = raw_dataset / "provenance" / f"{knee}.json"
    record.write_text(json.dumps({"body_part": "HEAD", "modality": "MR"}))
    for version in ("1.0.0", "1.1.0"):
        install(tmp_path, "tiny", version, 0.5, domain=HEAD)
    compare = ["models", "compare", "tiny@1.0.0", "tiny@1.1.0", "--dataset", str(raw_dataset),
               "--device", "cpu"]
    assert main(compare) == 0
    first = capsys.readouterr().out
    assert "(split " in first and "refused" not in first and "reused" not in first, first

    record.write_text(json.dumps({"body_part": "KNEE", "modality": "MR"}))
    assert main(compare) == 0
    out = capsys.readouterr().out
    assert "reused" not in out, out
    assert f"note: tiny@1.0.0: held-out case {knee} not scored: tiny@1.0.0 is made for head MR; " \
           "this series is a knee MR (BodyPartExamined KNEE): not run on it" in out.splitlines(), out

    assert main(compare) == 0   # nothing changed since: reused, the knee still apart
    out = capsys.readouterr().out
    assert "reused from" in out and f"held-out case {knee} not scored" in out, out
