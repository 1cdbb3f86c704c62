"""``neuroview info`` on dcm2niix's output: each image's own sidecars (``.json``, ``.bval``,
``.bvec``) are one line, ``sidecars of the images listed: ...``; each printed 'not a DICOM file'
as if it were a stray file. A file that is no image's sidecar is still said as not an image."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from dwi_maker import write_classic_dwi  # noqa: E402
from series_maker import DCM2NIIX  # noqa: E402

CLI_FORKED = ("what `info` prints, not a process's start; no network runs (the privacy check keeps "
              "a fresh process: one that logged a name would say it on its stderr)")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


@pytest.fixture(scope="module")
def converted(tmp_path_factory, mni_volume) -> Path:
    """A DWI series and a T1 converted by dcm2niix with its JSON sidecars (``-b y``), gzipped."""
    from window_files import classic_series

    root = tmp_path_factory.mktemp("sidecars")
    write_classic_dwi(root / "dicom" / "dwi", mni_volume, "standard")
    classic_series(root / "dicom" / "t1", 300, 1000, n_slices=4)
    out = root / "nifti"
    out.mkdir()
    proc = subprocess.run([DCM2NIIX, "-z", "y", "-b", "y", "-f", "%d", "-o", str(out),
                           str(root / "dicom")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert sorted(p.name for p in out.iterdir()) == [
        "DWI.bval", "DWI.bvec", "DWI.json", "DWI.nii.gz", "T1_window.json", "T1_window.nii.gz"]
    (out / "report.pdf").write_bytes(b"%PDF-1.4\n% not an image\n")
    return out


def _notes(cli, *arguments) -> list[str]:
    result = cli("info", *map(str, arguments))
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("note:")]


def test_dcm2niix_sidecars_are_one_line(cli, converted):
    assert _notes(cli, converted) == [
        "note: sidecars of the images listed: DWI.bval, DWI.bvec, DWI.json and 1 more",
        "note: 1 file skipped: not an image (report.pdf)"]
    assert _notes(cli, "-v", converted) == [
        "note: sidecars of the images listed: DWI.bval, DWI.bvec, DWI.json, T1_window.json",
        f"note: {converted / 'report.pdf'}: not a DICOM file"]


def test_an_image_named_with_its_sidecar(cli, converted):
    assert _notes(cli, converted / "DWI.nii.gz", converted / "DWI.json") == \
        ["note: sidecars of the images listed: DWI.json"]


def test_the_sidecar_names_the_modality(cli, converted):
    """dcm2niix's ``"Modality": "MR"`` is the image's modality: info listed ``| - |``."""
    from neuroview.io import load

    listed = [line for line in cli("info", str(converted)).stdout.splitlines() if line.startswith("[")]
    assert [line.split(" | ")[:2] for line in listed] == [
        ["[1] DWI.nii.gz", "MR"], ["[2] T1_window.nii.gz", "MR"]]
    volume = load(converted / "T1_window.nii.gz")
    assert (volume.modality, volume.intensity_unit, volume.is_ct()) == ("MR", "", False)


def _head_ct(path: Path, sidecar: str) -> Path:
    import numpy as np

    from neuroview.io.nifti import save_nifti

    x = np.arange(40) - 19.5
    r = np.hypot(*np.meshgrid(x, x, indexing="ij"))
    slab = np.where(r < 17, 35, np.where(r < 19, 1000, -1000))
    save_nifti(np.repeat(slab[:, :, None], 6, axis=2).astype(np.int16), np.eye(4), path)
    path.with_name(path.name.replace(".nii.gz", ".json")).write_text(sidecar, "utf-8")
    return path


def test_a_ct_sidecar_reads_in_hu_and_nothing_identifying_is_read(tmp_path):
    from neuroview.io import load
    from tests.checkout import run_cli as cli  # a fresh process: its log lines reach its stderr

    image = _head_ct(tmp_path / "head.nii.gz", '{"Modality": "CT", "PatientName": "Doe^Jane", '
                     '"PatientID": "ID-774411", "SeriesDescription": "Doe head"}')
    volume = load(image)
    assert (volume.modality, volume.intensity_unit) == ("CT", "HU")
    kept = repr(volume.summary()) + repr(volume.source_metadata) + repr(volume)
    assert "Doe" not in kept and "774411" not in kept
    said = cli("info", str(image))
    assert said.stdout.splitlines()[0] == "[1] head.nii.gz | CT | 40x40x6 | 1x1x1 mm | RAS"
    assert "Doe" not in said.stdout + said.stderr and "774411" not in said.stdout + said.stderr


def test_a_sidecar_that_says_mr_is_believed_over_the_voxels(tmp_path):
    from neuroview.io import load

    volume = load(_head_ct(tmp_path / "mr.nii.gz", '{"Modality": "MR"}'))
    assert volume.voxels_look_like_ct() and not volume.is_ct()


def test_a_broken_sidecar_is_one_warning_and_the_image_opens(cli, tmp_path):
    image = _head_ct(tmp_path / "cut.nii.gz", '{"Modality": "C')
    said = cli("info", str(image))
    assert said.returncode == 0, said.stderr
    assert said.stdout.splitlines()[0].startswith("[1] cut.nii.gz | CT (from its values) |")
    assert [line for line in said.stdout.splitlines() if "warning" in line] == [
        "    warning: cut.json: not read (a string that is never closed at line 1, column 14); "
        "the modality is not known from it"]
