"""SIGTERM (``kill PID``, ``timeout``, a batch scheduler's limit) in the middle of a headless verb
(session 32, a walk of the command line): it killed the process at once, no line said why, and
the write in progress left its temporary (``.b.nii.XXXX.nii.gz``) in the output folder, where
Ctrl+C removed it. Now it stops as Ctrl+C does: one line, status 143, nothing half-written."""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nibabel as nib
import numpy as np

from tests.checkout import REPO


def _start(*args) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen([sys.executable, "-m", "neuroview", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _signal_when(proc: subprocess.Popen, ready, number: int, timeout: float = 240.0):
    """Send ``number`` once ``ready()`` is true (the command is in the step to interrupt)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, f"ended before the signal: {proc.communicate()}"
        assert time.monotonic() < deadline, "the command never reached the step to interrupt"
        time.sleep(0.005)
    proc.send_signal(number)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def _noise_image(path: Path, shape=(160, 160, 160)) -> np.ndarray:
    affine = np.array([[0.9, 0, 0, -70], [0, 1.1, 0, -80], [0, 0, 1.2, -60], [0, 0, 0, 1]])
    array = (np.random.default_rng(5).random(shape) * 1000).astype(np.float32)
    nib.save(nib.Nifti1Image(array, affine), path)
    return affine


def _hidden(folder: Path) -> list[str]:
    return [name for name in os.listdir(folder) if name.startswith(".")]


def test_sigterm_while_convert_writes_removes_the_temporary_and_says_so(tmp_path):
    source = tmp_path / "big.nii"
    affine = _noise_image(source)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "b.nii.gz"
    proc = _start("convert", source, target)
    code, stdout, stderr = _signal_when(proc, lambda: bool(_hidden(out)), signal.SIGTERM)

    assert code == 143, stderr
    assert stderr == "neuroview: stopped (SIGTERM)\n"
    assert stdout == ""
    assert os.listdir(out) == []   # neither the output nor its temporary

    proc = _start("convert", source, target)   # the same command again writes the file whole
    stdout, stderr = proc.communicate(timeout=240)
    assert proc.returncode == 0, stderr
    image = nib.load(target)
    assert image.shape == (160, 160, 160)
    np.testing.assert_allclose(image.affine, affine, atol=1e-5)


def test_sigint_while_convert_writes_still_says_interrupted(tmp_path):
    source = tmp_path / "big.nii"
    _noise_image(source)
    out = tmp_path / "out"
    out.mkdir()
    proc = _start("convert", source, out / "b.nii.gz")
    code, stdout, stderr = _signal_when(proc, lambda: bool(_hidden(out)), signal.SIGINT)

    assert (code, stderr) == (130, "neuroview: interrupted\n")
    assert os.listdir(out) == []


def test_sigterm_in_a_segment_batch_keeps_whole_pairs_and_says_where_it_stopped(tmp_path):
    from neuroview.ai import synth
    from neuroview.io.nifti import save_nifti

    cases = tmp_path / "cases"
    cases.mkdir()
    anatomy = synth.load_nibabel_anatomy()
    for seed in (7002, 7003, 7004):
        case = synth.make_case(anatomy, seed, spacing=2.0, deform=False)
        save_nifti(case.image, case.ijk_to_ras, cases / f"head{seed}.nii.gz")
    out = tmp_path / "masks"
    proc = _start("segment", cases, "-o", out, "--report", tmp_path / "lesions.csv")
    code, stdout, stderr = _signal_when(
        proc, lambda: bool(glob.glob(str(out / "*_seg.nii.gz"))), signal.SIGTERM)

    assert code == 143, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("neuroview: interrupted at case "), stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "lesions.csv").exists()   # a report of some cases is no report
    assert _hidden(out) == []
    masks = sorted(glob.glob(str(out / "*_seg.nii.gz")))
    assert 1 <= len(masks) < 3
    for mask in masks:   # each written whole, with its sidecar
        assert Path(mask[: -len(".nii.gz")] + ".segments.json").is_file()
        assert nib.load(mask).shape == nib.load(cases / Path(mask).name.replace("_seg", "")).shape

    proc = _start("segment", cases, "-o", out)   # a re-run segments them all
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    assert len(glob.glob(str(out / "*_seg.nii.gz"))) == 3


def _followup_cases(folder: Path) -> list[Path]:
    from neuroview.ai import synth
    from neuroview.io.nifti import save_nifti

    anatomy = synth.load_nibabel_anatomy()
    paths = []
    for number, seed in enumerate((7002, 7003), start=1):
        case = synth.make_case(anatomy, seed, spacing=2.0, deform=False)
        save_nifti(case.image, case.ijk_to_ras, folder / f"tp{number}.nii.gz")
        save_nifti(case.label, case.ijk_to_ras, folder / f"tp{number}_lesions.nii.gz")
        paths += [folder / f"tp{number}.nii.gz", folder / f"tp{number}_lesions.nii.gz"]
    return paths


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sigterm_while_followup_writes_leaves_the_earlier_report_whole(tmp_path):
    """Stopped while writing, ``followup`` left the tables and transforms of the new run beside
    the earlier run's report (or none: a report-less folder of tables); now the folder is as it
    was, the earlier run's files byte for byte, and nothing hidden is left in it."""
    base, base_mask, later, later_mask = _followup_cases(tmp_path)
    out = tmp_path / "followup"
    command = ("followup", base, later, "--labels-baseline", base_mask, "--labels", later_mask,
               "--no-brain-extraction", "--out", out)
    first = _start(*command, "--masks-by", "first run")
    stdout, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    wrote = stdout.splitlines()[-1]   # the files where they are now, not in the hidden folder
    assert wrote.startswith(f"wrote {out / 'report.html'}"), wrote
    assert wrote.endswith(", lesions.csv (all time points) and lesions_tp2.csv (the baseline "
                          "against each later study)"), wrote
    before = _files(out)
    assert {"report.html", "lesions.csv", "lesions_tp2.csv", "transform_tp2.txt"} <= set(before)

    earlier = (out / "lesions_tp2.csv").stat().st_mtime_ns

    def writing() -> bool:   # the new run's table written (wherever it is), its report not yet
        return any(path.stat().st_mtime_ns != earlier for path in out.rglob("lesions_tp2.csv"))

    edited = nib.load(later_mask)   # a corrected mask: the second run's tables differ
    array = np.asarray(edited.dataobj).copy()
    array[array.shape[0] // 2:] = 0
    nib.save(nib.Nifti1Image(array, edited.affine), later_mask)
    proc = _start(*command, "--masks-by", "second run")
    code, stdout, stderr = _signal_when(proc, writing, signal.SIGTERM)

    assert code == 143, stderr
    assert stderr.strip().splitlines()[-1] == "neuroview: stopped (SIGTERM)"
    assert "Traceback" not in stderr
    assert _files(out) == before
    assert _hidden(out) == []
    assert b"first run" in (out / "report.html").read_bytes()


def test_sigterm_while_dataset_add_writes_leaves_the_dataset_whole(tmp_path):
    from neuroview.dataset.store import list_cases

    source = tmp_path / "big.nii"
    affine = _noise_image(source)
    mask = np.zeros((160, 160, 160), np.uint8)
    mask[70:90, 70:90, 70:90] = 1
    nib.save(nib.Nifti1Image(mask, affine), tmp_path / "mask.nii.gz")
    init = _start("dataset", "init", tmp_path / "ds", "--name", "Lesions", "--labels", "background,lesion")
    assert init.wait(timeout=120) == 0, init.communicate()
    dataset = tmp_path / "ds" / "Dataset501_Lesions"
    add = ("dataset", "add", dataset, "--image", source, "--labels", tmp_path / "mask.nii.gz")

    def staging() -> bool:
        return any(path.is_file() for path in (dataset / ".staging").rglob("*"))

    code, stdout, stderr = _signal_when(_start(*add), staging, signal.SIGTERM)

    assert (code, stderr) == (143, "neuroview: stopped (SIGTERM)\n")
    assert list_cases(dataset) == []   # the case is not half in
    assert os.listdir(dataset / "imagesTr") == [] and os.listdir(dataset / "labelsTr") == []

    again = _start(*add)   # the same command again adds it whole
    stdout, stderr = again.communicate(timeout=240)
    assert again.returncode == 0, stderr
    assert [record.case for record in list_cases(dataset)] == [stdout.strip()]
    assert nib.load(dataset / "imagesTr" / f"{stdout.strip()}_0000.nii.gz").shape == (160, 160, 160)
