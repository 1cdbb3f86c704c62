"""``neuroview followup``: the CSV it writes equals the Python table; the HTML report holds the
table, the key slices of new and enlarging lesions and the not-a-diagnosis statement."""

from __future__ import annotations

import base64
import re

import numpy as np
from followup_tables import same_table

from neuroview.app.followup import StudyInput, compare
from neuroview.app.followup_brain import brain_mask_by_threshold
from neuroview.app.followup_lesions import for_reading, match_lesions, table_csv
from neuroview.app.followup_report import NOT_A_DIAGNOSIS
from neuroview.io.nifti import save_nifti
from neuroview.render.png import read_png
from tests.app.followup_cases import (
    StandInModel,
    grid,
    landmark_error,
    lesion_masks,
    painted,
    rigid,
    sample,
)
from tests.checkout import run_main_forked


def test_cli_writes_the_python_table_and_a_report(mni_volume, tmp_path, cli):
    b_shape, b_affine = grid(mni_volume, (3.0, 3.0, 3.0))
    f_shape, f_affine = grid(mni_volume, (3.2, 2.8, 3.0), (12.0, -6.0, 9.0))
    truth = rigid((8.0, -5.0, 10.0), (10.0, -8.0, 12.0), mni_volume.center_ras)
    studies = {
        "t1": (sample(mni_volume, b_shape, b_affine), b_affine,
               lesion_masks(b_shape, b_affine, np.eye(4), False)),
        "t2": (sample(mni_volume, f_shape, f_affine, np.linalg.inv(truth)), f_affine,
               lesion_masks(f_shape, f_affine, np.linalg.inv(truth), True)),
    }
    for name, (image, affine, lesions) in studies.items():
        save_nifti(image, affine, tmp_path / f"{name}.nii.gz")
        save_nifti(lesions, affine, tmp_path / f"{name}_lesions.nii.gz")
    out = tmp_path / "report"
    result = cli("followup", tmp_path / "t1.nii.gz", tmp_path / "t2.nii.gz",
                 "--labels-baseline", tmp_path / "t1_lesions.nii.gz",
                 "--labels", tmp_path / "t2_lesions.nii.gz", "--brain-threshold",
                 "--masks-by", "lesionseg 1.1.0, not corrected", "--out", out)
    assert result.returncode == 0, result.stderr

    inputs = [StudyInput(image, affine, lesions, brain_mask_by_threshold(image))
              for image, affine, lesions in studies.values()]
    expected = compare(*inputs, partial_volume=True)
    written = (out / "lesions_tp2.csv").read_text()
    # SimpleITK's multithreaded metric sums in a run-dependent order: transforms of two runs differ
    # by about 0.01 mm, which can move a centre by a rounding step or a nearest-neighbour voxel
    assert same_table(written, table_csv(expected.table))
    assert sorted(line.split(",")[1] for line in written.splitlines()[1:]) == sorted(
        ["new", "enlarging", "enlarging", "stable", "shrinking", "resolved"])
    assert_tfm_resamples_as_registered(tmp_path, out, studies["t2"][0], f_affine, b_shape, b_affine)

    report = (out / "report.html").read_text()
    assert NOT_A_DIAGNOSIS in report
    assert "lesionseg 1.1.0, not corrected" in report
    lines = [line.split(",") for line in written.splitlines()]
    for cells in for_reading(lines[0], lines[1:])[1]:   # the positions as sides (L 21.1) there
        assert "".join(f"<td>{c}</td>" for c in cells) in report
    images = re.findall(r'<img alt="lesion \d+ [^"]*" src="data:image/png;base64,([A-Za-z0-9+/=]+)"',
                        report)
    key = expected.table.count("new") + expected.table.count("enlarging")
    assert len(images) == 2 * key == 6
    # the lesion count and load over time, as in the PDF: a plot with its two lines, the load (red)
    # rising from the baseline to the follow-up, the count (blue) falling (6 lesions, then 5)
    plot = re.findall(r'<img alt="lesion count and load over time" '
                      r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', report)
    assert len(plot) == 1
    (out / "plot.png").write_bytes(base64.b64decode(plot[0]))
    plot_rgb = read_png(out / "plot.png").astype(int)
    counts = [sum(r.baseline_parts for r in expected.table.rows),
              sum(r.followup_parts for r in expected.table.rows)]
    assert counts == [6, 5] and expected.table.load_followup_ml > expected.table.load_baseline_ml
    for colour, rising in (((0xb0, 0x00, 0x00), True), ((0x30, 0x40, 0x80), False)):
        line = np.all(np.abs(plot_rgb[..., :3] - colour) < 40, axis=2)
        rows, cols = np.nonzero(line[20:-20, 80:-80])  # inside the axes, off the axis labels
        assert len(cols) > 100, colour
        # the line's pixels on the right half lie higher (smaller row) than on the left, or lower
        middle = (cols.min() + cols.max()) / 2
        right_higher = rows[cols > middle].mean() < rows[cols < middle].mean()
        assert right_higher == rising, colour
    # each embedded picture is a real PNG with the lesion outline drawn in colour on grey
    first = out / "first.png"
    first.write_bytes(base64.b64decode(images[0]))
    rgb = read_png(first).astype(int)
    assert rgb.shape[:2] == (320, 320)
    coloured = (np.abs(rgb[..., 0] - rgb[..., 1]) > 60) | (np.abs(rgb[..., 1] - rgb[..., 2]) > 60)
    assert coloured.sum() > 20
    assert f"{expected.brain_volume_change_pct:+.2f} %" in report
    # the PDF: summary, table and key-slice pages; the table's text and the pictures are in it
    from pypdf import PdfReader

    pdf = PdfReader(out / "report.pdf")
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "not a diagnosis" in text.replace("\n", " ")
    for line in written.splitlines()[1:]:
        cells = line.split(",")
        assert cells[1] in text and cells[3] in text and cells[4] in text
    # matplotlib shares one resource dictionary between pages: count distinct pictures
    pictures = {img.data for page in pdf.pages for img in page.images}
    assert len(pictures) == 2 * key
    # summary, the table across time points, the pair's table, three lesions (six pictures)
    assert len(pdf.pages) == 4
    # with two studies, the table across time points is the pair's table in its own columns
    tracked = [line.split(",") for line in (out / "lesions.csv").read_text().splitlines()]
    assert tracked[0][:8] == ["id", "status", "event", "volume_tp1_ml", "volume_tp2_ml", "change_ml",
                              "change_pct", "status_tp2"]
    pair = [line.split(",") for line in written.splitlines()[1:]]
    assert [row[:2] + row[3:7] for row in tracked[1:]] == [row[:2] + row[3:7] for row in pair]
    assert "Lesions across all time points" in report and "Lesions across all time points" in text


def assert_tfm_resamples_as_registered(folder, out, later, later_affine, shape, affine):
    """``transform_tp2.tfm``, read back by SimpleITK, puts the later study (read by SimpleITK from
    its file) on the baseline grid as neuroview's registration (``transform_tp2.txt``) does."""
    import SimpleITK as sitk

    from neuroview.io.registration import resample

    matrix = np.loadtxt(out / "transform_tp2.txt")
    ours = resample(later, later_affine, shape, affine, matrix)
    itk = sitk.Resample(sitk.ReadImage(str(folder / "t2.nii.gz")),
                        sitk.ReadImage(str(folder / "t1.nii.gz")),
                        sitk.ReadTransform(str(out / "transform_tp2.tfm")), sitk.sitkLinear, -1.0,
                        sitk.sitkFloat32)
    itk = np.transpose(sitk.GetArrayFromImage(itk), (2, 1, 0))
    inside = (itk != -1.0) & (ours > 0)   # ITK and scipy treat the edge's last half voxel apart
    assert inside.mean() > 0.2
    assert np.abs(itk[inside] - ours[inside]).max() < 1e-3 * float(later.max())


def test_bad_input_is_one_line_naming_the_file(tmp_path):
    """The command's own stderr (its main in a forked copy of the test: the claim is the message,
    not the interpreter's start, which test_cli_writes_the_python_table_and_a_report makes)."""
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    image = np.zeros((20, 20, 20), np.float32)
    image[5:15, 5:15, 5:15] = 100
    save_nifti(image, affine, tmp_path / "t1.nii.gz")
    save_nifti(image, affine, tmp_path / "t2.nii.gz")
    save_nifti(np.zeros((20, 20, 20), np.uint8), affine, tmp_path / "t1_lesions.nii.gz")
    save_nifti(np.zeros((10, 10, 10), np.uint8), affine, tmp_path / "small.nii.gz")
    out = tmp_path / "out"
    wrong_grid = run_main_forked("followup", tmp_path / "t1.nii.gz", tmp_path / "t2.nii.gz",
                                 "--labels-baseline", tmp_path / "t1_lesions.nii.gz",
                                 "--labels", tmp_path / "small.nii.gz", "--out", out)
    too_few = run_main_forked("followup", tmp_path / "t1.nii.gz", tmp_path / "t2.nii.gz",
                              "--labels-baseline", tmp_path / "t1_lesions.nii.gz",
                              "--labels", tmp_path / "small.nii.gz", tmp_path / "small.nii.gz",
                              "--out", out)
    for result, words in ((wrong_grid, "small.nii.gz"), (too_few, "one per later study")):
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert words in result.stderr
    assert not (out / "report.html").exists()


def test_missing_masks_are_made_by_the_model_and_the_report_says_so(mni_volume, tmp_path, monkeypatch,
                                                                     capsys):
    """``--model``: the follow-up has no mask; the model's output is the mask compared, kept in
    ``masks/``, and the report says the model made it and nobody corrected it. The model is a
    stand-in (lesions painted far brighter than any tissue are its output), so the test checks the
    plumbing, not a network's quality."""
    import neuroview.ai.segment
    from neuroview.cli.main import main
    from neuroview.io.nifti import load_nifti

    b_shape, b_affine = grid(mni_volume, (3.0, 3.0, 3.0))
    f_shape, f_affine = grid(mni_volume, (3.2, 2.8, 3.0), (12.0, -6.0, 9.0))
    truth = rigid((8.0, -5.0, 10.0), (10.0, -8.0, 12.0), mni_volume.center_ras)
    drawn = lesion_masks(f_shape, f_affine, np.linalg.inv(truth), True)
    later = painted(sample(mni_volume, f_shape, f_affine, np.linalg.inv(truth)), drawn)
    save_nifti(sample(mni_volume, b_shape, b_affine), b_affine, tmp_path / "t1.nii.gz")
    save_nifti(lesion_masks(b_shape, b_affine, np.eye(4), False), b_affine, tmp_path / "t1_lesions.nii.gz")
    save_nifti(later, f_affine, tmp_path / "t2.nii.gz")
    stand_in = StandInModel()
    monkeypatch.setattr(neuroview.ai.segment, "segment", stand_in)
    out = tmp_path / "out"
    code = main(["followup", str(tmp_path / "t1.nii.gz"), str(tmp_path / "t2.nii.gz"),
                 "--labels-baseline", str(tmp_path / "t1_lesions.nii.gz"), "--labels", "-",
                 "--model", "standin", "--masks-by", "drawn by hand", "--no-brain-extraction",
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert stand_in.calls == [("standin", "auto")]  # the baseline's mask came from its file
    made = load_nifti(out / "masks" / "tp2_lesions_standin_0.3.nii.gz")
    assert np.allclose(made.ijk_to_ras, f_affine)
    assert np.array_equal(made.array > 0, drawn > 0)  # the stand-in found the painted balls
    # the table compares the baseline's mask with the model's through the registration the command
    # wrote (that registration found the known pose; test_cli_writes_the_python_table_and_a_report
    # checks the command's registration against compare's)
    transform = np.loadtxt(out / "transform_tp2.txt")
    assert landmark_error(transform, truth, mni_volume.center_ras).mean() < 1.0
    expected = match_lesions(lesion_masks(b_shape, b_affine, np.eye(4), False), b_affine, made.array,
                             f_affine, transform)
    written = (out / "lesions_tp2.csv").read_text()
    assert same_table(written, table_csv(expected))
    report = (out / "report.html").read_text()
    assert ("baseline: from a file (drawn by hand); follow-up 1: made by the model standin@0.3 for "
            "this report, not corrected by a person") in report

    # no mask and no model: one line naming the study, nothing written
    code = main(["followup", str(tmp_path / "t1.nii.gz"), str(tmp_path / "t2.nii.gz"),
                 "--labels-baseline", str(tmp_path / "t1_lesions.nii.gz"), "--out", str(tmp_path / "x")])
    assert code == 1
    assert "--model lesionseg" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
