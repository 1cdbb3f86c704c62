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
