"""What ``neuroview segment FOLDER`` takes as its cases (session 19, a walk of the README):
sub-folders holding the series of one study were segmented as a batch, one case per series,
where ``neuroview info`` lists them as one study's series; a folder holding only the label maps
of an earlier run was segmented as one more case; and Ctrl+C or a kill between a case's mask
and its ``.segments.json`` left the mask alone, the interrupt line counting it as not segmented."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checkout import REPO, main_said

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402


def _case(path: Path, seed: int = 7002) -> Path:
    """A real-brain 2 mm case with synthetic lesions (as in test_segment_outputs)."""
    from neuroview.ai import synth
    from neuroview.io.nifti import save_nifti

    case = synth.make_case(synth.load_nibabel_anatomy(), seed, spacing=2.0, deform=False)
    save_nifti(case.image, case.ijk_to_ras, path)
    return path


@pytest.fixture
def model_runs(monkeypatch):
    """Count the model's runs (the real model runs)."""
    import neuroview.ai.segment as segment_module

    real = segment_module.segment
    runs = {"count": 0}

    def counted(*args, **kwargs):
        runs["count"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(segment_module, "segment", counted)
    return runs


def _study(folder: Path, mni_volume, study_uid: str | None = None, other_study: bool = False):
    """``folder/T1`` and ``folder/FLAIR``: two DICOM series of one study (or of two)."""
    from pydicom.uid import generate_uid

    study_uid = study_uid or generate_uid()
    write_series(folder / "T1", mni_volume, SeriesSpec(
        series_number=3, description="T1 axial", extra=(("StudyInstanceUID", study_uid),)))
    second = generate_uid() if other_study else study_uid
    write_series(folder / "FLAIR", mni_volume, SeriesSpec(
        series_number=5, description="FLAIR", rows=48, extra=(("StudyInstanceUID", second),)))
    return folder


def test_sub_folders_of_one_study_are_one_case(capsys, cli, model_runs, mni_volume, tmp_path):
    pytest.importorskip("torch")
    study = _study(tmp_path / "study", mni_volume)
    info = cli("info", study)
    assert info.returncode == 0 and info.stdout.count("\n[") + info.stdout.startswith("[") == 2
    code, _, err = main_said(capsys, "segment", study, "-o", tmp_path / "out", "--device", "cpu")
    assert code == 0, err
    assert model_runs["count"] == 1, err   # was 2: one "case" per series
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [   # the series named (both
        "study_003_T1_axial_seg.nii.gz", "study_003_T1_axial_seg.segments.json"]  # were study_seg)
    assert f"note: {study}: its sub-folders (" in err
    assert "hold DICOM series of one study: segmented as one case" in err
    # as 'neuroview info' numbers them
    assert f"note: {study}: 2 series found; segmented [1] #3 T1 axial" in err
    code, _, err = main_said(capsys, "segment", study, "-o", tmp_path / "out", "--series", "2",
                         "--device", "cpu")
    assert code == 0, err   # the other series beside it, the first one's mask kept
    assert sorted(p.name for p in (tmp_path / "out").glob("*.nii.gz")) == [
        "study_003_T1_axial_seg.nii.gz", "study_005_FLAIR_seg.nii.gz"]


def test_sub_folders_of_two_studies_are_a_batch_said_before_it_runs(mni_volume, tmp_path):
    from neuroview.cli.batch_cases import batch_line, plan_cases

    folder = _study(tmp_path / "cases", mni_volume, other_study=True)
    cases, _ = plan_cases(str(folder), str(tmp_path / "out"))
    assert cases == [str(folder / "FLAIR"), str(folder / "T1")]
    assert batch_line(str(folder), cases) == (
        "batch of 2 cases (each an image file or sub-folder of it, not of one study): FLAIR, T1")


def test_a_folder_of_label_maps_from_an_earlier_run_is_no_case(capsys, model_runs, tmp_path):
    pytest.importorskip("torch")
    cases = tmp_path / "cases"
    _case(cases / "case0.nii.gz")
    masks = cases / "masks"   # an earlier run's output, with its report
    masks.mkdir()
    for name in ("case0_seg", "case1_seg"):
        (masks / f"{name}.nii.gz").write_bytes((cases / "case0.nii.gz").read_bytes())
        (masks / f"{name}.segments.json").write_text("[]")
    (masks / "lesions.csv").write_text("case,segment\n")
    code, _, err = main_said(capsys, "segment", cases, "-o", tmp_path / "out", "--device", "cpu")
    assert code == 0, err
    assert model_runs["count"] == 1, err   # was 2: the masks folder was a case
    assert f"note: left out {masks}: it holds only label maps" in err
    assert ("note: batch of 1 case (each an image file or sub-folder of it, not of one study): "
            "case0.nii.gz") in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "case0_seg.nii.gz", "case0_seg.segments.json"]
    # the sidecar names the image segmented, as the window keys it: its Load labels asks before
    # loading case0's mask onto another case of the same grid (session 41)
    from neuroview.io import load

    rows = json.loads((tmp_path / "out" / "case0_seg.segments.json").read_text())
    assert rows and {row["image_key"] for row in rows} == {load(cases / "case0.nii.gz").workspace_key()}


def test_a_folder_with_an_image_among_label_maps_is_still_a_case(tmp_path, capsys):
    from neuroview.cli.batch_cases import plan_cases

    cases = tmp_path / "cases"
    for name in ("a", "b"):
        (cases / name).mkdir(parents=True)
        (cases / name / "x_seg.nii.gz").write_bytes(b"")
        (cases / name / "x_seg.segments.json").write_text("[]")
    (cases / "b" / "t1.nii.gz").write_bytes(b"")   # an image without a sidecar: a case
    planned, _ = plan_cases(str(cases), str(tmp_path / "out"))
    assert planned == [str(cases / "b")]


KILL_AT_THE_MASK = """
import os, signal, sys
real = os.replace
def replace(src, dst, *args, **kwargs):
    real(src, dst, *args, **kwargs)
    if str(dst).endswith("_seg.nii.gz"):   # the mask is in place, its sidecar not yet
        os.kill(os.getpid(), getattr(signal, sys.argv[1]))
os.replace = replace
from neuroview.cli.main import main
sys.exit(main(["segment", sys.argv[2], "-o", sys.argv[3], "--device", "cpu"]))
"""


@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])
def test_a_batch_stopped_between_a_mask_and_its_sidecar_leaves_the_pair_or_nothing(
        capsys, model_runs, tmp_path, how):
    pytest.importorskip("torch")
    cases = tmp_path / "cases"
    out = cases if how == "SIGKILL" else tmp_path / "masks"   # killed: run again into INPUT
    _case(cases / "case0.nii.gz")
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    child = subprocess.run([sys.executable, "-c", KILL_AT_THE_MASK, how, str(cases), str(out)],
                           env=env, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in child.stderr
    mask, sidecar = out / "case0_seg.nii.gz", out / "case0_seg.segments.json"
    if how == "SIGINT":
        assert child.returncode == 130, child.stderr
        line = [s for s in child.stderr.splitlines() if "interrupted" in s]
        assert len(line) == 1 and "interrupted at case 1 of 1" in line[0], child.stderr
        # the pair was written whole before Ctrl+C took effect, and the line counts it
        assert mask.is_file() and sidecar.is_file()
        assert "the label maps of 1 case (this case's included)" in line[0], line
    else:
        assert child.returncode == -signal.SIGKILL
        # the same batch run again: the half-written pair is completed first, not taken as a case
        code, _, err = main_said(capsys, "segment", cases, "-o", out, "--device", "cpu")
        assert code == 0, err
        assert model_runs["count"] == 1, err
        assert f"note: finished writing {mask} and its sidecar" in err
        assert mask.is_file() and sidecar.is_file()
    assert json.loads(sidecar.read_text())[0]["model"].startswith("lesionseg@")
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("case0_seg")) == [
        mask.name, sidecar.name]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_one_series_split_over_numbered_folders_is_one_case(mni_volume, tmp_path, capsys):
    """As PACS exports write a series (``DICOM/00000001/``, ``DICOM/00000002/``): one case, and
    the scan of the folder joins the parts into the one series ``neuroview info`` lists."""
    from neuroview.cli.batch_cases import plan_cases
    from neuroview.io import scan

    export = tmp_path / "DICOM"
    written = write_series(export / "00000001", mni_volume, SeriesSpec(n_slices=12))
    (export / "00000002").mkdir()
    for path in written.files[6:]:
        path.rename(export / "00000002" / path.name)
    assert plan_cases(str(export), str(tmp_path / "out")) == (None, str(export))
    assert "hold DICOM series of one study" in capsys.readouterr().err
    assert [c.n_files for c in scan(str(export)).candidates] == [12]
