"""``neuroview segment``: one file, a folder of cases, a CSV list; outputs on the input's grid."""

from __future__ import annotations

import numpy as np
import pytest

from tests.checkout import main_said

pytest.importorskip("torch")


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """Two small real-brain cases (nibabel's anatomical.nii, 2 mm, LAS) with synthetic lesions."""
    from neuroview.ai import synth
    from neuroview.io.nifti import save_nifti

    folder = tmp_path_factory.mktemp("cases")
    other = synth.load_nibabel_anatomy()
    made = []
    for number, seed in enumerate((7001, 7002)):
        case = synth.make_case(other, seed, spacing=2.0, deform=False)
        path = save_nifti(case.image, case.ijk_to_ras, folder / f"case{number}.nii.gz")
        made.append((path, case))
    return folder, made


def test_segment_one_file_as_a_user_would(cli, cases, tmp_path):
    import nibabel as nib

    folder, made = cases
    path, case = made[1]  # its largest lesion (15 mm) is one the bundled model finds
    result = cli("segment", path, "-o", tmp_path / "mask.nii.gz", "--device", "cpu")
    assert result.returncode == 0, result.stderr
    assert "lesionseg@" in result.stdout
    image, mask = nib.load(path), nib.load(tmp_path / "mask.nii.gz")
    assert mask.shape == image.shape and np.allclose(mask.affine, image.affine)
    labels = np.asarray(mask.dataobj)
    assert labels.dtype == np.uint8 and set(np.unique(labels)) <= {0, 1}
    # The file holds exactly what the Python API gives for the same image...
    from neuroview.ai import segment_volume
    from neuroview.io.nifti import load_nifti

    expected, *_ = segment_volume(load_nifti(path), "lesionseg", device="cpu")
    assert np.array_equal(labels, expected)
    # ...and it overlaps the synthetic lesions (the bundled model's Dice is modest: see its card).
    dice = 2 * ((labels == 1) & (case.label == 1)).sum() / ((labels == 1).sum() + case.label.sum())
    assert dice > 0.1


def test_batch_folder_and_csv(capsys, cases, tmp_path):
    import nibabel as nib

    folder, made = cases
    code, out, err = main_said(capsys, "segment", folder, "-o", tmp_path / "out", "--device", "cpu")
    assert code == 0, err
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["case0_seg.nii.gz", "case0_seg.segments.json", "case1_seg.nii.gz",
                       "case1_seg.segments.json"]
    assert "[2/2]" in err

    listing = tmp_path / "list.csv"
    listing.write_text(f"input\n{made[1][0]}\nmissing.nii.gz\n")
    code, out, err = main_said(capsys, "segment", listing, "-o", tmp_path / "csv", "--model", "lesionseg")
    assert code == 1  # one case failed, the other was written
    assert "missing.nii.gz" in err and "1 of 2 cases failed" in err
    from_csv = np.asarray(nib.load(tmp_path / "csv" / "case1_seg.nii.gz").dataobj)
    from_folder = np.asarray(nib.load(tmp_path / "out" / "case1_seg.nii.gz").dataobj)
    assert np.array_equal(from_csv, from_folder)


def test_clear_errors(capsys, cases, tmp_path):
    folder, made = cases
    code, _, err = main_said(capsys, "segment", made[0][0], "-o", tmp_path / "m.nii.gz", "--model", "nope")
    assert code == 1 and "no model 'nope' in the registry" in err
    code, _, err = main_said(capsys, "segment", folder, "-o", tmp_path / "m.nii.gz")
    assert code == 1 and "OUTPUT must be a folder" in err


def test_segment_report_csv_is_the_lesion_list_of_the_mask(capsys, cases, tmp_path):
    """``--report`` writes one row per component of the written mask; another tool reads it back."""
    import csv

    import nibabel as nib

    from neuroview.app.components import find_components

    folder, made = cases
    path, _ = made[1]
    code, out, err = main_said(capsys, "segment", path, "-o", tmp_path / "m.nii.gz", "--device", "cpu",
                           "--report", tmp_path / "lesions.csv")
    assert code == 0, err
    mask = nib.load(tmp_path / "m.nii.gz")
    expected = find_components(np.asarray(mask.dataobj) == 1, mask.affine)
    assert expected, "the bundled model finds the 15 mm lesion of this case"
    with open(tmp_path / "lesions.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(expected)
    assert {r["case"] for r in rows} == {"case1"} and {r["segment"] for r in rows} == {"lesion"}
    assert [int(r["voxels"]) for r in rows] == [c.voxels for c in expected]
    voxel_ml = abs(np.linalg.det(mask.affine[:3, :3])) / 1000
    assert float(rows[0]["volume_ml"]) == pytest.approx(expected[0].voxels * voxel_ml, abs=1e-4)
    assert float(rows[0]["longest_diameter_mm"]) == pytest.approx(expected[0].diameter_mm, abs=0.01)
    # the sidecar carries the model's segment name and colour, as AI > Segment shows them
    from neuroview.app.view_labels import load_label_map

    segment = load_label_map(tmp_path / "m.nii.gz").segments.get(1)
    assert (segment.name, segment.color, segment.origin) == ("lesion", (255, 64, 0), "model")
    assert segment.model.startswith("lesionseg@")


def test_a_promptable_model_is_refused_saying_what_it_is(capsys, cases, tmp_path):
    """`segment --model clickseg` said 'needs 5 input channel(s) (image, include, exclude, box,
    previous), got 1' (session 19); the AI click model segments objects from clicks."""
    folder, made = cases
    code, _, err = main_said(capsys, "segment", made[0][0], "-o", tmp_path / "m.nii.gz",
                         "--model", "clickseg")
    assert code == 1 and err.count("\n") == 1
    assert "clickseg@" in err and "is a promptable (AI click) model" in err
    assert not (tmp_path / "m.nii.gz").exists()
