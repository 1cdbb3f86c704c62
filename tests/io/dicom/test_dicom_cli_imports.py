"""``neuroview info`` and ``convert`` on a series neuroview's own header reader reads whole
(little endian) never import pydicom (its import is most of their fixed cost on a small
folder); a file that needs pydicom (big endian) still gets it, lazily, with the same answer."""

from __future__ import annotations

import os
import subprocess
import sys

import nibabel as nib
import numpy as np
from pydicom.data import get_testdata_file

from tests.checkout import REPO

RUN_AND_LIST_MODULES = r"""
import sys
from neuroview.cli.main import main
code = main(sys.argv[1:])
print("NETWORK", "ssl" in sys.modules or "http.client" in sys.modules)
print("NIBABEL", "nibabel" in sys.modules)
print("NUMPY.MA", "numpy.ma" in sys.modules)
print("PYDICOM", "pydicom" in sys.modules)
sys.exit(code)
"""


def _run(*args) -> tuple[subprocess.CompletedProcess, bool]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", RUN_AND_LIST_MODULES, *map(str, args)], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc, proc.stdout.rstrip().endswith("PYDICOM True")


def test_info_and_convert_of_a_little_endian_series_do_not_import_pydicom(make_series, tmp_path):
    series = make_series("no_pydicom", n_slices=8, rows=32, cols=28)
    proc, imported = _run("info", series.folder)
    assert not imported, proc.stdout
    assert "8 files" in proc.stdout and "T1 test" in proc.stdout
    assert " | {}x{}x{} | ".format(*series.values.shape[:3]) in proc.stdout  # 28 columns, 32 rows
    out = tmp_path / "t1.nii"
    proc, imported = _run("convert", series.folder, out)
    assert not imported, proc.stdout
    assert "NETWORK False" in proc.stdout  # nibabel's urllib.request is loaded only if used
    written = nib.load(out)
    assert np.allclose(written.affine, series.ijk_to_ras, atol=1e-4)
    assert np.array_equal(np.asarray(written.dataobj), series.values)


def test_convert_writes_nibabels_file_without_importing_nibabel(make_series, tmp_path):
    """The header is neuroview's (:mod:`neuroview.io.nifti_header`); the file, .nii or .nii.gz,
    is the one nibabel writes for the same volume (``save_nifti``), byte for byte."""
    import gzip

    from neuroview.io import load
    from neuroview.io.nifti import save_nifti

    series = make_series("no_nibabel", n_slices=7, rows=30, cols=26)
    volume = load(series.folder)
    for name in ("t1.nii", "t1.nii.gz"):
        out = tmp_path / name
        proc, _ = _run("convert", series.folder, out)
        assert "NIBABEL False" in proc.stdout
        assert "NUMPY.MA False" in proc.stdout  # np.median imports it (series.median_of)
        reference = save_nifti(volume.array, volume.ijk_to_ras, tmp_path / f"nibabel-{name}")
        ours, theirs = out.read_bytes(), reference.read_bytes()
        if name.endswith(".gz"):
            ours, theirs = gzip.decompress(ours), gzip.decompress(theirs)
        assert ours == theirs
        assert np.array_equal(np.asarray(nib.load(out).dataobj), series.values)


def test_nibabels_deferred_url_module_still_works_when_used():
    code = ("import sys\n"
            "from neuroview.cli.lazy_imports import light_nibabel\n"
            "with light_nibabel():\n"
            "    import nibabel\n"
            "from nibabel import filebasedimages\n"
            "assert 'ssl' not in sys.modules\n"
            "assert callable(filebasedimages.request.urlopen) and 'http.client' in sys.modules\n"
            "print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_info_of_a_big_endian_file_imports_pydicom_and_describes_it_the_same():
    little, big = get_testdata_file("MR_small.dcm"), get_testdata_file("MR_small_bigendian.dcm")
    proc_little, imported_little = _run("info", little)
    proc_big, imported_big = _run("info", big)
    assert imported_big and not imported_little  # neuroview's reader declines big endian
    assert proc_big.stdout.splitlines()[:2] == proc_little.stdout.splitlines()[:2]
    assert " | 64x64x1 | " in proc_big.stdout
