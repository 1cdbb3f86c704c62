"""``neuroview segment`` / ``convert`` outputs: checked before the work, never partial-but-complete.

Found running the README's commands as written (session 19): Ctrl+C half-way through a batch
with ``--report`` wrote the report of the cases done so far, printed ``lesions.csv  (5 lesions)``
and exited 130 without a word, so the CSV read as the whole batch's; an output folder that could
not be created was ``internal error: FileNotFoundError``; an output file or ``--report`` that
could not be written failed only after the model had run on every case.
"""

from __future__ import annotations

import os

import pytest

from tests.checkout import main_said


@pytest.fixture
def batch(tmp_path):
    """Three cases: two real-brain 2 mm cases with synthetic lesions, then a copy of the first."""
    from neuroview.ai import synth
    from neuroview.io.nifti import save_nifti

    folder = tmp_path / "cases"
    anatomy = synth.load_nibabel_anatomy()
    for number, seed in enumerate((7002, 7001)):
        case = synth.make_case(anatomy, seed, spacing=2.0, deform=False)
        save_nifti(case.image, case.ijk_to_ras, folder / f"case{number}.nii.gz")
    (folder / "case2.nii.gz").write_bytes((folder / "case0.nii.gz").read_bytes())
    return folder


@pytest.fixture
def model_runs(monkeypatch):
    """Count the model's runs (the real model runs); ``stop_at``: the run that gets Ctrl+C."""
    import neuroview.ai.segment as segment_module

    real = segment_module.segment
    runs = {"count": 0, "stop_at": None}

    def counted(*args, **kwargs):
        runs["count"] += 1
        if runs["count"] == runs["stop_at"]:
            raise KeyboardInterrupt  # what Python raises on SIGINT
        return real(*args, **kwargs)

    monkeypatch.setattr(segment_module, "segment", counted)
    return runs


def test_ctrl_c_half_way_through_a_batch_leaves_no_report_that_looks_complete(
        capsys, batch, model_runs, tmp_path):
    pytest.importorskip("torch")
    model_runs["stop_at"] = 2
    out_dir, report = tmp_path / "masks", tmp_path / "masks" / "lesions.csv"
    code, out, err = main_said(capsys, "segment", batch, "-o", out_dir, "--device", "cpu",
                           "--report", report)
    assert code == 130
    assert (out_dir / "case0_seg.nii.gz").is_file()  # the case finished before Ctrl+C is kept
    assert not (out_dir / "case1_seg.nii.gz").exists() and not (out_dir / "case2_seg.nii.gz").exists()
    assert not report.exists(), "a report of one case of three would read as the batch's"
    assert "lesions.csv" not in out
    lines = [line for line in err.splitlines() if "interrupted" in line]
    assert len(lines) == 1, err
    assert "interrupted at case 2 of 3" in lines[0] and "case1.nii.gz" in lines[0]
    assert "lesions.csv was not written" in lines[0]

    # the same batch run through writes the report of every case
    model_runs["stop_at"] = None
    code, out, err = main_said(capsys, "segment", batch, "-o", out_dir, "--device", "cpu",
                           "--report", report)
    assert code == 0, err
    assert {line.split(",")[0] for line in report.read_text().splitlines()[1:]} >= {"case0", "case2"}


def test_ctrl_c_on_one_case_is_said(capsys, batch, model_runs, tmp_path):
    model_runs["stop_at"] = 1
    code, _, err = main_said(capsys, "segment", batch / "case0.nii.gz", "-o", tmp_path / "m.nii.gz",
                         "--report", tmp_path / "r.csv")
    assert code == 130 and err.strip().endswith("neuroview: interrupted")
    assert not (tmp_path / "m.nii.gz").exists() and not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize("where", ["file", "folder", "report", "batch"])
def test_an_output_that_cannot_be_written_is_one_line_before_the_model_runs(
        capsys, batch, model_runs, tmp_path, where):
    in_the_way = tmp_path / "a_file"
    in_the_way.write_text("not a folder")
    source, output, extra = batch / "case0.nii.gz", tmp_path / "m.nii.gz", []
    if where == "file":
        output = in_the_way / "m.nii.gz"
    elif where == "folder":
        output = in_the_way / "masks"
    elif where == "report":
        extra = ["--report", in_the_way / "sub" / "lesions.csv"]
    else:
        source, output = batch, in_the_way / "masks"
    code, out, err = main_said(capsys, "segment", source, "-o", output, *extra)
    assert code == 1
    assert model_runs["count"] == 0, "the model ran before the output was found unwritable"
    assert err.count("\n") == 1 and err.startswith("neuroview: error: ") and "internal" not in err
    assert str(in_the_way) in err
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # no temporary left


def test_a_read_only_output_folder_is_one_line_before_the_model_runs(
        capsys, batch, model_runs, tmp_path, monkeypatch):
    import neuroview.cli.outputs as outputs

    def refused(*args, **kwargs):  # a folder the user may not write in (the tests run as root)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refused)
    code, _, err = main_said(capsys, "segment", batch, "-o", tmp_path / "masks")
    assert code == 1 and model_runs["count"] == 0
    assert err == f"neuroview: error: {tmp_path / 'masks'}: cannot write in this folder (Permission denied)\n"


def test_convert_into_a_folder_that_cannot_be_made_is_one_line(capsys, batch, tmp_path):
    in_the_way = tmp_path / "a_file"
    in_the_way.write_text("not a folder")
    code, _, err = main_said(capsys, "convert", batch / "case0.nii.gz", in_the_way / "out")
    assert code == 1
    assert err == (f"neuroview: error: {in_the_way}: cannot create the output folder: "
                   "a file of that name is in the way\n")
    assert sorted(os.listdir(tmp_path)) == ["a_file", "cases"]


@pytest.mark.parametrize("inside", ["masks", "."])
def test_a_batch_run_again_does_not_segment_its_own_masks(capsys, batch, model_runs, inside):
    """Output inside INPUT (or INPUT itself), run twice: the second run segmented the first's
    masks folder, or each ``*_seg.nii.gz``, as one more case (session 19)."""
    pytest.importorskip("torch")
    output = batch / inside
    for run in (1, 2):
        code, _, err = main_said(capsys, "segment", batch, "-o", output, "--device", "cpu")
        assert code == 0, err
        assert model_runs["count"] == 3 * run, err
    assert sorted(p.name for p in output.glob("*_seg.nii.gz")) == [
        "case0_seg.nii.gz", "case1_seg.nii.gz", "case2_seg.nii.gz"]
    assert "[3/3]" in err and "[4/" not in err
    left_out = [line for line in err.splitlines() if line.startswith("note: left out")]
    assert len(left_out) == (1 if inside == "masks" else 3), err


@pytest.mark.parametrize("name", ["out.txt", "labels.nrrd", "mask.png"])
def test_an_output_named_like_another_format_is_refused(capsys, tmp_path, name):
    """``segment IMG -o out.txt`` made a folder named ``out.txt`` (with ``IMG_seg.nii.gz`` in it)
    where ``convert`` refuses the name: one line naming it and the endings taken, nothing made,
    and no model run (session 31)."""
    import numpy as np

    from neuroview.io.nifti import save_nifti

    image = tmp_path / "t1.nii.gz"
    save_nifti(np.zeros((8, 8, 8), np.float32), np.eye(4), image)
    code, out, err = main_said(capsys, "segment", image, "-o", tmp_path / name)
    assert code == 1 and out == ""
    (line,) = err.strip().splitlines()
    assert name in line and "segment writes NIfTI" in line and ".nii.gz" in line
    assert not (tmp_path / name).exists()
